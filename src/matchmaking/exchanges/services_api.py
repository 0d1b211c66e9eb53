"""Write paths the API needs on top of ``services``: a proposal that states who visits and who hosts.

A program says outright which organisation visits and which hosts, and which listings the proposal
comes from and answers; these must agree with what the listings say (the host's listing is an offer,
the visitor's a request), or the proposal is refused naming the field at fault, before anything is
written. The proposal itself is ``services.exchange_propose``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.exchanges.models import Exchange
from matchmaking.exchanges.services import exchange_propose
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser


def sides_problems(
    *, visitor: Organisation, host: Organisation, listing: Opportunity, answers: Opportunity | None
) -> dict[str, str]:
    """Field → rule broken by the stated sides and listings (empty when they agree)."""
    if visitor.pk == host.pk:
        return {"host": _("The host and the visitor are two different organisations.")}
    if listing.organisation_id not in (visitor.pk, host.pk):
        return {"listing": _("The listing must be the visitor's or the host's.")}
    hosting = listing.organisation_id == host.pk
    if hosting and listing.direction != Direction.OFFER:
        return {"listing": _("%(org)s hosts: give one of its offers, not a request.") % {"org": host}}
    if not hosting and listing.direction != Direction.REQUEST:
        return {"listing": _("%(org)s visits: give one of its requests, not an offer.") % {"org": visitor}}
    if answers is None:
        return {}
    other = visitor if hosting else host
    if answers.organisation_id != other.pk:
        return {"answers": _("The listing answered must be one of %(org)s's.") % {"org": other}}
    if hosting and answers.direction != Direction.REQUEST:
        return {"answers": _("%(org)s visits: answer one of its requests, not an offer.") % {"org": visitor}}
    if not hosting and answers.direction != Direction.OFFER:
        return {"answers": _("%(org)s hosts: answer one of its offers, not a request.") % {"org": host}}
    return {}


# The proposal service's names for the two listings → the names a program gives them.
FIELD_NAMES = {"ours": "listing", "theirs": "answers"}


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({FIELD_NAMES.get(name, name): errors for name, errors in exc.error_dict.items()})


@transaction.atomic
def exchange_propose_between(
    *,
    actor: AnyUser,
    visitor: Organisation,
    host: Organisation,
    listing: Opportunity,
    answers: Opportunity | None = None,
    message: str,
    start: date,
    end: date,
    group_size: int,
    funding: str = "",
    activity_code: str = "",
    blended: bool = False,
) -> Exchange:
    """Propose an exchange in which ``visitor`` visits ``host``; ``listing`` is the actor's organisation's
    offer (it hosts) or request (it visits), ``answers`` the other organisation's listing, if any."""
    problems = sides_problems(visitor=visitor, host=host, listing=listing, answers=answers)
    if problems:
        raise ValidationError(problems)
    other = visitor if listing.organisation_id == host.pk else host
    try:
        return exchange_propose(
            actor=actor,
            ours=listing,
            other=other,
            theirs=answers,
            message=message,
            start=start,
            end=end,
            group_size=group_size,
            funding=funding,
            activity_code=activity_code,
            blended=blended,
        )
    except ValidationError as exc:
        raise _renamed(exc) from exc
