"""Seats a placement has given: the one rule every count uses (rounds, freed-seat offers, single
proposals, lists, imports), so that capacity is never exceeded by one path forgetting another.

A seat is held by a round's proposal that is confirmed, offered or accepted, and by a single proposal
(one outside any round) that the host accepted or that has started. A round's accepted proposal has
an assignment too; it is counted once, through its proposal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from matchmaking.placements.models import Assignment, Placement, Proposal


def _held_in_rounds(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": Proposal.HOLDS_SEAT})


def _held_single(prefix: str = "") -> Q:
    return Q(**{f"{prefix}proposal__isnull": True, f"{prefix}status__in": Assignment.HOLDS_SEAT})


def annotate_taken(placements: QuerySet[Placement], *, exclude_round_id: int | None = None) -> QuerySet[Any]:
    """``taken`` on each placement: seats held (by proposals of rounds other than ``exclude_round_id``)."""
    in_rounds = _held_in_rounds("proposals__")
    if exclude_round_id is not None:
        in_rounds &= ~Q(proposals__round_id=exclude_round_id)
    return placements.annotate(
        taken=Count("proposals", filter=in_rounds, distinct=True)
        + Count("assignments", filter=_held_single("assignments__"), distinct=True)
    )


def seats_held(placement_ids: Iterable[int], *, exclude_round_id: int | None = None) -> dict[int, int]:
    """placement id → seats held, for placements given by id (two grouped queries)."""
    ids = list(placement_ids)
    rounds = Proposal.objects.filter(_held_in_rounds(), placement_id__in=ids)
    if exclude_round_id is not None:
        rounds = rounds.exclude(round_id=exclude_round_id)
    single = Assignment.objects.filter(_held_single(), placement_id__in=ids)
    held: dict[int, int] = {}
    for qs in (rounds, single):
        for placement_id, n in (
            qs.values("placement_id").annotate(n=Count("id")).values_list("placement_id", "n")
        ):
            held[placement_id] = held.get(placement_id, 0) + n
    return held
