"""API endpoints for what follows a visit: the completion report (read, write, mark the exchange
reported) and each side's feedback, with its answer six months later.

The two organisations of the exchange write; coordinators read; anyone else gets a 404. Registered
before the exchanges' router, whose ``POST /exchanges/{id}/{action}`` would otherwise take these paths.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from matchmaking.core.api_schemas import ErrorOut, FieldErrorsOut, no_nul_characters
from matchmaking.exchanges import reports as report_services
from matchmaking.exchanges import selectors
from matchmaking.exchanges import services as exchange_services
from matchmaking.exchanges.api import (
    ActionIn,
    ExchangeOut,
    exchange_for_action,
    exchange_for_reading,
    exchange_out,
)
from matchmaking.exchanges.models import CompletionReport, Exchange, Feedback, FollowUp

router = Router(tags=["exchanges"])

ITEMS = 100  # items a list of lessons or actions may hold
ITEM_LENGTH = 2000  # characters an item may hold
LISTS = ("host_lessons", "visitor_lessons", "follow_up_actions")


class QuoteOut(Schema):
    author_name: str
    text: str
    organisation: str


class ReportOut(Schema):
    summary: str
    outcomes: str
    host_lessons: list[str]
    visitor_lessons: list[str]
    follow_up_actions: list[str]
    host_feedback: str
    visitor_feedback: str
    host_follow_up: str
    visitor_follow_up: str
    quotes: list[QuoteOut] = Field(description="Quotes whose author agreed to publication.")


def _items() -> Any:  # pydantic's Field() is typed Any, so it fits any field's annotation
    return Field(
        None, max_length=ITEMS, description="One lesson or action an item; replaces the stored list."
    )


class ReportIn(Schema):
    """The fields given replace the stored ones; those left out stay as they are."""

    summary: str | None = Field(None, max_length=10000)
    outcomes: str | None = Field(None, max_length=10000)
    host_lessons: list[str] | None = _items()
    visitor_lessons: list[str] | None = _items()
    follow_up_actions: list[str] | None = _items()


class FeedbackIn(Schema):
    """The answers of the caller's organisation (the host's or the visitor's, as it takes part)."""

    feedback: Feedback | None = Field(None, description="How the visit went; once it is completed.")
    follow_up: FollowUp | None = Field(
        None, description="Did cooperation follow? From six months after the last day."
    )


def _report_out(exchange: Exchange, report: CompletionReport) -> dict[str, Any]:
    return {
        "summary": report.summary, "outcomes": report.outcomes,
        "host_lessons": report.host_lesson_list(), "visitor_lessons": report.visitor_lesson_list(),
        "follow_up_actions": report.follow_up_list(),
        "host_feedback": report.host_feedback, "visitor_feedback": report.visitor_feedback,
        "host_follow_up": report.host_follow_up, "visitor_follow_up": report.visitor_follow_up,
        "quotes": [
            {"author_name": q.author_name, "text": q.text, "organisation": q.organisation.key}
            for q in selectors.consented_quotes(exchange=exchange)
        ],
    }  # fmt: skip


def _report_data(payload: ReportIn) -> dict[str, Any]:
    """The report's stored text: a list is kept one item a line, so an item may not hold a line break."""
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    no_nul_characters(data)
    problems: dict[str, str] = {}
    for name in LISTS:
        items = [item.strip() for item in data.get(name, [])]
        if any("\n" in item or "\r" in item for item in items):
            problems[name] = _("One lesson or action an item: an item may not contain a line break.")
        elif any(len(item) > ITEM_LENGTH for item in items):
            problems[name] = _("An item may be at most %(n)d characters long.") % {"n": ITEM_LENGTH}
        elif name in data:
            data[name] = "\n".join(item for item in items if item)
    if problems:
        raise ValidationError(problems)
    return data


@router.get("/exchanges/{exchange_id}/report", response={200: ReportOut, 404: ErrorOut})
def report_detail(request: HttpRequest, exchange_id: int) -> dict[str, Any]:
    """The completion report (404 until one is written); only quotes with consent."""
    exchange = exchange_for_reading(request, exchange_id)
    report = getattr(exchange, "report", None)
    if report is None:
        raise Http404
    return _report_out(exchange, report)


@router.put(
    "/exchanges/{exchange_id}/report",
    response={200: ReportOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def report_write(request: HttpRequest, exchange_id: int, payload: ReportIn) -> dict[str, Any]:
    """Write or change the completion report: while the exchange is under way or completed, either
    organisation; both write in the same report (a 409 in any other state)."""
    exchange = exchange_for_action(request, exchange_id)
    report = report_services.report_save(actor=request.user, exchange=exchange, data=_report_data(payload))
    return _report_out(exchange, report)


@router.post(
    "/exchanges/{exchange_id}/report",
    response={200: ExchangeOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def exchange_mark_reported(request: HttpRequest, exchange_id: int, payload: ActionIn) -> dict[str, Any]:
    """Mark the exchange reported (the ``report`` step of ``POST /exchanges/{id}/{action}``): once it
    is completed and both sides' lessons are written."""
    exchange = exchange_for_action(request, exchange_id)
    exchange = exchange_services.exchange_transition(
        actor=request.user, exchange=exchange, action="report", reason=payload.reason
    )
    return exchange_out(exchange)


@router.put(
    "/exchanges/{exchange_id}/feedback",
    response={200: ReportOut, 404: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut},
)
def feedback_write(request: HttpRequest, exchange_id: int, payload: FeedbackIn) -> dict[str, Any]:
    """The caller's side's feedback once the visit is completed, and six months after the last day its
    answer whether cooperation followed (a 422 naming ``follow_up`` before then)."""
    exchange = exchange_for_action(request, exchange_id)
    if payload.feedback is None and payload.follow_up is None:
        raise ValidationError({"feedback": _("Give the feedback, the six-month answer, or both.")})
    report = report_services.feedback_save(
        actor=request.user,
        exchange=exchange,
        feedback=payload.feedback.value if payload.feedback else "",
        follow_up=payload.follow_up.value if payload.follow_up else "",
    )
    return _report_out(exchange, report)
