"""Organisations and opportunities of an interchange document: planned in memory, then written in bulk.

An import has two phases, so that a large file never holds the database's write lock for long (on
SQLite one writer at a time is allowed, and every page that writes, even an access-log row, waits for
it):

1. ``plan`` reads only. It loads the code lists, the regions and the records the file names, applies
   each record to an in-memory model instance, runs the same checks as the organisation and
   opportunity services (code lists, region in country, date window, model validation) and collects
   every problem with the record, field and value. Nothing is locked; a file with problems never
   opens a write transaction.
2. ``writing.prepare`` turns the plan into SQL statements with every value converted, still outside
   any transaction, and ``writing.execute`` runs them inside the import's one transaction: it checks
   that no record the plan read has changed since (``StalePlanError`` otherwise, and the import plans
   again), inserts and updates the rows, replaces the changed code lists through their link tables
   and writes the audit events, with one ``executemany`` per statement and batch.

Why one transaction and not chunks: all-or-nothing is the import's promise, and a chunked write would
need a staging copy of four tables and their link tables plus a switch-over. Measured, the one bulk
transaction for 10,000 organisations and 10,000 opportunities is a few seconds (docs/deployment.md,
"SQLite or PostgreSQL"), shorter than the busy timeout other requests wait, so chunks would add
complexity for nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from matchmaking.interchange.document import InterchangeDocument, OpportunityRecord, OrganisationRecord
from matchmaking.interchange.rows import BATCH, Builder, FieldCheck, chunks, existing_keys
from matchmaking.mobility import services as mobility_services
from matchmaking.mobility.access import can_edit_opportunity, can_post_opportunities
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.organisations.access import can_edit_organisation
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser, signed_in
from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Region, Term

__all__ = ["BATCH", "STAGES", "Changes", "Plan", "Progress", "StalePlanError", "chunks", "error_text", "plan"]

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while an import advances through ``STAGES``."""
STAGES = ("checking records", "preparing rows", "writing rows", "writing exchanges")
PROGRESS_EVERY = 500  # records between two calls of ``progress``

ORGANISATION_TERMS = {
    "languages": LANGUAGES_SCHEME,
    "target_groups": "target-groups",
    "expertise": "practice-topics",
    "interests": "practice-topics",
}
ORGANISATION_SCALARS = (
    "name", "country", "city", "hosting_capacity", "description", "website", "erasmus_id",
    "erasmus_accreditation",
)  # fmt: skip
OPPORTUNITY_TERMS = mobility_services.TERM_LISTS
OPPORTUNITY_SCALARS = ("direction", "earliest", "latest", "duration_days", "group_size", "description")

M = TypeVar("M", bound=models.Model)


class StalePlanError(Exception):
    """A record the plan read was changed or created by someone else before the write began."""


