"""Proposing without a listing of the right kind yet: our listing is created in the same step as the
proposal, all or nothing (a refused proposal leaves no listing behind)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.exchanges.counterparts import ROLES, direction_for, role_answering, types_compatible
from matchmaking.exchanges.models import Exchange
from matchmaking.exchanges.services import exchange_propose
from matchmaking.mobility.access import can_post_opportunities
from matchmaking.mobility.models import Opportunity
from matchmaking.mobility.services import opportunity_create
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser, role_in


@transaction.atomic
def exchange_propose_with_new_listing(
    *,
    actor: AnyUser,
    organisation: Organisation,
    theirs: Opportunity,
    role: str,
    message: str,
    start: date,
    end: date,
    group_size: int,
    type_code: str = "",
    description: str = "",
    funding: str = "",
    activity_code: str = "",
    blended: bool = False,
) -> Exchange:
    """Create our request (to visit) or offer (to host) for ``theirs`` and propose from it at once.

    The new listing takes the proposal's dates, group size and funding, and the topics, target groups
    and languages of ``theirs`` (our languages in common with theirs when there are any)."""
    if not can_post_opportunities(actor, organisation) or not role_in(actor, organisation):
        raise PermissionDenied
    if role not in ROLES:
        raise ValidationError({"role": _("Say whether you want to visit or to host.")})
    if role != role_answering(theirs):
        raise ValidationError({"role": _("An offer is answered by a visit, and a request by hosting.")})
    type_code = type_code or theirs.type.code
    if not types_compatible(type_code, theirs.type.code):
        raise ValidationError(
            {"type": _("Choose the same kind of opportunity as theirs, or a neighbouring one.")}
        )
    if end < start:
        raise ValidationError({"end": _("The last day is before the first day.")})
    theirs_languages = list(theirs.languages.values_list("code", flat=True))
    shared = sorted(set(organisation.languages.values_list("code", flat=True)) & set(theirs_languages))
    listing = opportunity_create(
        actor=actor,
        organisation=organisation,
        data={
            "type": type_code,
            "direction": direction_for(role),
            "topics": list(theirs.topics.values_list("code", flat=True)),
            "target_groups": list(theirs.target_groups.values_list("code", flat=True)),
            "languages": shared or sorted(theirs_languages),
            "earliest": start,
            "latest": end,
            "duration_days": (end - start).days + 1,
            "group_size": group_size,
            "description": description.strip() or message.strip(),
            "funding": funding,
            "activity_code": activity_code,
        },
    )
    return exchange_propose(
        actor=actor,
        ours=listing,
        other=theirs.organisation,
        theirs=theirs,
        message=message,
        start=start,
        end=end,
        group_size=group_size,
        funding=funding,
        activity_code=activity_code,
        blended=blended,
        role=role,
    )
