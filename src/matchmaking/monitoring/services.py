"""Writes of the monitoring pages: the audit trail of who downloaded which export."""

from __future__ import annotations

from django.db import transaction

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.monitoring.mobilities import MobilityExport, MobilityFilters


@transaction.atomic
def mobility_export_record(
    *, actor: User, kind: str, export: MobilityExport, filters: MobilityFilters
) -> None:
    """Record that ``actor`` downloaded the per-mobility export in format ``kind``."""
    audit_record(
        actor=actor,
        action="mobilities.exported",
        obj=actor,
        after={
            "format": kind,
            "rows": len(export.rows),
            "from": filters.date_from,
            "to": filters.date_to,
            "organisation": filters.organisation_id,
        },
    )
