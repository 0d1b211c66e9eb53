"""Factories for participants, placements, rounds and pathways."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from matchmaking.organisations.models import Organisation, Role
from matchmaking.participants.models import (
    Consent,
    FollowUpMember,
    Participant,
    ParticipantIdentity,
    ParticipantLanguage,
    ParticipantSkill,
)
from matchmaking.placements.models import Placement, PlacementLanguage, PlacementSkill
from tests.factories import OrganisationFactory, member

COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
HYGIENE = "http://data.europa.eu/esco/skill/2c3ad9e3-6e1d-4a9a-a0e5-a4c4a2e0b0a1"
FOOD_SAFETY = "http://data.europa.eu/esco/skill/9f6c5b9c-1111-4a1b-9c2d-000000000001"
CUSTOMERS = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"


def case_worker(organisation: Organisation | None = None, **kwargs):
    return member(Role.CASE_WORKER, organisation or OrganisationFactory(), **kwargs)


def participant(
    organisation: Organisation, *, key_worker=None, skills=(), languages=(("sv", "C2"),), **fields
) -> Participant:
    defaults = {
        "registered_on": timezone.localdate() - timedelta(days=30),
        "home_country": organisation.country,
    }
    defaults.update(fields)
    p = Participant.objects.create(organisation=organisation, key_worker=key_worker, **defaults)
    ParticipantIdentity.objects.create(
        participant=p,
        given_name="Alva",
        family_name="Secret-Name",
        date_of_birth=date(2004, 5, 1),
        email="alva@example.org",
    )
    for code, level in languages:
        ParticipantLanguage.objects.create(participant=p, code=code, level=level)
    for uri in skills:
        ParticipantSkill.objects.create(
            participant=p, uri=uri, label=uri.rsplit("/", 1)[-1], how="informal", esco_version="1.1.1"
        )
    return p


def placement(
    host: Organisation,
    *,
    key: str | None = None,
    seats: int = 1,
    required=(),
    desired=(),
    languages=(("sv", "B1"),),
    **fields,
) -> Placement:
    defaults = {
        "title": "Kitchen assistant",
        "country": host.country,
        "occupation_uri": COOK,
        "occupation_label": "cook",
    }
    defaults.update(fields)
    pl = Placement.objects.create(
        host=host, key=key or f"{host.key}-pl-{Placement.objects.count() + 1}", seats=seats, **defaults
    )
    for uri in required:
        PlacementSkill.objects.create(placement=pl, uri=uri, label=uri.rsplit("/", 1)[-1], required=True)
    for uri in desired:
        PlacementSkill.objects.create(placement=pl, uri=uri, label=uri.rsplit("/", 1)[-1], required=False)
    for code, level in languages:
        PlacementLanguage.objects.create(placement=pl, code=code, level=level)
    return pl


def group_member(
    p: Participant, user, organisation: Organisation, *, personal: bool = False
) -> FollowUpMember:
    return FollowUpMember.objects.create(
        participant=p,
        user=user,
        organisation=organisation,
        can_view_personal=personal,
        started_on=timezone.localdate(),
    )


def consent(p: Participant, purpose: str, organisation: Organisation | None = None) -> Consent:
    return Consent.objects.create(
        participant=p, purpose=purpose, organisation=organisation, given_on=timezone.localdate()
    )
