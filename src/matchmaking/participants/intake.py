"""Intake: a new participant and the consents the person gave, recorded in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from matchmaking.accounts.models import User
from matchmaking.organisations.models import Organisation
from matchmaking.participants.consent import consent_give
from matchmaking.participants.models import Consent, Participant
from matchmaking.participants.services import participant_create


@transaction.atomic
def participant_intake(
    *,
    actor: User,
    organisation: Organisation,
    profile: dict[str, Any],
    identity: dict[str, Any] | None = None,
    region: str | None = None,
    consents: list[str],
    sharing_with: list[Organisation],
    path: str = "",
) -> Participant:
    """Register the person with the consents asked at intake: one per purpose agreed, one sharing
    consent per organisation named. Nothing is kept if any part is refused."""
    participant = participant_create(
        actor=actor, organisation=organisation, profile=profile, identity=identity, region=region, path=path
    )
    for purpose in consents:
        if purpose != Consent.Purpose.SHARING:
            consent_give(actor=actor, participant=participant, purpose=purpose, note="intake")
    for receiving in sharing_with:
        if receiving.pk != organisation.pk:
            consent_give(
                actor=actor,
                participant=participant,
                purpose=Consent.Purpose.SHARING,
                organisation=receiving,
                note="intake",
            )
    return participant
