"""The filters of the monitoring cockpit, as query conditions on each kind of mobility row.

A mobility has two sides, the sending organisation and the receiving one; a place filter (country,
NUTS-2 region, organisation, kind of organisation) and the caller's scope keep it when either side
matches. ``focus`` is the same condition on one named side, for "sent" and "received" columns.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class CockpitFilters:
    date_from: date | None = None
    date_to: date | None = None
    country: str = ""
    region: str = ""  # NUTS 2024 level-2 code
    organisation_id: int | None = None
    kind: str = ""  # organisation kind code
    activity_type: str = ""  # opportunity type code
    target_group: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def has_place(self) -> bool:
        return bool(self.country or self.region or self.organisation_id or self.kind)


def side(f: CockpitFilters, scope: set[int] | None, prefix: str) -> Q:
    """The place filters and the scope on one side (``prefix`` is the organisation's field path)."""
    q = Q()
    if f.country:
        q &= Q(**{f"{prefix}__country": f.country})
    if f.region:
        q &= Q(**{f"{prefix}__region__code": f.region})
    if f.organisation_id:
        q &= Q(**{f"{prefix}_id": f.organisation_id})
    if f.kind:
        q &= Q(**{f"{prefix}__kind__code": f.kind})
    if scope is not None:
        q &= Q(**{f"{prefix}_id__in": scope})
    return q


def either_side(f: CockpitFilters, scope: set[int] | None, sending: str, receiving: str) -> Q:
    """Kept when the place filters hold on one side and the scope holds on one side."""
    places = CockpitFilters(
        country=f.country, region=f.region, organisation_id=f.organisation_id, kind=f.kind
    )
    q = Q()
    if places.has_place:
        q &= side(places, None, sending) | side(places, None, receiving)
    if scope is not None:
        q &= Q(**{f"{sending}_id__in": scope}) | Q(**{f"{receiving}_id__in": scope})
    return q


def period(f: CockpitFilters, field: str) -> Q:
    q = Q()
    if f.date_from:
        q &= Q(**{f"{field}__gte": f.date_from})
    if f.date_to:
        q &= Q(**{f"{field}__lte": f.date_to})
    return q
