"""Write paths for offers and requests (opportunities)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking import permissions
from matchmaking.core.audit import audit_record, changed_values
from matchmaking.interchange.document import OpportunityRecord
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Term

_TERM_LISTS = {"topics": "practice-topics", "target_groups": "target-groups", "languages": LANGUAGES_SCHEME}
_SCALARS = ("direction", "earliest", "latest", "duration_days", "group_size", "description")


def opportunity_data(opportunity: Opportunity) -> dict[str, Any]:
    """The opportunity as plain codes (the interchange format's fields without ids)."""
    return {
        "type": opportunity.type.code,
        "direction": opportunity.direction,
        "topics": sorted(t.code for t in opportunity.topics.all()),
        "target_groups": sorted(t.code for t in opportunity.target_groups.all()),
        "languages": sorted(t.code for t in opportunity.languages.all()),
        "earliest": opportunity.earliest,
        "latest": opportunity.latest,
        "duration_days": opportunity.duration_days,
        "group_size": opportunity.group_size,
        "description": opportunity.description,
    }


def opportunity_data_from_record(record: OpportunityRecord) -> dict[str, Any]:
    data = asdict(record)
    for key in ("id", "organisation"):
        data.pop(key)
    for key in _TERM_LISTS:
        data[key] = list(data[key])
    return data


def _terms(scheme: str, codes: list[str], field: str) -> list[Term]:
    found = {t.code: t for t in Term.objects.filter(scheme=scheme, code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({field: _("Unknown code(s): %(codes)s") % {"codes": ", ".join(missing)}})
    return [found[c] for c in codes]


def _apply(opportunity: Opportunity, data: dict[str, Any]) -> None:
    if "type" in data:
        opportunity.type = _terms("opportunity-types", [data["type"]], "type")[0]
    for name in _SCALARS:
        if name in data:
            value = data[name]
            setattr(opportunity, name, "" if value is None and name == "description" else value)
    if opportunity.direction not in Direction.values:
        raise ValidationError({"direction": _("Choose offer or request.")})
    if opportunity.earliest and opportunity.latest and opportunity.latest < opportunity.earliest:
        raise ValidationError({"latest": _("The latest date is before the earliest date.")})
    opportunity.full_clean(exclude=["topics", "target_groups", "languages"])
    opportunity.save()
    for name, scheme in _TERM_LISTS.items():
        if name in data:
            getattr(opportunity, name).set(_terms(scheme, list(data[name] or []), name))


@transaction.atomic
def opportunity_create(
    *, actor: Any, organisation: Organisation, key: str, data: dict[str, Any]
) -> Opportunity:
    if actor is not None and not permissions.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    opportunity = Opportunity(key=key, organisation=organisation, created_by=actor if actor else None)
    _apply(opportunity, data)
    audit_record(
        actor=actor,
        action="opportunity.created",
        obj=opportunity,
        after=opportunity_data(opportunity),
        organisation_id=organisation.pk,
    )
    return opportunity


@transaction.atomic
def opportunity_update(*, actor: Any, opportunity: Opportunity, data: dict[str, Any]) -> Opportunity:
    if actor is not None and not permissions.can_edit_organisation(actor, opportunity.organisation):
        raise PermissionDenied
    before = opportunity_data(opportunity)
    _apply(opportunity, data)
    old, new = changed_values(before, opportunity_data(opportunity))
    if new:
        audit_record(
            actor=actor,
            action="opportunity.updated",
            obj=opportunity,
            before=old,
            after=new,
            organisation_id=opportunity.organisation_id,
        )
    return opportunity
