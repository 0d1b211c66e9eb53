"""Write paths of exchanges: propose, the state machine, the contact thread, dates and group size.

Every transition is a service function that checks who may do it; an illegal one is refused with a
message (``ValidationError``), a forbidden one with ``PermissionDenied``. Each writes an audit row and
notifies the other organisation after commit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.exchanges.access import exchange_sides
from matchmaking.exchanges.capacity import capacity_problem
from matchmaking.exchanges.conversations import link_to_exchange
from matchmaking.exchanges.counterparts import ROLES, direction_for, types_compatible
from matchmaking.exchanges.models import HOLDING_STATES, OPEN_STATES, Exchange, Message, State
from matchmaking.mobility.access import can_edit_opportunity
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.organisations.models import Membership, Organisation
from matchmaking.permissions.roles import AnyUser, role_in, signed_in
from matchmaking.taxonomies.activity_durations import duration_problem

ANSWER_DAYS = getattr(settings, "EXCHANGE_ANSWER_DAYS", 14)

COUNTRY_TIME_ZONES = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CH": "Europe/Zurich",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen",
    "EE": "Europe/Tallinn", "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
    "GR": "Europe/Athens", "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin",
    "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga", "MT": "Europe/Malta", "NL": "Europe/Amsterdam", "NO": "Europe/Oslo",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest", "SE": "Europe/Stockholm",
    "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava", "TR": "Europe/Istanbul", "GB": "Europe/London",
}  # fmt: skip

# action → (from states, to state, who: "answering" | "either" | "host")
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "accept": ((State.PROPOSED,), State.AGREED, "answering"),
    "decline": ((State.PROPOSED,), State.DECLINED, "answering"),
    "plan": ((State.AGREED,), State.PLANNING, "either"),
    "confirm": ((State.PLANNING,), State.CONFIRMED, "host"),
    "start": ((State.CONFIRMED,), State.UNDER_WAY, "either"),
    "complete": ((State.UNDER_WAY,), State.COMPLETED, "either"),
    "report": ((State.COMPLETED,), State.REPORTED, "either"),
    "cancel": (OPEN_STATES, State.CANCELLED, "either"),
}
NEEDS_REASON = ("decline", "cancel")
# Steps that say something happened: not before the day it can have happened (in the host's calendar).
# action → the exchange's date field it waits for.
NOT_BEFORE = {"start": "start", "complete": "end", "report": "end"}
FOLLOW_UP_MONTHS = 6
ACTION_PAST = {
    "accept": gettext_lazy("accepted"),
    "decline": gettext_lazy("declined"),
    "plan": gettext_lazy("moved to planning"),
    "confirm": gettext_lazy("confirmed"),
    "start": gettext_lazy("started"),
    "complete": gettext_lazy("completed"),
    "report": gettext_lazy("marked reported"),
    "cancel": gettext_lazy("cancelled"),
}


def exchange_today(exchange: Exchange) -> date:
    """Today in the host's calendar (the exchange's time zone)."""
    try:
        return timezone.localdate(timezone=ZoneInfo(exchange.time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.localdate()


def follow_up_opens(exchange: Exchange) -> date:
    """The six-month question opens six calendar months after the last day."""
    return exchange.end + relativedelta(months=FOLLOW_UP_MONTHS)


def calendar_problem(action: str, exchange: Exchange) -> str | None:
    """Why ``action`` cannot happen yet by the calendar (None when it can): the date is named."""
    waits_for = NOT_BEFORE.get(action)
    if waits_for is None:
        return None
    day = getattr(exchange, waits_for)
    if exchange_today(exchange) >= day:
        return None
    if waits_for == "start":
        return _("The exchange can be marked under way from its first day, %(date)s, not before.") % {
            "date": day
        }
    if action == "complete":
        return _("The exchange can be marked completed from its last day, %(date)s, not before.") % {
            "date": day
        }
    return _("The exchange can be marked reported from its last day, %(date)s, not before.") % {"date": day}


def dates_problems(exchange: Exchange, *, start: date, end: date, activity_code: str) -> dict[str, str]:
    """Field → rule broken by new dates: order, a window in the past, the activity type's duration."""
    if end < start:
        return {"end": _("The last day is before the first day.")}
    today = exchange_today(exchange)
    if end < today:
        return {"end": _("The last day, %(date)s, is in the past.") % {"date": end}}
    problem = duration_problem(activity_code, (end - start).days + 1)
    return {"end": problem} if problem else {}


