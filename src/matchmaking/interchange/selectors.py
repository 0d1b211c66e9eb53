"""Build an interchange document from the database (the export)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from matchmaking.exchanges.models import CompletionReport, Exchange
from matchmaking.interchange.document import (
    ExchangeRecord,
    InterchangeDocument,
    OpportunityRecord,
    OrganisationRecord,
    ProgrammeItemRecord,
    ReportRecord,
    VisitorRecord,
    document_to_json,
)
from matchmaking.interchange.schema import CURRENT_VERSION
from matchmaking.mobility.models import Opportunity
from matchmaking.mobility.services import opportunity_data
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.services import organisation_profile


def _organisations() -> QuerySet[Organisation]:
    return (
        Organisation.objects.select_related("kind", "region")
        .prefetch_related("languages", "target_groups", "expertise", "interests")
        .order_by("key")
    )


def _opportunities() -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.select_related("organisation", "type")
        .prefetch_related("topics", "target_groups", "languages")
        .order_by("key")
    )


def _exchanges() -> QuerySet[Exchange]:
    return (
        Exchange.objects.select_related(
            "host", "visitor", "proposed_by", "offer", "request", "type", "report"
        )
        .prefetch_related("visitors", "programme__visitors")
        .order_by("key")
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


def _report(report: CompletionReport | None) -> ReportRecord | None:
    if report is None:
        return None
    return ReportRecord(
        summary=report.summary,
        outcomes=report.outcomes,
        host_lessons=_lines(report.host_lessons),
        visitor_lessons=_lines(report.visitor_lessons),
        follow_up_actions=_lines(report.follow_up_actions),
        host_feedback=report.host_feedback,
        visitor_feedback=report.visitor_feedback,
        host_follow_up=report.host_follow_up,
        visitor_follow_up=report.visitor_follow_up,
    )


def exchange_record(exchange: Exchange) -> ExchangeRecord:
    """One exchange as an interchange record: visitors as mobility records (the "fewer opportunities"
    flag, never reasons), the programme with each item's visitors, and the report if there is one."""
    visitors = list(exchange.visitors.all())
    ids = {v.pk: f"v{n}" for n, v in enumerate(visitors, 1)}
    return ExchangeRecord(
        id=exchange.key,
        host=exchange.host.key,
        visitor=exchange.visitor.key,
        proposed_by=exchange.proposed_by.key,
        offer=exchange.offer.key if exchange.offer else None,
        request=exchange.request.key if exchange.request else None,
        type=exchange.type.code,
        title=exchange.given_title,
        state=exchange.state,
        state_reason=exchange.state_reason,
        start=exchange.start,
        end=exchange.end,
        group_size=exchange.group_size,
        funding=exchange.funding,
        activity_code=exchange.activity_code,
        time_zone=exchange.time_zone,
        green_travel=exchange.green_travel,
        blended=exchange.blended,
        force_majeure=exchange.force_majeure,
        visitors=tuple(
            VisitorRecord(
                id=ids[v.pk],
                name=v.name,
                email=v.email,
                role=v.role,
                learning_goals=v.learning_goals,
                kind=v.kind,
                accompanying=v.accompanying,
                fewer_opportunities=v.fewer_opportunities,
                start=v.start,
                end=v.end,
            )
            for v in visitors
        ),
        programme=tuple(
            ProgrammeItemRecord(
                day=i.day,
                starts_at=i.starts_at,
                ends_at=i.ends_at,
                activity=i.activity,
                format=i.format,
                host_person=i.host_person,
                location=i.location,
                notes=i.notes,
                visitors=tuple(sorted((ids[v.pk] for v in i.visitors.all()), key=lambda x: int(x[1:]))),
            )
            for i in exchange.programme.all()
        ),
        report=_report(getattr(exchange, "report", None)),
    )


def _tuples(values: dict[str, Any]) -> dict[str, Any]:
    """The lists of a profile or an opportunity's data as tuples, as the records hold them."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def interchange_export() -> dict[str, Any]:
    """Every organisation, opportunity and exchange, in the current format version."""
    organisations = [
        OrganisationRecord(
            id=o.key,
            **_tuples(organisation_profile(o)),
        )
        for o in _organisations()
    ]
    opportunities = [
        OpportunityRecord(
            id=o.key,
            organisation=o.organisation.key,
            **_tuples(opportunity_data(o)),
        )
        for o in _opportunities()
    ]
    exchanges = [exchange_record(e) for e in _exchanges()]
    return document_to_json(InterchangeDocument(CURRENT_VERSION, organisations, opportunities, exchanges))
