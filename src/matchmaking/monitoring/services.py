"""Writes of the monitoring pages: targets, learner counts, and the audit trail of the exports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.monitoring.access import can_manage_monitoring
from matchmaking.monitoring.indicators import definitions
from matchmaking.monitoring.learners import read_learner_counts
from matchmaking.monitoring.mobilities import MobilityExport, MobilityFilters
from matchmaking.monitoring.models import LearnerCount, Target
from matchmaking.organisations.models import Membership, Organisation
from matchmaking.taxonomies.models import Region


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


@transaction.atomic
def indicators_export_record(*, actor: User, kind: str, filters: dict[str, Any]) -> None:
    """Record that ``actor`` downloaded the cockpit's tables in format ``kind``."""
    audit_record(
        actor=actor,
        action="indicators.exported",
        obj=actor,
        after={"format": kind, "definitions": definitions().version, **filters},
    )


def _check(actor: User) -> None:
    if not can_manage_monitoring(actor):
        raise PermissionDenied


@transaction.atomic
def target_set(
    *, actor: User, indicator: str, year: int, source: str, value: Decimal | None, reference: str = ""
) -> Target | None:
    """Set (or, with ``value`` None, remove) the target of ``indicator`` for ``year`` by ``source``;
    ``reference`` cites the text that sets it (empty: the one already recorded is kept)."""
    _check(actor)
    if indicator not in {d.code for d in definitions().with_targets()}:
        raise ValidationError({"indicator": "This indicator has no targets."})
    if source not in Target.Source.values:
        raise ValidationError({"source": "Unknown source of a target."})
    existing = (
        Target.objects.select_for_update().filter(indicator=indicator, year=year, source=source).first()
    )
    before = {"value": existing.value} if existing else {}
    if value is None:
        if existing:
            existing.delete()
            audit_record(
                actor=actor,
                action="target.removed",
                obj=actor,
                before={**before, "indicator": indicator, "year": year, "source": source},
            )
        return None
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"value": "A target is a percentage from 0 to 100."})
    defaults: dict[str, object] = {"value": value, "updated_by": actor}
    if reference.strip():
        defaults["reference"] = reference.strip()[:300]
    target, _created = Target.objects.update_or_create(
        indicator=indicator, year=year, source=source, defaults=defaults
    )
    audit_record(
        actor=actor, action="target.set", obj=target, before=before,
        after={"value": value, "reference": target.reference},
    )  # fmt: skip
    return target


@transaction.atomic
def learner_count_set(
    *,
    actor: User,
    year: int,
    learners: int,
    region: Region | None = None,
    organisation: Organisation | None = None,
    source: str = "",
) -> LearnerCount:
    """Enter the learners of ``year`` in one region or one organisation (replacing an earlier count)."""
    _check(actor)
    if (region is None) == (organisation is None):
        raise ValidationError({"region": "Give a region or an organisation, not both and not neither."})
    if learners < 0:
        raise ValidationError({"learners": "A count of learners is zero or more."})
    count, _created = LearnerCount.objects.update_or_create(
        year=year, region=region, organisation=organisation,
        defaults={"learners": learners, "source": source, "updated_by": actor},
    )  # fmt: skip
    audit_record(actor=actor, action="learners.set", obj=count, after={"learners": learners, "year": year})
    return count


@transaction.atomic
def learner_counts_import(*, actor: User, filename: str, content: bytes) -> int:
    """Import a file of learner counts, all or nothing; returns the rows written. A bad row raises
    ``ValidationError`` naming it, and nothing changes."""
    _check(actor)
    rows = read_learner_counts(filename, content)
    for row in rows:
        place: dict[str, Any] = {"region_id": row.region_id, "organisation_id": row.organisation_id}
        LearnerCount.objects.update_or_create(
            year=row.year,
            **place,
            defaults={"learners": row.learners, "source": row.source, "updated_by": actor},
        )
    audit_record(
        actor=actor, action="learners.imported", obj=actor, after={"file": filename, "rows": len(rows)}
    )
    return len(rows)


@transaction.atomic
def introduction_send(*, actor: User, first: Organisation, second: Organisation, message: str = "") -> int:
    """The coordinator introduces two organisations that should meet: every member of both is told,
    with the coordinator's message. Returns the number of people notified."""
    _check(actor)
    if first.pk == second.pk:
        raise ValidationError({"second": "An organisation cannot be introduced to itself."})
    audit_record(
        actor=actor,
        action="organisations.introduced",
        obj=first,
        after={"first": first.key, "second": second.key},
        reason=message.strip()[:500],
    )
    recipients = []
    for ours, theirs in ((first, second), (second, first)):
        memberships = list(Membership.objects.filter(organisation=ours).select_related("user"))
        # The catalogue's sentence with its parameter; the ready title for a catalogue without the kind.
        recipients += notify(
            kind="organisations.introduced",
            params={"org": theirs.name},
            memberships=memberships,
            text=message.strip()[:500],
            recipients=[m.user for m in memberships],
            title=_("The network coordinator suggests you meet %(org)s") % {"org": theirs.name},
            body=message.strip()[:500],
            url=theirs.get_absolute_url(),
        )
    return len(recipients)
