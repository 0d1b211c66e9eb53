"""Reads of the monitoring pages beyond the export itself (``mobilities``)."""

from __future__ import annotations

from matchmaking.monitoring.access import mobility_export_organisations
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser


def export_organisations(*, user: AnyUser) -> list[Organisation]:
    """The organisations ``user`` may filter the per-mobility export by, by name."""
    scope = mobility_export_organisations(user)
    qs = Organisation.objects.order_by("name")
    return list(qs if scope is None else qs.filter(pk__in=scope))
