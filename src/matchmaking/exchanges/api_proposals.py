"""API endpoints to list and propose exchanges, and the exchange's own thread of messages.

A proposal states who visits and who hosts, the caller's listing it comes from and the other
organisation's listing it answers; when these disagree the proposal is refused naming the field
(``services_api``). Registered before the exchanges' router, whose ``POST /exchanges/{id}/{action}``
would otherwise take ``/exchanges/{id}/messages``.
"""

# No "from __future__ import annotations": paginated handlers are wrapped, and django-ninja reads
# their annotations in the wrapper's module, so they must be real types, not strings.
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from matchmaking.core.api_schemas import (
    ErrorOut,
    FieldErrorsOut,
    ListPaging,
    Paging,
    Shown,
    clean_text,
    no_nul_characters,
)
from matchmaking.exchanges import selectors
from matchmaking.exchanges import services as exchange_services
from matchmaking.exchanges.api import ExchangeOut, exchange_for_action, exchange_for_reading, exchange_out
from matchmaking.exchanges.models import Exchange, Message
from matchmaking.exchanges.services_api import exchange_propose_between
from matchmaking.mobility.access import access_opportunity, access_opportunity_for_edit
from matchmaking.mobility.models import ActivityType, Funding
from matchmaking.organisations.access import access_organisation

router = Router(tags=["exchanges"])


class ProposalIn(Schema):
    visitor: str = Field(..., max_length=100, description="The key of the organisation that visits.")
    host: str = Field(..., max_length=100, description="The key of the organisation that hosts.")
    listing: str = Field(
        ...,
        max_length=100,
        description="The key of your organisation's listing the proposal comes from: an offer when it "
        "hosts, a request when it visits.",
    )
    answers: str | None = Field(
        None,
        max_length=100,
        description="The key of the other organisation's listing it answers: its request when you host, "
        "its offer when you visit.",
    )
    message: str = Field(..., min_length=1, max_length=10000, description="Introduce yourselves.")
    start: date
    end: date
    group_size: int = Field(..., ge=1, le=500)
    funding: Funding | None = None
    activity_code: ActivityType | None = Field(None, description="Its duration band is checked.")
    blended: bool = False


class ExchangeMessageOut(Schema):
    id: int
    organisation: str = Field(description="The key of the organisation that wrote it.")
    author: str
    body: str
    created_at: datetime


class ExchangeMessageIn(Schema):
    body: str = Field(min_length=1, max_length=10000)


def _message_out(m: Message) -> dict[str, Any]:
    author = m.author
    return {
        "id": m.pk,
        "organisation": m.organisation.key,
        "author": (getattr(author, "name", "") or author.email) if author is not None else "",
        "body": m.body,
        "created_at": m.created_at,
    }


@router.get("/exchanges", response=list[ExchangeOut])
@paginate(Paging)
def exchange_list(request: HttpRequest, state: str = "") -> Shown[Exchange]:
    return Shown(selectors.exchange_list(user=request.user, state=state[:20]), exchange_out)


T = TypeVar("T")

_UNKNOWN = {
    "visitor": gettext_lazy("No organisation with this key that you may propose for or to."),
    "host": gettext_lazy("No organisation with this key that you may propose for or to."),
    "listing": gettext_lazy("None of your organisation's listings that you may use has this key."),
    "answers": gettext_lazy("No open listing with this key."),
}


def _named(field: str, find: Callable[[], T]) -> T:
    """The object a key in the body names, or a refusal naming the field (never a bare 404)."""
    try:
        return find()
    except Http404:
        raise ValidationError({field: str(_UNKNOWN[field])}) from None


@router.post("/exchanges", response={201: ExchangeOut, 404: ErrorOut, 422: FieldErrorsOut})
def exchange_propose(request: HttpRequest, payload: ProposalIn) -> Status[dict[str, Any]]:
    """Propose an exchange to the other organisation, which accepts, declines or proposes other dates
    (``POST /exchanges/{id}/accept``, ``.../decline``, ``.../changes``). An unknown key, or one you may
    not use, is a 422 naming its field (the same message for both, so nothing is revealed)."""
    no_nul_characters(payload.dict())
    user, answers_key = request.user, payload.answers or ""
    exchange = exchange_propose_between(
        actor=user,
        visitor=_named("visitor", lambda: access_organisation(user, clean_text(payload.visitor))),
        host=_named("host", lambda: access_organisation(user, clean_text(payload.host))),
        listing=_named("listing", lambda: access_opportunity_for_edit(user, clean_text(payload.listing))),
        answers=_named("answers", lambda: access_opportunity(user, clean_text(answers_key)))
        if answers_key
        else None,
        message=payload.message,
        start=payload.start,
        end=payload.end,
        group_size=payload.group_size,
        funding=payload.funding.value if payload.funding else "",
        activity_code=payload.activity_code.value if payload.activity_code else "",
        blended=payload.blended,
    )
    return Status(201, exchange_out(exchange))


@router.get("/exchanges/{exchange_id}/messages", response={200: list[ExchangeMessageOut], 404: ErrorOut})
@paginate(ListPaging)
def exchange_message_list(request: HttpRequest, exchange_id: int) -> Shown[Message]:
    """The exchange's thread between its two organisations, oldest first."""
    exchange = exchange_for_reading(request, exchange_id)
    return Shown(selectors.exchange_messages(exchange=exchange), _message_out)


@router.post(
    "/exchanges/{exchange_id}/messages",
    response={201: ExchangeMessageOut, 404: ErrorOut, 422: FieldErrorsOut},
)
def exchange_message_create(
    request: HttpRequest, exchange_id: int, payload: ExchangeMessageIn
) -> Status[dict[str, Any]]:
    """Write in the exchange's thread for the caller's organisation (the other one is notified)."""
    exchange = exchange_for_action(request, exchange_id)
    no_nul_characters(payload.dict())
    message = exchange_services.message_post(actor=request.user, exchange=exchange, body=payload.body)
    return Status(201, _message_out(message))
