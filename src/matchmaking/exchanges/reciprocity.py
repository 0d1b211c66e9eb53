"""The return visit: after a visit, the other way round. One click drafts an exchange addressed to the
partner in which the original host visits the original visitors, linked to the original
(``Exchange.reciprocal_of``). A second click opens the same draft. The side that drafted it sends it
(it then is an ordinary proposal, answered by the partner) or discards it.

A return visit counts in monitoring's reciprocity once it holds places (agreed onwards), like any
exchange between the two organisations; ``reciprocal_of`` says which visit it returns."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.exchanges.capacity import capacity_problem
from matchmaking.exchanges.models import CompletionReport, Exchange, Message, State
from matchmaking.exchanges.services import (
    ANSWER_DAYS,
    COUNTRY_TIME_ZONES,
    _memberships,
    acting_side,
    dates_problems,
)
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser, signed_in

# A return visit is drafted after the visit; a declined, cancelled or expired one may be drafted again.
RETURNABLE_STATES = (State.COMPLETED, State.REPORTED)
DEAD_STATES = (State.DECLINED, State.CANCELLED, State.EXPIRED)
DRAFT_LEAD_DAYS = 60


def live_return_visit(exchange: Exchange) -> Exchange | None:
    """The return visit of ``exchange`` that is still a draft or went ahead, if any."""
    return (
        exchange.reciprocals.exclude(state__in=DEAD_STATES)
        .select_related("host", "visitor", "proposed_by")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def reciprocal_exchange_draft(*, actor: AnyUser, exchange: Exchange) -> tuple[Exchange, bool]:
    """The draft of the return visit of ``exchange`` and whether it was created now (False: it
    already existed, and is returned as it is)."""
    side = acting_side(actor, exchange)
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)  # two clicks at once: one draft
    existing = live_return_visit(locked)
    if existing is not None:
        return existing, False
    if locked.state not in RETURNABLE_STATES:
        raise ValidationError(_("A reciprocal visit is planned once the visit is completed."))
    host, visitor = locked.visitor, locked.host  # the other way round
    start = timezone.localdate() + timedelta(days=DRAFT_LEAD_DAYS)
    draft = Exchange.objects.create(
        host=host,
        visitor=visitor,
        proposed_by_id=side,
        type=locked.type,
        start=start,
        end=start + timedelta(days=locked.days - 1),
        group_size=locked.group_size,
        funding=locked.funding,
        activity_code=locked.activity_code,
        time_zone=COUNTRY_TIME_ZONES.get(host.country, settings.TIME_ZONE),
        state=State.DRAFT,
        state_changed_at=timezone.now(),
        created_by=signed_in(actor),
        reciprocal_of=locked,
    )
    report, _created = CompletionReport.objects.get_or_create(exchange=locked)
    line = _("Reciprocal visit: %(org)s visits %(host)s (draft created)") % {"org": visitor, "host": host}
    if line not in report.follow_up_actions:
        report.follow_up_actions = (report.follow_up_actions + "\n" + line).strip()
        report.save(update_fields=["follow_up_actions", "updated_at"])
    for obj, after in (
        (locked, {"return_visit": draft.pk}),
        (draft, {"host": host.key, "visitor": visitor.key, "reciprocal_of": locked.pk}),
    ):
        audit_record(
            actor=actor, action="exchange.reciprocal-draft", obj=obj, after=after, organisation_id=side
        )
    return draft, True


def _drafting_side(actor: AnyUser, exchange: Exchange) -> int:
    side = acting_side(actor, exchange)
    if side != exchange.proposed_by_id:
        raise PermissionDenied
    if exchange.state != State.DRAFT:
        raise ValidationError(_("This exchange is not a draft any more."))
    return side


@transaction.atomic
def exchange_send_draft(*, actor: AnyUser, exchange: Exchange, message: str) -> Exchange:
    """Send a draft to the partner: it becomes a proposal with a first message, to accept or decline."""
    host = Organisation.objects.select_for_update().get(pk=exchange.host_id)
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    side = _drafting_side(actor, locked)
    if not message.strip():
        raise ValidationError({"message": _("Write a short message to introduce yourselves.")})
    problems = dates_problems(locked, start=locked.start, end=locked.end, activity_code=locked.activity_code)
    if not problems and locked.start < timezone.localdate():
        problems = {"start": _("The first day, %(date)s, is in the past.") % {"date": locked.start}}
    if problems:
        raise ValidationError(problems)
    if host.hosting_capacity <= 0 or locked.group_size > host.hosting_capacity:
        raise ValidationError(
            {"group_size": capacity_problem(host, locked.start, locked.end, locked.group_size)}
        )
    locked.state = State.PROPOSED
    locked.state_changed_at = timezone.now()
    locked.expires_at = timezone.now() + timedelta(days=ANSWER_DAYS)
    locked.save(update_fields=["state", "state_changed_at", "expires_at", "updated_at"])
    ours = locked.host if side == locked.host_id else locked.visitor
    other_id = locked.visitor_id if side == locked.host_id else locked.host_id
    Message.objects.create(
        exchange=locked, organisation_id=side, author=signed_in(actor), body=message.strip()
    )
    audit_record(
        actor=actor,
        action="exchange.proposed",
        obj=locked,
        before={"state": State.DRAFT},
        after={
            "state": State.PROPOSED,
            "start": locked.start,
            "end": locked.end,
            "group_size": locked.group_size,
        },
        organisation_id=side,
    )
    notify(
        memberships=_memberships(other_id),
        kind="exchange.proposed",
        params={"org": ours.name, "title": locked.title_param(), "start": locked.start, "end": locked.end},
        text=message.strip()[:500],
        url=locked.get_absolute_url(),
    )
    exchange.refresh_from_db()
    return locked


@transaction.atomic
def exchange_discard_draft(*, actor: AnyUser, exchange: Exchange) -> Exchange:
    """The side that drafted a return visit drops it (the partner was never told); it can be drafted
    again from the original exchange."""
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    side = _drafting_side(actor, locked)
    locked.state = State.CANCELLED
    locked.state_changed_at = timezone.now()
    locked.save(update_fields=["state", "state_changed_at", "updated_at"])
    audit_record(
        actor=actor, action="exchange.cancel", obj=locked, before={"state": State.DRAFT},
        after={"state": State.CANCELLED}, organisation_id=side,
    )  # fmt: skip
    exchange.refresh_from_db()
    return locked
