"""Import an interchange document into the database: all or nothing, every problem named."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from matchmaking.interchange.document import (
    InterchangeDocument,
    InterchangeError,
    OpportunityRecord,
    OrganisationRecord,
)
from matchmaking.mobility import services as mobility_services
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations import services as organisation_services
from matchmaking.organisations.models import Organisation


@dataclass
class ImportSummary:
    organisations_created: int = 0
    organisations_updated: int = 0
    opportunities_created: int = 0
    opportunities_updated: int = 0

    def __str__(self) -> str:
        return (
            f"organisations: {self.organisations_created} created, {self.organisations_updated} updated; "
            f"opportunities: {self.opportunities_created} created, {self.opportunities_updated} updated"
        )


def known_organisation_keys() -> set[str]:
    return set(Organisation.objects.values_list("key", flat=True))


def _profile(record: OrganisationRecord) -> dict[str, Any]:
    data = asdict(record)
    data.pop("id")
    for key in ("languages", "target_groups", "expertise", "interests"):
        data[key] = list(data[key])
    return data


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(e.messages)}" for field, e in exc.error_dict.items())
    return " ".join(exc.messages)


@transaction.atomic
def interchange_import(*, actor: Any, document: InterchangeDocument, is_demo: bool = False) -> ImportSummary:
    """Create or update every record (matched on its id); any failure rolls the whole import back."""
    summary = ImportSummary()
    problems: list[str] = []
    organisations: dict[str, Organisation] = {}
    for record in document.organisations:
        try:
            organisations[record.id], created = _upsert_organisation(actor, record, is_demo)
        except ValidationError as exc:
            problems.append(f"organisations[{record.id}]: {_messages(exc)}")
            continue
        if created:
            summary.organisations_created += 1
        else:
            summary.organisations_updated += 1
    for opp in document.opportunities:
        try:
            created = _upsert_opportunity(actor, opp, organisations)
        except ValidationError as exc:
            problems.append(f"opportunities[{opp.id}]: {_messages(exc)}")
            continue
        if created:
            summary.opportunities_created += 1
        else:
            summary.opportunities_updated += 1
    if problems:
        transaction.set_rollback(True)
        raise InterchangeError(problems)
    return summary


def _upsert_organisation(actor: Any, record: OrganisationRecord, is_demo: bool) -> tuple[Organisation, bool]:
    existing = Organisation.objects.filter(key=record.id).first()
    with transaction.atomic():
        if existing is None:
            return (
                organisation_services.organisation_create(
                    actor=actor, profile=_profile(record), key=record.id, is_demo=is_demo
                ),
                True,
            )
        return organisation_services.organisation_update(
            actor=None, organisation=existing, profile=_profile(record)
        ), False


def _upsert_opportunity(
    actor: Any, record: OpportunityRecord, organisations: dict[str, Organisation]
) -> bool:
    organisation = organisations.get(record.organisation) or Organisation.objects.get(key=record.organisation)
    data = mobility_services.opportunity_data_from_record(record)
    existing = Opportunity.objects.filter(key=record.id).first()
    with transaction.atomic():
        if existing is None:
            mobility_services.opportunity_create(
                actor=actor, organisation=organisation, key=record.id, data=data
            )
            return True
        if existing.organisation_id != organisation.pk:
            raise ValidationError(
                {"organisation": f"opportunity {record.id!r} belongs to {existing.organisation.key!r}"}
            )
        mobility_services.opportunity_update(actor=None, opportunity=existing, data=data)
        return False
