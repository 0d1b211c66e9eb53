"""Read paths of exchanges: only the caller's organisations' exchanges (coordinators see all)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from matchmaking.core.models import AuditEvent
from matchmaking.exchanges.models import (
    CompletionReport,
    Exchange,
    ExchangeChange,
    Message,
    ProgrammeItem,
    Testimonial,
    Visitor,
)
from matchmaking.permissions.roles import AnyUser, is_coordinator, is_member, roles_of


def exchange_list(
    *, user: AnyUser, state: str = "", organisation_id: int | None = None
) -> QuerySet[Exchange]:
    if not is_member(user):
        return Exchange.objects.none()
    qs = Exchange.objects.all()
    if not is_coordinator(user):
        own = list(roles_of(user).keys())
        qs = qs.filter(Q(host_id__in=own) | Q(visitor_id__in=own))
    if state:
        qs = qs.filter(state=state)
    if organisation_id:
        qs = qs.filter(Q(host_id=organisation_id) | Q(visitor_id=organisation_id))
    return qs.select_related("host", "visitor", "type").order_by("-start", "pk")


def exchange_messages(*, exchange: Exchange) -> QuerySet[Message]:
    return exchange.messages.select_related("author", "organisation")


def exchange_history(*, exchange: Exchange) -> QuerySet[AuditEvent]:

    return AuditEvent.objects.filter(
        object_type="exchanges.exchange", object_id=str(exchange.pk), action__in=_STATE_ACTIONS
    ).order_by("occurred_at", "pk")


_STATE_ACTIONS = [
    "exchange.proposed", "exchange.accept", "exchange.decline", "exchange.plan", "exchange.confirm",
    "exchange.start", "exchange.complete", "exchange.report", "exchange.cancel", "exchange.expired",
    "exchange.updated", "exchange.change-proposed", "exchange.change-accepted", "exchange.change-refused",
]  # fmt: skip


def exchange_visitor(*, exchange: Exchange, visitor_id: int) -> Visitor | None:
    """One visitor of ``exchange`` (``None`` for an unknown id or another exchange's visitor)."""
    return Visitor.objects.filter(pk=visitor_id, exchange=exchange).first()


def exchange_programme_item(*, exchange: Exchange, item_id: int) -> ProgrammeItem | None:
    """One programme item of ``exchange`` (``None`` for an unknown id or another exchange's item)."""
    return ProgrammeItem.objects.filter(pk=item_id, exchange=exchange).first()


def consented_quotes(*, exchange: Exchange) -> QuerySet[Testimonial]:
    """The quotes of ``exchange`` whose author agreed to publication."""
    return exchange.testimonials.filter(consent=True).select_related("organisation")


def exchange_report(*, exchange: Exchange) -> CompletionReport | None:
    """The exchange's completion report, once one is written."""
    return CompletionReport.objects.filter(exchange=exchange).first()


def pending_change(*, exchange: Exchange) -> ExchangeChange | None:
    """The change of dates or group size waiting for the other side's answer, if any."""
    return (
        ExchangeChange.objects.filter(exchange=exchange, state=ExchangeChange.State.PENDING)
        .select_related("proposed_by")
        .first()
    )
