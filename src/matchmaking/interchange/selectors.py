"""Build an interchange document from the database (the export)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from matchmaking.interchange.document import (
    InterchangeDocument,
    OpportunityRecord,
    OrganisationRecord,
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


def interchange_export() -> dict[str, Any]:
    """Every organisation and opportunity, in the current format version."""
    organisations = [
        OrganisationRecord(
            id=o.key,
            **{k: tuple(v) if isinstance(v, list) else v for k, v in organisation_profile(o).items()},
        )
        for o in _organisations()
    ]
    opportunities = [
        OpportunityRecord(
            id=o.key,
            organisation=o.organisation.key,
            **{k: tuple(v) if isinstance(v, list) else v for k, v in opportunity_data(o).items()},
        )
        for o in _opportunities()
    ]
    return document_to_json(InterchangeDocument(CURRENT_VERSION, organisations, opportunities))
