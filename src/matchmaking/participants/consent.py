"""Write paths for consent and the follow-up group (re-exported by ``participants.services``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.organisations.models import Organisation
from matchmaking.participants.access import can_edit_participant, group_member_of, sharing_consent_stands
from matchmaking.participants.models import Consent, FollowUpMember, Participant
from matchmaking.permissions.roles import PERSONAL_DATA_ROLES, role_in

# Sent inside the transaction that revokes a consent (keyword arguments ``consent``, ``participant``
# and ``actor``), so what depends on the consent (referrals) is closed in that same transaction; the
# receivers notify after commit.
consent_revoked = Signal()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


# --- Consent ---------------------------------------------------------------------------------------


def consent_active(
    *, participant: Participant, purpose: str, organisation: Organisation | None = None
) -> Consent | None:
    found = participant.consents.filter(purpose=purpose, revoked_on__isnull=True)
    if purpose == Consent.Purpose.SHARING:
        found = found.filter(organisation=organisation)
    return found.order_by("-given_on").first()


@transaction.atomic
def consent_give(
    *,
    actor: User,
    participant: Participant,
    purpose: str,
    given_on: date | None = None,
    organisation: Organisation | None = None,
    note: str = "",
) -> Consent:
    _require(can_edit_participant(actor, participant))
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    if purpose == Consent.Purpose.SHARING and organisation is None:
        raise ValidationError({"organisation": _("Name the organisation the data may be shared with.")})
    if purpose != Consent.Purpose.SHARING:
        organisation = None
    if consent_active(participant=participant, purpose=purpose, organisation=organisation):
        raise ValidationError(_("This consent is already recorded and has not been revoked."))
    consent = Consent.objects.create(
        participant=participant,
        purpose=purpose,
        organisation=organisation,
        given_on=given_on or timezone.localdate(),
        recorded_by=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        action="consent.give",
        obj=participant,
        after={"purpose": purpose, "organisation": organisation.key if organisation else ""},
        organisation_id=participant.organisation_id,
    )
    return consent


@transaction.atomic
def consent_revoke(*, actor: User, participant: Participant, consent_id: int) -> Consent:
    """Revoke a consent, in one transaction with everything that rests on it: the reasons for fewer
    opportunities (barriers consent) are deleted; a sharing consent ends the access of that
    organisation's follow-up group members at once (``access.effective_membership``) and the referrals
    to its services are withdrawn (the ``consent_revoked`` receivers, which notify after commit)."""
    _require(can_edit_participant(actor, participant))
    consent = participant.consents.select_for_update().filter(pk=consent_id).first()
    if consent is None:
        raise ValidationError(_("No such consent."))
    if consent.revoked_on is not None:
        raise ValidationError(_("This consent has already been revoked."))
    consent.revoked_on = timezone.localdate()
    consent.save(update_fields=["revoked_on"])
    if consent.purpose == Consent.Purpose.BARRIERS and participant.barriers:
        participant.barriers = []
        participant.save(update_fields=["barriers", "updated_at"])
    audit_record(
        actor=actor,
        action="consent.revoke",
        obj=participant,
        after={
            "purpose": consent.purpose,
            "organisation": consent.organisation.key if consent.organisation else "",
        },
        organisation_id=participant.organisation_id,
    )
    consent_revoked.send(sender=Consent, consent=consent, participant=participant, actor=actor)
    return consent


# --- Follow-up group ----------------------------------------------------------------------------------


def _require_sharing_consent(participant: Participant, organisation: Organisation) -> None:
    """A professional of another organisation joins the group only under the person's consent to share
    with that organisation (``access`` also checks it on every request: revoked, no access)."""
    if organisation.pk != participant.organisation_id and not sharing_consent_stands(
        participant, organisation.pk
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "Record the person's consent to share their data with %(org)s first (Consent tab)."
                )
                % {"org": organisation.name}
            }
        )


@transaction.atomic
def group_member_add(
    *,
    actor: User,
    participant: Participant,
    user: User,
    organisation: Organisation,
    role: str = "",
    can_view_personal: bool = False,
) -> FollowUpMember:
    """Add a professional to the follow-up group; personal details only if explicitly allowed."""
    _require(can_edit_participant(actor, participant))
    if role_in(user, organisation) not in PERSONAL_DATA_ROLES:
        raise ValidationError(
            _("Only case workers, administrators and coordinators of that organisation can join a group.")
        )
    if group_member_of(user, participant):
        raise ValidationError(_("This person is already in the group."))
    _require_sharing_consent(participant, organisation)
    member = FollowUpMember.objects.create(
        participant=participant,
        user=user,
        organisation=organisation,
        role=role,
        can_view_personal=can_view_personal,
        started_on=timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action="group.add",
        obj=participant,
        after={"user": user.email, "organisation": organisation.key, "can_view_personal": can_view_personal},
        organisation_id=participant.organisation_id,
    )
    notify(
        involved=[user],
        kind="participant.group",
        params={"participant": participant.pseudonym},
        url=participant.get_absolute_url(),
    )
    return member


@transaction.atomic
def group_member_update(
    *, actor: User, participant: Participant, member_id: int, can_view_personal: bool
) -> None:
    _require(can_edit_participant(actor, participant))
    member = participant.group.filter(pk=member_id, ended_on__isnull=True).first()
    if member is None:
        raise ValidationError(_("No such group member."))
    if can_view_personal:
        _require_sharing_consent(participant, member.organisation)
    before = member.can_view_personal
    member.can_view_personal = can_view_personal
    member.save(update_fields=["can_view_personal"])
    audit_record(
        actor=actor,
        action="group.access",
        obj=participant,
        before={"can_view_personal": before},
        after={"can_view_personal": can_view_personal, "user": member.user.email},
        organisation_id=participant.organisation_id,
    )


@transaction.atomic
def group_member_end(*, actor: User, participant: Participant, member_id: int, reason: str) -> None:
    _require(can_edit_participant(actor, participant))
    member = participant.group.filter(pk=member_id, ended_on__isnull=True).first()
    if member is None:
        raise ValidationError(_("No such group member."))
    member.ended_on = timezone.localdate()
    member.end_reason = reason[:200]
    member.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        actor=actor,
        action="group.end",
        obj=participant,
        after={"user": member.user.email, "reason": reason},
        organisation_id=participant.organisation_id,
    )
