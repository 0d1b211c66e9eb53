"""Who may keep the directory of support services and answer referrals.

A support service's own organisation sees and answers the referrals sent to it, by pseudonym unless
the referral's consent is to share with that organisation and still stands. Recording steps,
meetings and outcomes follows ``participants.access.can_record_pathway``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from matchmaking.participants.access import can_use_caseload
from matchmaking.pathways.models import Referral
from matchmaking.permissions.roles import AnyUser, caseload_organisations


def can_manage_directory(user: AnyUser) -> bool:
    """Any case worker or administrator may add services to the shared directory."""
    return can_use_caseload(user)


def referrals_for_service(user: AnyUser) -> QuerySet[Referral]:
    """Referrals sent to support services of the user's organisations (never of erased people)."""
    orgs = caseload_organisations(user)
    if not orgs:
        return Referral.objects.none()
    return Referral.objects.filter(service__organisation_id__in=orgs).exclude(participant__status="erased")


def can_answer_referral(user: AnyUser, referral: Referral) -> bool:
    """The service's own organisation (a member) accepts, refuses with a reason, or completes it."""
    return bool(
        referral.service.organisation_id
        and referral.participant.status != "erased"
        and referral.service.organisation_id in caseload_organisations(user)
    )


def can_see_referral_identity(user: AnyUser, referral: Referral) -> bool:
    """Only when the consent behind the referral allows sharing with that very organisation, and
    still stands; otherwise the service sees the pseudonym only."""
    consent = referral.consent
    return (
        can_answer_referral(user, referral)
        and consent.purpose == "sharing"
        and consent.organisation_id == referral.service.organisation_id
        and consent.revoked_on is None
    )


def access_referral_for_service(user: AnyUser, referral_id: int) -> Referral:
    referral = (
        Referral.objects.filter(pk=referral_id)
        .select_related("service__organisation", "participant__organisation", "consent", "sent_by")
        .first()
    )
    if referral is None or not can_answer_referral(user, referral):
        raise Http404("No such referral.")
    return referral