def members_of(*organisations: Organisation | int) -> list[User]:
    ids = [o if isinstance(o, int) else o.pk for o in organisations]
    return [m.user for m in Membership.objects.filter(organisation_id__in=ids).select_related("user")]


def _memberships(*organisation_ids: int) -> list[Membership]:
    """The memberships of the organisations a notification is about (the kind picks the roles)."""
    return list(Membership.objects.filter(organisation_id__in=organisation_ids).select_related("user"))


def _other_side(exchange: Exchange, organisation_id: int) -> int:
    return exchange.visitor_id if organisation_id == exchange.host_id else exchange.host_id


def acting_side(actor: AnyUser, exchange: Exchange) -> int:
    """The organisation the actor acts for (the host when they belong to both)."""
    sides = exchange_sides(actor, exchange)
    if not sides:
        raise PermissionDenied
    return exchange.host_id if exchange.host_id in sides else next(iter(sides))


def allowed_actions(actor: AnyUser, exchange: Exchange) -> list[str]:
    """The transitions ``actor`` may make now (for the buttons); the services check again."""
    sides = exchange_sides(actor, exchange)
    out = []
    for action, (sources, _target, who) in TRANSITIONS.items():
        if exchange.state not in sources or not sides:
            continue
        if who == "answering" and exchange.answering_organisation_id not in sides:
            continue
        if who == "host" and exchange.host_id not in sides:
            continue
        out.append(action)
    return out


# --- Proposing -------------------------------------------------------------------------------------


def _roles(
    ours: Opportunity, other: Organisation, theirs: Opportunity | None
) -> tuple[Organisation, Organisation]:
    """(host, visitor): the side of the offer hosts; a request, or a partnership, visits."""
    if ours.direction == Direction.OFFER:
        return ours.organisation, other
    return other, ours.organisation


def proposal_defaults(ours: Opportunity, theirs: Opportunity | None) -> dict[str, Any]:
    """Dates, group size and funding suggested for a proposal between two opportunities."""
    request = ours if ours.direction == Direction.REQUEST or theirs is None else theirs
    offer = theirs if request is ours else ours
    starts = [d for d in (ours.earliest, theirs.earliest if theirs else None) if d]
    start = max(starts) if starts else timezone.localdate() + timedelta(days=30)
    start = max(start, timezone.localdate() + timedelta(days=1))
    duration = max(1, request.duration_days)
    group = request.group_size
    if offer is not None and offer is not request:
        group = min(group, offer.group_size) or group
    return {
        "start": start,
        "end": start + timedelta(days=duration - 1),
        "group_size": group,
        "funding": request.funding or (offer.funding if offer else ""),
        "activity_code": request.activity_code or (offer.activity_code if offer else ""),
    }


