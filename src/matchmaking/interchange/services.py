"""Import an interchange document into the database: all or nothing, every problem named."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from matchmaking.core import statistics
from matchmaking.core.audit import audit_record
from matchmaking.core.tasks import enqueue_on_commit
from matchmaking.exchanges.capacity import capacity_problem
from matchmaking.exchanges.models import HOLDING_STATES, CompletionReport, Exchange, ProgrammeItem, Visitor
from matchmaking.exchanges.services import ANSWER_DAYS, COUNTRY_TIME_ZONES
from matchmaking.interchange import bulk, tasks, writing
from matchmaking.interchange.bulk import error_text
from matchmaking.interchange.document import (
    ExchangeRecord,
    InterchangeDocument,
    InterchangeError,
)
from matchmaking.mobility.models import Opportunity, SavedSearch
from matchmaking.mobility.tasks import schedule_refresh
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser
from matchmaking.taxonomies.models import Term

logger = logging.getLogger(__name__)


@dataclass
class ImportSummary:
    organisations_created: int = 0
    organisations_updated: int = 0
    opportunities_created: int = 0
    opportunities_updated: int = 0
    exchanges_created: int = 0
    exchanges_updated: int = 0

    def __str__(self) -> str:
        text = (
            f"organisations: {self.organisations_created} created, {self.organisations_updated} updated; "
            f"opportunities: {self.opportunities_created} created, {self.opportunities_updated} updated"
        )
        if self.exchanges_created or self.exchanges_updated:
            text += f"; exchanges: {self.exchanges_created} created, {self.exchanges_updated} updated"
        return text


def known_organisation_keys() -> set[str]:
    return set(Organisation.objects.values_list("key", flat=True))


def known_opportunity_keys() -> set[str]:
    return set(Opportunity.objects.values_list("key", flat=True))


def interchange_check(
    *, actor: AnyUser, document: InterchangeDocument, progress: bulk.Progress | None = None
) -> ImportSummary:
    """What ``interchange_import`` would create and update, reading only (``--dry-run``): every
    organisation and opportunity goes through the same checks, and a problem raises the same
    ``InterchangeError``. Exchanges are counted, not checked against their hosts' capacity, which only
    the write can tell."""
    planned = bulk.plan(actor=actor, document=document, is_demo=False, progress=progress)
    if planned.problems:
        raise InterchangeError(planned.problems)
    orgs, opps = planned.organisations, planned.opportunities
    stored = set(
        Exchange.objects.filter(key__in=[e.id for e in document.exchanges]).values_list("key", flat=True)
    )
    return ImportSummary(
        organisations_created=orgs.created, organisations_updated=orgs.updated,
        opportunities_created=opps.created, opportunities_updated=opps.updated,
        exchanges_created=len(document.exchanges) - len(stored), exchanges_updated=len(stored),
    )  # fmt: skip


def interchange_import(
    *,
    actor: AnyUser,
    document: InterchangeDocument,
    is_demo: bool = False,
    progress: bulk.Progress | None = None,
) -> ImportSummary:
    """Create or update every record (matched on its id); any failure rolls the whole import back.

    Organisations and opportunities are checked first, reading only (``bulk.plan``), and their rows
    prepared (``writing.prepare``): a file with problems is refused without ever taking the write
    lock. Then one short transaction writes them (``writing.execute``) and the exchanges one by one
    (they are few, and each is checked against its host's capacity, which only the locked database
    can tell). If someone changed a planned record in between, the plan is made again; the last
    attempt plans inside the transaction. ``progress(stage, done, total)`` is called as each stage
    advances (``bulk.STAGES``).
    """
    with _without_cycle_collection():
        for attempt in range(1, PLAN_ATTEMPTS + 1):
            prepared = None
            if attempt < PLAN_ATTEMPTS:
                prepared = _prepare(actor, document, is_demo, progress)
            try:
                return _write(actor, document, is_demo, prepared, progress)
            except (bulk.StalePlanError, IntegrityError):
                if attempt == PLAN_ATTEMPTS:
                    raise
                logger.info("interchange import: a planned record changed meanwhile; planning again")
    raise AssertionError("unreachable")


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while an import holds tens of thousands of records: it would scan
    them all again and again as they are made, for nothing (they are freed by reference counting)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


PLAN_ATTEMPTS = 3


def _prepare(
    actor: AnyUser, document: InterchangeDocument, is_demo: bool, progress: bulk.Progress | None
) -> writing.Prepared:
    planned = bulk.plan(actor=actor, document=document, is_demo=is_demo, progress=progress)
    if planned.problems:
        raise InterchangeError(planned.problems)
    return writing.prepare(actor=actor, plan=planned, progress=progress)


def _write(
    actor: AnyUser,
    document: InterchangeDocument,
    is_demo: bool,
    prepared: writing.Prepared | None,
    progress: bulk.Progress | None = None,
) -> ImportSummary:
    started = time.monotonic()
    with transaction.atomic():
        summary = _write_in_transaction(actor, document, is_demo, prepared, progress)
    logger.info(
        "interchange import: %s; the write transaction took %.1f s", summary, time.monotonic() - started
    )
    written = (
        summary.organisations_created + summary.organisations_updated
        + summary.opportunities_created + summary.opportunities_updated
    )  # fmt: skip
    statistics.after_bulk_write(connection, [Organisation, Opportunity], written)
    return summary


def _write_in_transaction(
    actor: AnyUser,
    document: InterchangeDocument,
    is_demo: bool,
    prepared: writing.Prepared | None,
    progress: bulk.Progress | None = None,
) -> ImportSummary:
    if prepared is None:
        prepared = _prepare(actor, document, is_demo, progress)
    writing.execute(prepared, progress)
    planned = prepared.plan
    orgs, opps = planned.organisations, planned.opportunities
    summary = ImportSummary(
        organisations_created=orgs.created, organisations_updated=orgs.updated,
        opportunities_created=opps.created, opportunities_updated=opps.updated,
    )  # fmt: skip
    if orgs.new or orgs.changed or opps.new or opps.changed:
        schedule_refresh()
    if opps.new and SavedSearch.objects.exists():
        for part in bulk.chunks([opportunity.pk for opportunity in opps.new], tasks.CHUNK):
            enqueue_on_commit(tasks.imported_opportunity_alerts, list(part))
    problems: list[str] = []
    for done, exchange in enumerate(document.exchanges, 1):
        if progress is not None:
            progress(bulk.STAGES[3], done, len(document.exchanges))
        try:
            created = _upsert_exchange(actor, exchange, orgs.by_key, opps.by_key)
        except ValidationError as exc:
            problems.append(f"exchanges[{exchange.id}]: {error_text(exc)}")
            continue
        if created:
            summary.exchanges_created += 1
        else:
            summary.exchanges_updated += 1
    if problems:
        transaction.set_rollback(True)
        raise InterchangeError(problems)
    return summary


# --- Exchanges (format version 2) ------------------------------------------------------------------


def _organisation(key: str, organisations: dict[str, Organisation], field: str) -> Organisation:
    found = organisations.get(key) or Organisation.objects.filter(key=key).first()
    if found is None:
        raise ValidationError({field: f"unknown organisation {key!r}"})
    return found


def _opportunity(
    key: str | None, opportunities: dict[str, Opportunity], field: str, direction: str, owner: Organisation
) -> Opportunity | None:
    if key is None:
        return None
    found = (
        opportunities.get(key) or Opportunity.objects.select_related("organisation").filter(key=key).first()
    )
    if found is None:
        raise ValidationError({field: f"unknown opportunity {key!r}"})
    if found.direction != direction:
        raise ValidationError({field: f"opportunity {key!r} is {found.direction!r}, not {direction!r}"})
    if found.organisation_id != owner.pk:
        raise ValidationError(
            {field: f"opportunity {key!r} belongs to {found.organisation.key!r}, not {owner.key!r}"}
        )
    return found


def _upsert_exchange(
    actor: AnyUser,
    record: ExchangeRecord,
    organisations: dict[str, Organisation],
    opportunities: dict[str, Opportunity],
) -> bool:
    """Create or update one exchange with its visitors, programme and report.

    Visitors and programme, when the record has them, replace what is stored (the file is the truth);
    when it has neither, they are left alone. The lifecycle is not replayed: the state is taken as
    given. A current or future exchange that holds places is checked against the host's capacity.
    """

    host = _organisation(record.host, organisations, "host")
    visitor = _organisation(record.visitor, organisations, "visitor")
    proposed_by = _organisation(record.proposed_by or record.visitor, organisations, "proposed_by")
    offer = _opportunity(record.offer, opportunities, "offer", "offer", host)
    request = _opportunity(record.request, opportunities, "request", "request", visitor)
    type_term = Term.objects.filter(scheme="opportunity-types", code=record.type).first()
    if type_term is None:
        raise ValidationError({"type": f"unknown opportunity-types code {record.type!r}"})
    existing = Exchange.objects.filter(key=record.id).first()
    if existing is not None and (existing.host_id, existing.visitor_id) != (host.pk, visitor.pk):
        raise ValidationError(
            {"host": f"exchange {record.id!r} is between {existing.visitor.key!r} (visitor) and "
             f"{existing.host.key!r} (host)"}
        )  # fmt: skip
    if (
        record.visitors is not None
        and record.programme is None
        and existing is not None
        and existing.programme.filter(visitors__isnull=False).exists()
    ):
        raise ValidationError(
            {"programme": "give the programme too: its items are assigned to the visitors being replaced"}
        )
    exchange = existing or Exchange(key=record.id, state_changed_at=timezone.now())
    before = _exchange_snapshot(existing) if existing else {}
    exchange.host, exchange.visitor, exchange.proposed_by = host, visitor, proposed_by
    exchange.offer, exchange.request, exchange.type = offer, request, type_term
    exchange.given_title = record.title  # empty: the usual title, written in the reader's language
    exchange.start, exchange.end, exchange.group_size = record.start, record.end, record.group_size
    exchange.funding, exchange.activity_code = record.funding, record.activity_code
    for flag in ("green_travel", "blended", "force_majeure"):
        if getattr(record, flag) is not None:
            setattr(exchange, flag, getattr(record, flag))
    exchange.time_zone = record.time_zone or COUNTRY_TIME_ZONES.get(host.country, settings.TIME_ZONE)
    if existing is None or existing.state != record.state:
        exchange.state_changed_at = timezone.now()
    exchange.state, exchange.state_reason = record.state, record.state_reason
    if exchange.state == "proposed" and exchange.expires_at is None:
        exchange.expires_at = timezone.now() + timedelta(days=ANSWER_DAYS)
    with transaction.atomic():
        locked_host = Organisation.objects.select_for_update().get(pk=host.pk)
        if exchange.state in HOLDING_STATES and exchange.end >= timezone.localdate():
            problem = capacity_problem(
                locked_host, exchange.start, exchange.end, exchange.group_size, exclude=exchange.pk
            )
            if problem:
                raise ValidationError({"group_size": str(problem)})
        exchange.full_clean(exclude=["created_by"], validate_unique=existing is None)
        exchange.save()
        _replace_visitors_and_programme(exchange, record)
        _save_report(exchange, record)
        audit_record(
            actor=actor,
            action="exchange.imported",
            obj=exchange,
            before=before,
            after=_exchange_snapshot(exchange),
        )
    return existing is None


def _nested(exc: ValidationError, where: str) -> ValidationError:
    """The errors of a record inside an exchange, named ``visitors[v1].name`` and so on."""
    if hasattr(exc, "error_dict"):
        return ValidationError({f"{where}.{name}": errors for name, errors in exc.error_dict.items()})
    return ValidationError({where: exc.messages})


def _exchange_snapshot(exchange: Exchange) -> dict[str, Any]:
    return {
        "host": exchange.host.key, "visitor": exchange.visitor.key, "state": exchange.state,
        "start": exchange.start, "end": exchange.end, "group_size": exchange.group_size,
    }  # fmt: skip


def _replace_visitors_and_programme(exchange: Exchange, record: ExchangeRecord) -> None:

    by_id: dict[str, Visitor] = {}
    if record.visitors is not None:
        exchange.visitors.all().delete()
        for v in record.visitors:
            visitor = Visitor(
                exchange=exchange, name=v.name, email=v.email, role=v.role, learning_goals=v.learning_goals,
                kind=v.kind, accompanying=v.accompanying, fewer_opportunities=v.fewer_opportunities,
                start=v.start, end=v.end,
            )  # fmt: skip
            try:
                visitor.full_clean(exclude=["exchange"])
            except ValidationError as exc:
                raise _nested(exc, f"visitors[{v.id}]") from exc
            visitor.save()
            by_id[v.id] = visitor
    if record.programme is not None:
        exchange.programme.all().delete()
        for n, i in enumerate(record.programme, 1):
            item = ProgrammeItem(
                exchange=exchange, day=i.day, starts_at=i.starts_at, ends_at=i.ends_at, activity=i.activity,
                format=i.format, host_person=i.host_person, location=i.location, notes=i.notes,
            )  # fmt: skip
            try:
                item.full_clean(exclude=["exchange", "visitors"])
            except ValidationError as exc:
                raise _nested(exc, f"programme[#{n}]") from exc
            item.save()
            if i.visitors:
                missing = [ref for ref in i.visitors if ref not in by_id]
                if missing:
                    raise ValidationError(
                        {"programme": f"item #{n} names visitor(s) {', '.join(map(repr, missing))} "
                         "but the record gives no such visitors"}
                    )  # fmt: skip
                item.visitors.set([by_id[ref] for ref in i.visitors])


def _save_report(exchange: Exchange, record: ExchangeRecord) -> None:
    """A report in the record replaces the stored one; a record without a report leaves it alone."""

    if record.report is None:
        return
    r = record.report
    report = CompletionReport.objects.filter(exchange=exchange).first() or CompletionReport(exchange=exchange)
    report.summary, report.outcomes = r.summary, r.outcomes
    report.host_lessons = "\n".join(r.host_lessons)
    report.visitor_lessons = "\n".join(r.visitor_lessons)
    report.follow_up_actions = "\n".join(r.follow_up_actions)
    report.host_feedback, report.visitor_feedback = r.host_feedback, r.visitor_feedback
    report.host_follow_up, report.visitor_follow_up = r.host_follow_up, r.visitor_follow_up
    try:
        report.full_clean(exclude=["exchange"])
    except ValidationError as exc:
        raise _nested(exc, "report") from exc
    report.save()
