"""Read paths for placements and rounds: seats, waiting-list offers for people not placed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from matchmaking.participants.models import Participant
from matchmaking.placements.models import Placement, Proposal, WaitingListEntry


def with_seats_taken(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Annotate ``taken``: seats held by confirmed or accepted proposals of any round."""
    return placements.annotate(
        taken=Count("proposals", filter=Q(proposals__status__in=Proposal.HOLDS_SEAT), distinct=True)
    )


def waiting_list_offers(proposals: Iterable[Proposal]) -> dict[int, list[Placement]]:
    """proposal id → the full, open placements the person could have taken and is not yet waiting for.

    Only for proposals whose result is "not placed": a placement they wanted is full, so the worker is
    offered its waiting list instead. ``wanted`` holds the placements that passed every hard rule, best
    first; rounds computed before it was stored fall back to the round's placements when the reason
    given was that every suitable placement was full.
    """
    unplaced = [p for p in proposals if p.status == Proposal.Status.UNPLACED]
    if not unplaced:
        return {}
    wanted: dict[int, list[int]] = {}
    for proposal in unplaced:
        ids = [int(pk) for pk in proposal.wanted if isinstance(pk, int)]
        if not ids and any(r.get("code") == "unplaced-full" for r in proposal.reasons):
            ids = list(proposal.round.placements.values_list("pk", flat=True))
        wanted[proposal.pk] = ids
    every = {pk for ids in wanted.values() for pk in ids}
    full = {
        pl.pk: pl
        for pl in with_seats_taken(
            Placement.objects.filter(pk__in=every, status=Placement.Status.OPEN).select_related("host")
        )
        if pl.taken >= pl.seats
    }
    waiting = set(
        WaitingListEntry.objects.filter(
            participant_id__in=[p.participant_id for p in unplaced],
            status=WaitingListEntry.Status.WAITING,
        ).values_list("participant_id", "placement_id")
    )
    return {
        proposal.pk: [
            full[pk]
            for pk in wanted[proposal.pk]
            if pk in full and (proposal.participant_id, pk) not in waiting
        ]
        for proposal in unplaced
    }


def annotate_waiting_list_offers(proposals: Iterable[Proposal]) -> list[Any]:
    """The proposals as a list, each with ``waiting_list_offers`` set (empty unless not placed)."""
    found = list(proposals)
    offers = waiting_list_offers(found)
    for proposal in found:
        proposal.waiting_list_offers = offers.get(proposal.pk, [])
    return found


def placement_list(
    *, query: str = "", country: str = "", labour_market: str = "", host: str = "", status: str = ""
) -> QuerySet[Placement]:
    """Placements for the network's members, with ``taken`` seats, skills and languages; empty
    criteria are ignored. Ordered open first, then by start and title."""
    found = with_seats_taken(Placement.objects.select_related("host", "region")).prefetch_related(
        "skills", "languages"
    )
    if query:
        found = found.filter(
            Q(title__icontains=query) | Q(occupation_label__icontains=query) | Q(host__name__icontains=query)
        )
    for field, value in (
        ("country", country),
        ("labour_market", labour_market),
        ("host__key", host),
        ("status", status),
    ):
        if value:
            found = found.filter(**{field: value})
    return found.order_by("status", "start", "title", "pk")


def participant_recent_proposals(*, participant: Participant, limit: int = 5) -> list[Any]:
    """The person's latest proposals, newest round first, each with its waiting-list offers."""
    return annotate_waiting_list_offers(
        participant.proposals.select_related("placement__host", "round").order_by("-round__created_at")[
            :limit
        ]
    )