@transaction.atomic
def exchange_propose(
    *,
    actor: AnyUser,
    ours: Opportunity,
    other: Organisation,
    theirs: Opportunity | None = None,
    message: str,
    start: date,
    end: date,
    group_size: int,
    funding: str = "",
    activity_code: str = "",
    blended: bool = False,
    role: str = "",
) -> Exchange:
    """A proposal with a first message, to be accepted or declined by ``other``.

    Who visits and who hosts follows from ``ours``: with a request we visit, with an offer we host.
    ``role`` ("visit" or "host"), when given, is what the proposer said; a listing that says otherwise
    is refused instead of reversing the visit."""
    if not can_edit_opportunity(actor, ours) or not role_in(actor, ours.organisation):
        raise PermissionDenied
    if role and role not in ROLES:
        raise ValidationError({"role": _("Say whether you want to visit or to host.")})
    if role and ours.direction != direction_for(role):
        raise ValidationError(
            {"ours": _("To visit, choose one of your requests; to host, one of your offers.")}
        )
    if theirs is not None and theirs.organisation_id != other.pk:
        raise ValidationError(_("That offer or request belongs to another organisation."))
    if other.pk == ours.organisation_id:
        raise ValidationError(_("You cannot propose an exchange to your own organisation."))
    if other.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("%(org)s is not an active member of the network.") % {"org": other})
    if theirs is not None and theirs.status != Opportunity.Status.OPEN:
        raise ValidationError(_("That offer or request is no longer open."))
    if theirs is not None and theirs.direction == ours.direction:
        # Who visits and who hosts follows from the two listings: an offer (we host) answers a request
        # (we want to visit), never another offer.
        raise ValidationError(
            _("Answer an offer with one of your requests, and a request with one of your offers.")
        )
    if theirs is not None and not types_compatible(ours.type.code, theirs.type.code):
        raise ValidationError(
            {
                "ours": _("%(ours)s cannot answer %(theirs)s: choose a listing of the same kind.")
                % {"ours": ours.type.label, "theirs": theirs.type.label}
            }
        )
    if end < start:
        raise ValidationError({"end": _("The last day is before the first day.")})
    if start < timezone.localdate():
        raise ValidationError({"start": _("The first day, %(date)s, is in the past.") % {"date": start}})
    problem = duration_problem(activity_code, (end - start).days + 1)
    if problem:
        raise ValidationError({"end": problem})
    if not message.strip():
        raise ValidationError({"message": _("Write a short message to introduce yourselves.")})
    host, visitor = _roles(ours, other, theirs)
    if group_size < 1:
        raise ValidationError({"group_size": _("At least one person travels.")})
    if host.hosting_capacity <= 0 or group_size > host.hosting_capacity:
        raise ValidationError({"group_size": capacity_problem(host, start, end, group_size)})
    exchange = Exchange.objects.create(
        host=host,
        visitor=visitor,
        proposed_by=ours.organisation,
        offer=ours if ours.direction == Direction.OFFER else theirs,
        request=ours if ours.direction != Direction.OFFER else theirs,
        type=ours.type,
        start=start,
        end=end,
        group_size=group_size,
        funding=funding,
        activity_code=activity_code,
        blended=blended,
        time_zone=COUNTRY_TIME_ZONES.get(host.country, settings.TIME_ZONE),
        created_by=signed_in(actor),
        state_changed_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=ANSWER_DAYS),
    )
    Message.objects.create(
        exchange=exchange, organisation=ours.organisation, author=signed_in(actor), body=message.strip()
    )
    link_to_exchange(exchange=exchange)  # the two organisations' earlier conversations show on it
    audit_record(
        actor=actor,
        action="exchange.proposed",
        obj=exchange,
        after={
            "host": host.key,
            "visitor": visitor.key,
            "start": start,
            "end": end,
            "group_size": group_size,
        },
        organisation_id=ours.organisation_id,
    )
    notify(
        memberships=_memberships(other.pk),
        kind="exchange.proposed",
        params={"org": ours.organisation.name, "title": exchange.title_param(), "start": start, "end": end},
        text=message.strip()[:500],
        url=exchange.get_absolute_url(),
    )
    return exchange


# --- The state machine -----------------------------------------------------------------------------


def _check_rules(action: str, exchange: Exchange, actor: AnyUser) -> None:
    if action == "confirm":
        if exchange.changes.filter(state="pending").exists():
            raise ValidationError(
                _(
                    "A proposed change of dates or group size is waiting; "
                    "accept or refuse it before confirming."
                )
            )
        if not exchange.visitors.exists():
            raise ValidationError(_("Add the visitors before confirming the exchange."))
        if not exchange.programme.exists():
            raise ValidationError(_("Add at least one programme item before confirming the exchange."))
    if action == "report":
        report = getattr(exchange, "report", None)
        if report is None or not (report.host_lesson_list() and report.visitor_lesson_list()):
            raise ValidationError(
                _("Write the lessons learnt by the host and by the participants before marking it reported.")
            )


