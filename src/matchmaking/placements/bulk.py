"""Placements of a spreadsheet import: prepared in memory, then written in one short transaction.

``prepare`` reads only: it loads the placements the rows name (by key), their seats taken and the
regions, and applies every row in memory as ``services.placement_save`` would (new keys for rows
without one, the region kept when the row gives none, the ESCO version, the skills and languages
replaced), with the same audit row per placement. ``write`` inserts and updates everything with one
``bulk_create``/``bulk_update`` per model and batch inside the caller's transaction, after checking
that no planned placement changed meanwhile (``StaleImportError`` otherwise, and the caller prepares
again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.organisations.models import Organisation
from matchmaking.participants.bulk import (
    BATCH,
    Logged,
    StaleImportError,
    Statement,
    chunks,
    insert_statement,
    update_statement,
)
from matchmaking.participants.esco_lookup import esco_version
from matchmaking.placements.models import Placement, PlacementLanguage, PlacementSkill
from matchmaking.placements.seats import seats_held
from matchmaking.placements.services import FIELDS
from matchmaking.taxonomies.models import Region

__all__ = ["Prepared", "StaleImportError", "prepare", "write"]

UPDATED_FIELDS = (*FIELDS, "region", "esco_version", "updated_at")


@dataclass
class Prepared:
    placements: list[Placement] = field(default_factory=list)  # each once, in the order of the file
    skills: dict[int, list[PlacementSkill]] = field(default_factory=dict)  # id(placement) -> rows
    languages: dict[int, list[PlacementLanguage]] = field(default_factory=dict)
    logged: Logged = field(default_factory=Logged)
    seen: dict[int, datetime] = field(default_factory=dict)  # stored placement id -> updated_at
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)  # run after the old skills are deleted


def _stored(keys: set[str]) -> dict[str, Placement]:
    found: dict[str, Placement] = {}
    for part in chunks(sorted(keys)):
        found.update({p.key: p for p in Placement.objects.filter(key__in=part)})
    return found


def _seats_taken(ids: list[int]) -> dict[int, int]:
    taken: dict[int, int] = {}
    for part in chunks(ids):
        taken.update(seats_held(part))
    return taken


class _Keys:
    """New keys for rows without one, as ``services._new_key`` makes them: ``<host>-p<number>``."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)
        self.next: dict[int, int] = {}

    def new(self, host: Organisation) -> str:
        if host.pk not in self.next:
            self.next[host.pk] = Placement.objects.filter(host=host).count() + 1
            prefix = f"{host.key}-p"
            self.taken |= set(Placement.objects.filter(key__startswith=prefix).values_list("key", flat=True))
        number = self.next[host.pk]
        while f"{host.key}-p{number}" in self.taken:
            number += 1
        self.next[host.pk] = number + 1
        key = f"{host.key}-p{number}"
        self.taken.add(key)
        return key


def prepare(*, actor: User, items: Sequence[dict[str, Any]]) -> Prepared:
    """Apply every checked row (``importing._check_placement``'s dict and its ``row``) in memory."""
    now = timezone.now()
    prepared = Prepared()
    in_file = {i["key"] for i in items if i["key"]}
    stored = _stored(in_file)
    prepared.seen = {p.pk: p.updated_at for p in stored.values()}
    taken = _seats_taken([p.pk for p in stored.values()])
    regions = {r.code: r for r in Region.objects.filter(code__in={i["region"] for i in items if i["region"]})}
    keys = _Keys(in_file)
    version = esco_version()
    by_key: dict[str, Placement] = dict(stored)
    placed: set[int] = set()
    for item in items:
        host, data = item["host"], item["data"]
        placement = by_key.get(item["key"]) if item["key"] else None
        if placement is not None and placement.pk is not None:
            seats = data.get("seats")
            if isinstance(seats, int) and seats < taken.get(placement.pk, 0):
                prepared.problems.append(
                    _(
                        "Row %(row)d, seats %(value)r: "
                        "%(taken)s seats are already taken: keep at least that many."
                    )
                    % {"row": item["row"], "value": seats, "taken": taken[placement.pk]}
                )
                continue
        before = {f: getattr(placement, f) for f in FIELDS} if placement is not None else {}
        if placement is None:
            key = item["key"] or keys.new(host)
            placement = Placement(host=host, key=key, created_by=actor, is_demo=False, created_at=now)
            by_key[key] = placement
            prepared.created += 1
        else:
            prepared.updated += 1
        for name in FIELDS:
            if name in data:
                setattr(placement, name, data[name])
        placement.country = placement.country.upper()
        if item["region"]:
            placement.region = regions.get(item["region"])
        placement.esco_version, placement.updated_at = version, now
        skills = {
            s["uri"]: PlacementSkill(
                placement=placement, uri=s["uri"], label=s.get("label") or s["uri"], required=False
            )
            for s in data.get("desired_skills", [])
        }
        for s in data.get("required_skills", []):
            skills[s["uri"]] = PlacementSkill(
                placement=placement, uri=s["uri"], label=s.get("label") or s["uri"], required=True
            )
        prepared.skills[id(placement)] = list(skills.values())
        prepared.languages[id(placement)] = [
            PlacementLanguage(placement=placement, code=lang["code"].lower(), level=lang["level"].upper())
            for lang in data.get("languages", [])
        ]
        prepared.logged.event(
            placement,
            actor=actor,
            action="placement.update" if before else "placement.create",
            before=before,
            after={f: getattr(placement, f) for f in FIELDS},
            organisation_id=host.pk,
            now=now,
        )
        if id(placement) not in placed:
            placed.add(id(placement))
            prepared.placements.append(placement)
    new_skills = [s for p in prepared.placements for s in prepared.skills[id(p)]]
    languages = [lang for p in prepared.placements for lang in prepared.languages[id(p)]]
    prepared.statements = [
        update_statement(Placement, [p for p in prepared.placements if p.pk is not None], UPDATED_FIELDS),
        insert_statement(PlacementSkill, new_skills, "placement", [s.placement for s in new_skills]),
        insert_statement(PlacementLanguage, languages, "placement", [lang.placement for lang in languages]),
        *prepared.logged.statements(),
    ]
    return prepared


def check_unchanged(prepared: Prepared) -> None:
    """Raise ``StaleImportError`` if a planned placement was changed or deleted since ``prepare`` (a
    placement created meanwhile under a key the import creates fails on the unique key). Call first
    inside the write transaction; on PostgreSQL the rows stay locked until it ends."""
    now: dict[int, datetime] = {}
    for part in chunks(sorted(prepared.seen)):
        rows = Placement.objects.select_for_update().filter(pk__in=part).values_list("pk", "updated_at")
        now.update(dict(rows))
    if any(now.get(pk) != seen for pk, seen in prepared.seen.items()):
        raise StaleImportError("placement changed")


def write(prepared: Prepared) -> None:
    """Insert the new placements (``bulk_create``, which gives them their ids), delete the skills and
    languages of the updated ones, then run every prepared statement (updates, the new skills and
    languages, the audit rows); call inside the import's transaction."""
    check_unchanged(prepared)
    Placement.objects.bulk_create([p for p in prepared.placements if p.pk is None], batch_size=BATCH)
    stored = [p.pk for p in prepared.placements if p.pk in prepared.seen]
    for part in chunks(stored):
        PlacementSkill.objects.filter(placement_id__in=part).delete()
        PlacementLanguage.objects.filter(placement_id__in=part).delete()
    for statement in prepared.statements:
        statement.run()