@dataclass
class Changes:
    """What to write for one model: new rows, changed rows, their code lists and their audit events."""

    by_key: dict[str, Any] = field(default_factory=dict)
    new: list[Any] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)
    terms: dict[str, dict[str, list[Term]]] = field(default_factory=dict)  # key -> list name -> terms
    audit: list[tuple[Any, str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    created: int = 0
    updated: int = 0


@dataclass
class Plan:
    organisations: Changes
    opportunities: Changes
    seen: dict[tuple[str, str], datetime | None]  # (model label, key) -> updated_at when planned
    problems: list[str]


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def _by_key(queryset: models.QuerySet[M], keys: Iterable[str]) -> dict[str, M]:
    """The stored records among ``keys``: found by key in plain SQL, then only those read as models."""
    ids = sorted(existing_keys(queryset.model, keys).values())
    found: dict[str, M] = {}
    for part in chunks(ids):
        found.update({obj.key: obj for obj in queryset.filter(pk__in=part)})  # type: ignore[attr-defined]
    return found


class _Terms:
    """Every term of the schemes an import uses, loaded once."""

    def __init__(self, schemes: Iterable[str]) -> None:
        self.by_scheme: dict[str, dict[str, Term]] = {}
        for term in Term.objects.filter(scheme__in=set(schemes)):
            self.by_scheme.setdefault(term.scheme, {})[term.code] = term

    def get(self, scheme: str, codes: Iterable[str], field_name: str) -> list[Term]:
        """As ``taxonomies.selectors.terms_by_code``, with the same message for unknown codes."""
        known = self.by_scheme.get(scheme, {})
        wanted = list(codes)
        missing = [c for c in wanted if c not in known]
        if missing:
            raise ValidationError(
                {field_name: _("Unknown code(s): %(codes)s") % {"codes": ", ".join(missing)}}
            )
        return [known[c] for c in wanted]


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _stored_codes(
    model: type[models.Model], lists: Iterable[str], ids: list[int]
) -> dict[int, dict[str, list[str]]]:
    """The stored code lists of the records ``ids``, read from the link tables (a prefetch would build
    a queryset per record, which costs more than the rest of the plan)."""
    codes: dict[int, dict[str, list[str]]] = {pk: {name: [] for name in lists} for pk in ids}
    for name in lists:
        relation = getattr(model, name)
        source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
        for part in chunks(ids):
            rows = relation.through.objects.filter(**{f"{source}__in": part})
            for pk, code in rows.values_list(f"{source}_id", f"{target}__code"):
                codes[pk][name].append(code)
    return codes


def organisation_values(organisation: Organisation, codes: dict[str, list[str]]) -> dict[str, Any]:
    """As ``organisations.services.organisation_profile``, with the code lists given (a test keeps
    the two equal)."""
    return {
        "name": organisation.name, "kind": organisation.kind.code, "country": organisation.country,
        "region": organisation.region.code if organisation.region else None, "city": organisation.city,
        **{name: sorted(codes[name]) for name in ORGANISATION_TERMS},
        "hosting_capacity": organisation.hosting_capacity, "description": organisation.description,
        "website": organisation.website, "erasmus_id": organisation.erasmus_id or None,
        "erasmus_accreditation": organisation.erasmus_accreditation,
    }  # fmt: skip


def opportunity_values(opportunity: Opportunity, codes: dict[str, list[str]]) -> dict[str, Any]:
    """As ``mobility.services.opportunity_full_data``, with the code lists given (a test keeps the
    two equal)."""
    return {
        "type": opportunity.type.code, "direction": opportunity.direction,
        **{name: sorted(codes[name]) for name in OPPORTUNITY_TERMS},
        "earliest": opportunity.earliest, "latest": opportunity.latest,
        "duration_days": opportunity.duration_days, "group_size": opportunity.group_size,
        "description": opportunity.description, "funding": opportunity.funding,
        "activity_code": opportunity.activity_code, "support_offered": list(opportunity.support_offered),
        "support_notes": opportunity.support_notes, "status": opportunity.status,
    }  # fmt: skip


def plan(
    *, actor: AnyUser, document: InterchangeDocument, is_demo: bool, progress: Progress | None = None
) -> Plan:
    """Check every organisation and opportunity of ``document`` against the database; reads only."""
    total = len(document.organisations) + len(document.opportunities)

    def step(done: int) -> None:
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(STAGES[0], done, total)

    terms = _Terms(
        ["organisation-kinds", "opportunity-types", *ORGANISATION_TERMS.values(), *OPPORTUNITY_TERMS.values()]
    )
    regions = {r.code: r for r in Region.objects.all()}
    makers = _Makers(actor, is_demo)
    problems: list[str] = []
    seen: dict[tuple[str, str], datetime | None] = {}

    organisations = Changes()
    stored_orgs = _by_key(
        Organisation.objects.select_related("kind", "region"), (r.id for r in document.organisations)
    )
    org_codes = _stored_codes(Organisation, ORGANISATION_TERMS, [o.pk for o in stored_orgs.values()])
    for done, record in enumerate(document.organisations, 1):
        step(done)
        stored = stored_orgs.get(record.id)
        seen[("organisation", record.id)] = stored.updated_at if stored else None
        before = organisation_values(stored, org_codes[stored.pk]) if stored is not None else {}
        try:
            _plan_organisation(actor, record, stored, before, makers, terms, regions, organisations)
        except ValidationError as exc:
            problems.append(f"organisations[{record.id}]: {error_text(exc)}")

    opportunities = Changes()
    in_file = {r.id for r in document.organisations}
    others = _by_key(Organisation.objects.all(), {r.organisation for r in document.opportunities} - in_file)
    for key, organisation in others.items():
        seen[("organisation", key)] = organisation.updated_at
    stored_opps = _by_key(
        Opportunity.objects.select_related("organisation", "type"), (r.id for r in document.opportunities)
    )
    opp_codes = _stored_codes(Opportunity, OPPORTUNITY_TERMS, [o.pk for o in stored_opps.values()])
    for done, opp in enumerate(document.opportunities, len(document.organisations) + 1):
        step(done)
        stored_opp = stored_opps.get(opp.id)
        seen[("opportunity", opp.id)] = stored_opp.updated_at if stored_opp else None
        before = opportunity_values(stored_opp, opp_codes[stored_opp.pk]) if stored_opp is not None else {}
        owner = organisations.by_key.get(opp.organisation) or others.get(opp.organisation)
        if owner is None:
            if opp.organisation not in in_file:  # a faulty organisation of the file is named already
                problems.append(
                    f"opportunities[{opp.id}]: organisation: unknown organisation {opp.organisation!r}"
                )
            continue
        try:
            _plan_opportunity(actor, opp, owner, stored_opp, before, makers, terms, opportunities)
        except ValidationError as exc:
            problems.append(f"opportunities[{opp.id}]: {error_text(exc)}")
    return Plan(organisations, opportunities, seen, problems)


class _Makers:
    """New organisations and opportunities, and their model validation, set up once per import."""

    ORGANISATION_UNCHECKED = ("kind", "region", *ORGANISATION_TERMS)
    OPPORTUNITY_UNCHECKED = ("organisation", "type", "created_by", *OPPORTUNITY_TERMS)

    def __init__(self, actor: AnyUser, is_demo: bool) -> None:
        self.organisation = Builder(Organisation, is_demo=is_demo)
        self.opportunity = Builder(
            Opportunity, created_by_id=getattr(signed_in(actor), "pk", None), status=Opportunity.Status.OPEN
        )
        # What ``full_clean(exclude=...)`` checks: every other field (unique and constraints apart).
        self.check_organisation = FieldCheck(
            Organisation,
            [f.name for f in Organisation._meta.fields if f.name not in self.ORGANISATION_UNCHECKED],
        )
        self.check_opportunity = FieldCheck(
            Opportunity,
            [f.name for f in Opportunity._meta.fields if f.name not in self.OPPORTUNITY_UNCHECKED],
        )


def _plan_organisation(
    actor: AnyUser, record: OrganisationRecord, stored: Organisation | None, before: dict[str, Any],
    makers: _Makers, terms: _Terms, regions: dict[str, Region], changes: Changes,
) -> None:  # fmt: skip
    """What ``organisation_create``/``organisation_update`` would do with the record, in memory."""
    if stored is not None and actor is not None and not can_edit_organisation(actor, stored):
        raise PermissionDenied
    organisation = stored if stored is not None else makers.organisation(key=record.id)
    organisation.kind = terms.get("organisation-kinds", [record.kind], "kind")[0]
    organisation.region = regions.get(record.region) if record.region else None
    if record.region and organisation.region is None:
        raise ValidationError({"region": _("Unknown region %(code)s") % {"code": record.region}})
    for name in ORGANISATION_SCALARS:
        value = getattr(record, name)
        setattr(organisation, name, value if value is not None else "")
    if organisation.region and organisation.region.country != organisation.country:
        raise ValidationError({"region": _("This region is not in the organisation's country.")})
    lists = {
        name: terms.get(scheme, getattr(record, name), name) for name, scheme in ORGANISATION_TERMS.items()
    }
    makers.check_organisation(organisation)
    after = organisation_values(
        organisation, {name: [t.code for t in found] for name, found in lists.items()}
    )
    changes.by_key[record.id] = organisation
    if stored is None:
        changes.new.append(organisation)
        changes.terms[record.id] = lists
        changes.audit.append((organisation, "organisation.created", {}, after))
        changes.created += 1
        return
    changes.updated += 1
    changed = {k for k in after if _plain(before.get(k)) != _plain(after[k])}
    if changed:
        changes.changed.append(organisation)
        changes.terms[record.id] = {name: lists[name] for name in ORGANISATION_TERMS if name in changed}
        changes.audit.append(
            (
                organisation,
                "organisation.updated",
                {k: before[k] for k in changed},
                {k: after[k] for k in changed},
            )
        )


def _plan_opportunity(
    actor: AnyUser, record: OpportunityRecord, organisation: Organisation, stored: Opportunity | None,
    before: dict[str, Any], makers: _Makers, terms: _Terms, changes: Changes,
) -> None:  # fmt: skip
    """What ``opportunity_create``/``opportunity_update`` would do with the record, in memory."""
    if stored is not None and stored.organisation.key != organisation.key:
        raise ValidationError(
            {"organisation": f"opportunity {record.id!r} belongs to {stored.organisation.key!r}"}
        )
    if actor is not None:
        allowed = (
            can_edit_opportunity(actor, stored) if stored else can_post_opportunities(actor, organisation)
        )
        if not allowed:
            raise PermissionDenied
    if stored is None:
        opportunity = makers.opportunity(key=record.id)
        opportunity.organisation = organisation
    else:
        opportunity = stored
    opportunity.type = terms.get("opportunity-types", [record.type], "type")[0]
    for name in OPPORTUNITY_SCALARS:
        value = getattr(record, name)
        setattr(opportunity, name, "" if value is None and name == "description" else value)
    if opportunity.direction not in Direction.values:
        raise ValidationError({"direction": _("Choose offer or request.")})
    if opportunity.earliest and opportunity.latest and opportunity.latest < opportunity.earliest:
        raise ValidationError({"latest": _("The latest date is before the earliest date.")})
    if opportunity.earliest and opportunity.latest:
        window = (opportunity.latest - opportunity.earliest).days + 1
        if opportunity.duration_days > window:
            raise ValidationError(
                {
                    "duration_days": _("%(d)s days do not fit in the date window.")
                    % {"d": opportunity.duration_days}
                }
            )
    lists = {
        name: terms.get(scheme, getattr(record, name), name) for name, scheme in OPPORTUNITY_TERMS.items()
    }
    makers.check_opportunity(opportunity)
    after = opportunity_values(opportunity, {name: [t.code for t in found] for name, found in lists.items()})
    changes.by_key[record.id] = opportunity
    if stored is None:
        changes.new.append(opportunity)
        changes.terms[record.id] = lists
        changes.audit.append((opportunity, "opportunity.created", {}, after))
        changes.created += 1
        return
    changes.updated += 1
    changed = {k for k in after if _plain(before.get(k)) != _plain(after[k])}
    if changed:
        changes.changed.append(opportunity)
        changes.terms[record.id] = {name: lists[name] for name in OPPORTUNITY_TERMS if name in changed}
        changes.audit.append(
            (
                opportunity,
                "opportunity.updated",
                {k: before[k] for k in changed},
                {k: after[k] for k in changed},
            )
        )