@transaction.atomic
def exchange_transition(*, actor: AnyUser, exchange: Exchange, action: str, reason: str = "") -> Exchange:
    """Move ``exchange`` along: accept, decline, plan, confirm, start, complete, report or cancel."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    sources, target, who = TRANSITIONS[action]
    if actor is not None:
        sides = exchange_sides(actor, exchange)
        if not sides:
            raise PermissionDenied
        if who == "answering" and exchange.answering_organisation_id not in sides:
            raise ValidationError(_("Only the organisation that received the proposal can answer it."))
        if who == "host" and exchange.host_id not in sides:
            raise ValidationError(_("Only the host can confirm the exchange."))
    if action in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Please give a reason; the other organisation will see it.")})
    # Lock the host first (capacity is per host), then the exchange, in that order everywhere.
    host = Organisation.objects.select_for_update().get(pk=exchange.host_id)
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if locked.state not in sources:
        raise ValidationError(
            _("This exchange is %(state)s; it cannot be %(action)s now.")
            % {"state": locked.get_state_display().lower(), "action": ACTION_PAST[action]}
        )
    if target in HOLDING_STATES and locked.state not in HOLDING_STATES:
        problem = capacity_problem(host, locked.start, locked.end, locked.group_size, exclude=locked.pk)
        if problem:
            raise ValidationError(problem)
    problem = calendar_problem(action, locked)
    if problem:
        raise ValidationError(problem)
    _check_rules(action, locked, actor)
    before = locked.state
    locked.state = target
    locked.state_reason = reason.strip()
    locked.state_changed_at = timezone.now()
    locked.save(update_fields=["state", "state_reason", "state_changed_at", "updated_at"])
    side = acting_side(actor, locked) if actor is not None else None
    audit_record(
        actor=actor,
        action=f"exchange.{action}",
        obj=locked,
        before={"state": before},
        after={"state": target},
        reason=reason,
        organisation_id=side,
    )
    told = (
        _memberships(_other_side(locked, side)) if side else _memberships(locked.host_id, locked.visitor_id)
    )
    notify(
        memberships=told,
        involved=[locked.created_by] if side != locked.proposed_by_id else [],
        kind=f"exchange.{action}",
        params={
            "org": locked.host.name if side == locked.host_id else locked.visitor.name,
            "title": locked.title_param(),
            "start": locked.start,
            "end": locked.end,
        },
        text=reason.strip()[:500],
        url=locked.get_absolute_url(),
    )
    if action == "complete":
        notify(
            memberships=_memberships(locked.host_id, locked.visitor_id),
            kind="exchange.feedback",
            params={"title": locked.title_param(), "start": locked.start, "end": locked.end},
            url=locked.get_absolute_url(),
        )
        locked.feedback_prompted_at = timezone.now()
        locked.save(update_fields=["feedback_prompted_at"])
    exchange.refresh_from_db()
    return locked


def exchange_accept(*, actor: AnyUser, exchange: Exchange, reason: str = "") -> Exchange:
    return exchange_transition(actor=actor, exchange=exchange, action="accept", reason=reason)


def exchange_decline(*, actor: AnyUser, exchange: Exchange, reason: str) -> Exchange:
    return exchange_transition(actor=actor, exchange=exchange, action="decline", reason=reason)


def exchange_cancel(*, actor: AnyUser, exchange: Exchange, reason: str) -> Exchange:
    return exchange_transition(actor=actor, exchange=exchange, action="cancel", reason=reason)


@transaction.atomic
def exchange_expire(*, exchange: Exchange) -> bool:
    """A proposal nobody answered in time expires (system action); the proposer is told."""
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if locked.state != State.PROPOSED:
        return False
    locked.state, locked.state_reason = State.EXPIRED, "no answer in time"
    locked.state_changed_at = timezone.now()
    locked.save(update_fields=["state", "state_reason", "state_changed_at", "updated_at"])
    audit_record(
        actor=None, action="exchange.expired", obj=locked, before={"state": State.PROPOSED},
        after={"state": State.EXPIRED}, reason="no answer in time", organisation_id=locked.proposed_by_id,
    )  # fmt: skip
    notify(
        memberships=_memberships(locked.proposed_by_id),
        involved=[locked.created_by],
        kind="exchange.expired",
        params={
            "org": (locked.host if locked.proposed_by_id == locked.visitor_id else locked.visitor).name,
            "title": locked.title_param(),
        },
        url=locked.get_absolute_url(),
    )
    return True


# --- Thread and details ----------------------------------------------------------------------------


@transaction.atomic
def message_post(*, actor: AnyUser, exchange: Exchange, body: str) -> Message:
    side = acting_side(actor, exchange)
    if exchange.state == State.DRAFT:
        raise ValidationError({"body": _("This exchange is a draft: send it, with your message, first.")})
    if not body.strip():
        raise ValidationError({"body": _("The message is empty.")})
    message = Message.objects.create(
        exchange=exchange, organisation_id=side, author=signed_in(actor), body=body.strip()
    )
    audit_record(
        actor=actor,
        action="exchange.message",
        obj=exchange,
        after={"message": message.pk},
        organisation_id=side,
    )
    notify(
        memberships=_memberships(_other_side(exchange, side)),
        involved=[exchange.created_by] if side != exchange.proposed_by_id else [],
        kind="exchange.message",
        params={"org": Organisation.objects.get(pk=side).name, "title": exchange.title_param()},
        text=body.strip()[:500],
        url=exchange.get_absolute_url(),
    )
    return message


@transaction.atomic
def exchange_prompt_follow_up(*, exchange: Exchange, now: datetime) -> Exchange:
    """Ask both organisations, once, whether cooperation followed the visit."""
    notify(
        memberships=_memberships(exchange.host_id, exchange.visitor_id),
        kind="exchange.follow-up",
        params={"title": exchange.title_param(), "start": exchange.start, "end": exchange.end},
        url=exchange.get_absolute_url(),
    )
    exchange.followup_prompted_at = now
    exchange.save(update_fields=["followup_prompted_at"])
    return exchange
