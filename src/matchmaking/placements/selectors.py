"""Read paths for placements and rounds: seats, waiting-list offers for people not placed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from matchmaking.organisations.models import Organisation
from matchmaking.participants.access import visible_participants
from matchmaking.participants.models import Participant
from matchmaking.permissions.roles import AnyUser
from matchmaking.placements.access import placement_hosts_for
from matchmaking.placements.eligibility import eligible_filter
from matchmaking.placements.models import Contest, Placement, Proposal, Round, WaitingListEntry
from matchmaking.placements.seats import annotate_taken

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class SeatsTaken(TypedDict):
    taken: int


class RoundSize(TypedDict):
    n_participants: int
    n_placements: int


# A placement with ``taken``, its seats held by confirmed or accepted proposals.
PlacementWithSeats: TypeAlias = "WithAnnotations[Placement, SeatsTaken]"
RoundWithSize: TypeAlias = "WithAnnotations[Round, RoundSize]"


def with_seats_taken(placements: QuerySet[Placement]) -> QuerySet[PlacementWithSeats]:
    """Annotate ``taken``: seats held by proposals of any round and by accepted single proposals."""
    return annotate_taken(placements)


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


def annotate_waiting_list_offers(proposals: Iterable[Proposal]) -> list[Proposal]:
    """The proposals as a list, each with ``waiting_list_offers`` set (empty unless not placed)."""
    found = list(proposals)
    offers = waiting_list_offers(found)
    for proposal in found:
        proposal.waiting_list_offers = offers.get(proposal.pk, [])
    return found


def _text_search(found: QuerySet[PlacementWithSeats], query: str) -> QuerySet[PlacementWithSeats]:
    """Placements whose title, occupation or host name contains ``query`` (all for an empty one)."""
    if not query:
        return found
    return found.filter(
        Q(title__icontains=query) | Q(occupation_label__icontains=query) | Q(host__name__icontains=query)
    )


def placement_list(
    *, query: str = "", country: str = "", labour_market: str = "", host: str = "", status: str = ""
) -> QuerySet[PlacementWithSeats]:
    """Placements for the network's members, with ``taken`` seats, skills and languages; empty
    criteria are ignored. Ordered open first, then by start and title."""
    found = with_seats_taken(Placement.objects.select_related("host", "region")).prefetch_related(
        "skills", "languages"
    )
    found = _text_search(found, query)
    for field, value in (
        ("country", country),
        ("labour_market", labour_market),
        ("host__key", host),
        ("status", status),
    ):
        if value:
            found = found.filter(**{field: value})
    return found.order_by("status", "start", "title", "pk")


def participant_recent_proposals(*, participant: Participant, limit: int = 5) -> list[Proposal]:
    """The person's latest proposals, newest round first, each with its waiting-list offers."""
    return annotate_waiting_list_offers(
        participant.proposals.select_related("placement__host", "round").order_by("-round__created_at")[
            :limit
        ]
    )


def placement_page(
    *, query: str = "", labour_market: str = "", country: str = ""
) -> QuerySet[PlacementWithSeats]:
    """The placement list page: placements with their hosts and ``taken`` seats; empty criteria are
    ignored. Open first, then by start and title."""
    found = _text_search(with_seats_taken(Placement.objects.select_related("host")), query)
    if labour_market:
        found = found.filter(labour_market=labour_market)
    if country:
        found = found.filter(country=country)
    return found.order_by("status", "start", "title")


def placement_hosts(*, user: AnyUser) -> QuerySet[Organisation]:
    """The organisations the user may publish placements for."""
    return Organisation.objects.filter(pk__in=placement_hosts_for(user))


def open_placements(*, placement_ids: Iterable[str | int] | None = None) -> QuerySet[PlacementWithSeats]:
    """Open placements with their hosts and ``taken`` seats (only those of ``placement_ids`` if given),
    for an allocation round."""
    found = Placement.objects.filter(status=Placement.Status.OPEN)
    if placement_ids is not None:
        found = found.filter(pk__in=placement_ids)
    return with_seats_taken(found.select_related("host"))


def round_participants(
    *, user: AnyUser, participant_ids: Iterable[str | int] | None = None
) -> QuerySet[Participant]:
    """The participants the user may put in a round: active, not paused, not left (only those of
    ``participant_ids`` if given)."""
    found = visible_participants(user).filter(**eligible_filter())
    if participant_ids is not None:
        found = found.filter(pk__in=participant_ids)
    return found.select_related("organisation").order_by("organisation__name", "pseudonym")


def _members(through: Any, field: str) -> Coalesce:
    """How many rows of a round's many-to-many table, as a subquery per round (no join of both)."""
    counted = (
        through.objects.filter(round_id=OuterRef("pk"))
        .order_by()
        .values("round_id")
        .annotate(n=Count(field))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def round_list() -> QuerySet[RoundWithSize]:
    """Every allocation round with how many participants and placements it has (for coordinators),
    newest first. Each count is its own subquery: joining both tables multiplied the rows (5 s of
    SQL for one round of 5,000 × 500)."""
    return Round.objects.annotate(
        n_participants=_members(Round.participants.through, "participant_id"),
        n_placements=_members(Round.placements.through, "placement_id"),
    ).order_by("-created_at", "-pk")


def round_proposals(*, allocation_round: Round) -> QuerySet[Proposal]:
    """A round's proposals for its page, in a stable order for paging (annotate a page with
    ``annotate_waiting_list_offers``)."""
    return (
        allocation_round.proposals.select_related(
            "participant__organisation", "placement__host", "overridden_by", "round"
        )
        .prefetch_related("contests")
        .order_by("participant__pseudonym", "pk")
    )


def round_no_suitable(*, allocation_round: Round) -> QuerySet[Proposal]:
    """The proposals of people no placement fits at the round's minimum fit."""
    return (
        allocation_round.proposals.filter(placement__isnull=True, reasons__0__code="unplaced-fit")
        .select_related("participant")
        .order_by("participant__pseudonym", "pk")
    )


def round_placement_search(*, allocation_round: Round, query: str, limit: int = 20) -> list[Placement]:
    """The round's placements whose identifier, title or host name contains ``query`` (for the
    reviewer's search field), identifier order, at most ``limit``."""
    query = query.strip()[:100]
    if not query:
        return []
    found = allocation_round.placements.filter(
        Q(key__icontains=query) | Q(title__icontains=query) | Q(host__name__icontains=query)
    )
    return list(found.select_related("host").order_by("key")[:limit])


def open_contest_count(*, allocation_round: Round) -> int:
    return Contest.objects.filter(proposal__round=allocation_round, outcome=Contest.Outcome.OPEN).count()
