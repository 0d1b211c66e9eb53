"""Referrals answered by the support service itself.

When a service in the directory belongs to a member organisation, that organisation's case workers and
administrators see the referrals sent to it and answer them: accept, refuse with a reason, complete.
They see the person by pseudonym; the identifying details only when the consent that allows the
referral is consent to share with that very organisation, and every such read is access-logged. The
worker who sent the referral is notified of each answer.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.access_log import access_log_record
from matchmaking.core.audit import audit_record
from matchmaking.core.models import PersonalDataAccess
from matchmaking.core.notifications import notify
from matchmaking.organisations.models import Membership
from matchmaking.participants.consent import consent_revoked
from matchmaking.participants.models import Consent, Participant, ParticipantIdentity
from matchmaking.pathways.access import can_answer_referral, can_see_referral_identity, referrals_for_service
from matchmaking.pathways.models import Referral
from matchmaking.pathways.services import check_referral_transition
from matchmaking.permissions.roles import CASELOAD_ROLES, AnyUser

PURPOSE = "referral to a support service"

# What the service may set: the sending worker records nothing else on its behalf here.
SERVICE_STATUSES = (Referral.Status.ACCEPTED, Referral.Status.REFUSED, Referral.Status.COMPLETED)


# --- Read paths ----------------------------------------------------------------------------------------


def referrals_received(*, user: AnyUser, status: str = "") -> QuerySet[Referral]:
    """The referrals sent to the user's organisations' services, newest first, pseudonymous."""
    found = referrals_for_service(user).select_related("service__organisation", "participant", "consent")
    if status in Referral.Status.values:
        found = found.filter(status=status)
    return found.order_by("-sent_on", "-id")


def referral_read(*, user: User, referral: Referral, path: str = "") -> None:
    """A service reading a referral reads personal data (the need): logged like every other read."""
    access_log_record(
        user=user,
        subject=referral.participant,
        fields=["referral"],
        purpose=PURPOSE,
        kind=PersonalDataAccess.READ,
        path=path,
    )


def referral_identity(*, user: AnyUser, referral: Referral, path: str = "") -> ParticipantIdentity | None:
    """The person's details for the service, only where the consent covers sharing with it; logged."""
    if not can_see_referral_identity(user, referral):
        return None
    identity = ParticipantIdentity.objects.filter(participant=referral.participant).first()
    if identity is not None:
        access_log_record(
            user=user,
            subject=referral.participant,
            fields=list(ParticipantIdentity.PERSONAL_FIELDS),
            purpose=PURPOSE,
            kind=PersonalDataAccess.READ,
            path=path,
        )
    return identity


def next_statuses(referral: Referral) -> list[tuple[str, str]]:
    labels = dict(Referral.Status.choices)
    allowed = Referral.TRANSITIONS.get(referral.status, set())
    return [(s.value, str(labels[s])) for s in SERVICE_STATUSES if s in allowed]


# --- Write path ----------------------------------------------------------------------------------------


@transaction.atomic
def referral_answer(
    *, actor: User, referral: Referral, status: str, reason: str = "", path: str = ""
) -> Referral:
    """The service accepts, refuses (with a reason) or completes a referral; the sender is told."""
    if not can_answer_referral(actor, referral):
        raise PermissionDenied(_("You may not do this."))
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("service__organisation", "participant", "consent", "sent_by")
        .get(pk=referral.pk)
    )
    if status not in SERVICE_STATUSES:
        raise ValidationError({"status": _("Choose accepted, refused or completed.")})
    check_referral_transition(locked, status, reason)
    before = locked.status
    locked.status = status
    if status == Referral.Status.REFUSED:
        locked.refusal_reason = reason.strip()
    locked.save()
    participant = locked.participant
    audit_record(
        actor=actor,
        action="referral.answer",
        obj=participant,
        before={"referral": locked.pk, "status": before},
        after={"referral": locked.pk, "status": status, "service": locked.service.name},
        reason=reason.strip(),
        organisation_id=participant.organisation_id,
    )
    access_log_record(
        user=actor,
        subject=participant,
        fields=["referral"],
        purpose=PURPOSE,
        kind=PersonalDataAccess.CHANGE,
        path=path,
    )
    notify(
        involved=[locked.sent_by],
        kind="referral.answer",
        params={
            "service": locked.service.name,
            "participant": participant.pseudonym,
            "status": locked.status,
        },
        text=reason.strip(),
        url=reverse("pathways:referrals", args=[participant.pseudonym]),
    )
    return locked


# --- Consent revoked ------------------------------------------------------------------------------------

OPEN_STATUSES = (Referral.Status.SENT, Referral.Status.ACCEPTED)


@receiver(consent_revoked, dispatch_uid="pathways-referrals-withdraw")
def referrals_withdraw_on_revoke(
    sender: Any, *, consent: Consent, participant: Participant, actor: User, **kwargs: Any
) -> list[Referral]:
    """In the transaction that revokes the consent: every open referral that rests on it, and with a
    sharing consent every open referral to a service of that organisation, is withdrawn (the service
    can no longer answer it); the services are told after commit."""
    rests_on = Q(consent=consent)
    if consent.purpose == Consent.Purpose.SHARING and consent.organisation_id:
        rests_on |= Q(service__organisation_id=consent.organisation_id)
    withdrawn = list(
        Referral.objects.select_for_update(of=("self",))
        .filter(rests_on, participant=participant, status__in=OPEN_STATUSES)
        .select_related("service__organisation")
    )
    for referral in withdrawn:
        before = referral.status
        referral.status = Referral.Status.WITHDRAWN
        referral.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="referral.withdraw",
            obj=participant,
            before={"referral": referral.pk, "status": before},
            after={"referral": referral.pk, "status": referral.status, "service": referral.service.name},
            organisation_id=participant.organisation_id,
        )
    if withdrawn:
        pseudonym = participant.pseudonym
        transaction.on_commit(lambda: _tell_services(withdrawn, pseudonym))
    return withdrawn


def _tell_services(withdrawn: list[Referral], pseudonym: str) -> None:
    for referral in withdrawn:
        if not referral.service.organisation_id:
            continue
        notify(
            memberships=Membership.objects.filter(
                organisation_id=referral.service.organisation_id, role__in=list(CASELOAD_ROLES)
            ).select_related("user"),
            kind="referral.withdrawn",
            params={"service": referral.service.name, "participant": pseudonym},
            url=reverse("pathways:referral-inbox"),
        )
