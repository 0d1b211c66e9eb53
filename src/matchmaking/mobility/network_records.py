"""The matching engine's records of many organisations and opportunities, read as rows.

Reading the network through model instances (``select_related`` plus ``prefetch_related`` of every
code list) makes an instance for each organisation, each opportunity and each code a record has,
with the code's labels decoded from JSON every time: at 30,000 opportunities that is 320,000
instances and 510,000 JSON documents, most of the time a full refresh spends reading the network.
Here each table is read as tuples: one query for the records' own fields and one per code list
(its link table joined to the code), in the order the queryset gives. The records are the ones
``matching.engine_organisation`` and ``matching.engine_opportunity`` make of the instances (a test
compares them).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Model, QuerySet

from matchmaking.engine.network import Opportunity as EngineOpportunity
from matchmaking.engine.network import Organisation as EngineOrganisation
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation

ORGANISATION_FIELDS = (
    "pk", "key", "name", "kind__code", "country", "region__code", "hosting_capacity", "description",
)  # fmt: skip
ORGANISATION_CODES = ("languages", "target_groups", "expertise", "interests")
OPPORTUNITY_FIELDS = (
    "pk", "key", "organisation__key", "type__code", "direction", "earliest", "latest", "duration_days",
    "group_size", "description",
)  # fmt: skip
OPPORTUNITY_CODES = ("topics", "target_groups", "languages")


def organisation_records(organisations: QuerySet[Organisation]) -> list[EngineOrganisation]:
    """The engine's record of each organisation of the queryset, in its order."""
    rows = list(organisations.values_list(*ORGANISATION_FIELDS))
    codes = {name: _codes_by_record(Organisation, name, organisations) for name in ORGANISATION_CODES}
    return [
        EngineOrganisation(
            id=key,
            name=name,
            kind=kind,
            country=country,
            region=region,
            languages=codes["languages"].get(pk, ()),
            target_groups=codes["target_groups"].get(pk, ()),
            expertise=codes["expertise"].get(pk, ()),
            interests=codes["interests"].get(pk, ()),
            hosting_capacity=capacity,
            description=description,
        )
        for pk, key, name, kind, country, region, capacity, description in rows
    ]


def opportunity_records(opportunities: QuerySet[Opportunity]) -> list[EngineOpportunity]:
    """The engine's record of each opportunity of the queryset, in its order."""
    rows = list(opportunities.values_list(*OPPORTUNITY_FIELDS))
    codes = {name: _codes_by_record(Opportunity, name, opportunities) for name in OPPORTUNITY_CODES}
    return [
        EngineOpportunity(
            id=key,
            organisation=organisation,
            type=kind,
            direction=direction,
            topics=codes["topics"].get(pk, ()),
            target_groups=codes["target_groups"].get(pk, ()),
            languages=codes["languages"].get(pk, ()),
            earliest=earliest,
            latest=latest,
            duration_days=duration,
            group_size=size,
            description=description,
        )
        for pk, key, organisation, kind, direction, earliest, latest, duration, size, description in rows
    ]


def _codes_by_record(model: type[Model], name: str, records: QuerySet[Any]) -> dict[int, tuple[str, ...]]:
    """The codes of the many-to-many field ``name`` of each record, sorted, by the record's key."""
    field: Any = model._meta.get_field(name)
    link = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    found: defaultdict[int, list[str]] = defaultdict(list)
    rows = link.objects.filter(**{f"{source}__in": records.order_by().values("pk")}).values_list(
        f"{source}_id", f"{target}__code"
    )
    for record, code in rows:
        found[record].append(code)
    return {record: tuple(sorted(codes)) for record, codes in found.items()}
