"""Freed seats go on: to the next eligible person, as a real proposal the host decides on.

A seat comes free when a contest is upheld (the proposal is withdrawn), when a host declines, or when a
seat held for an offer was not taken up in time. The seat is then offered, inside the same transaction,
to the next eligible person: from the round's own ranking (the people of the round not placed, best fit
for the placement first, at or above the round's minimum fit) or from the placement's waiting list (first
come, first offered). In a confirmed round the offer is a proposal in state "offered" that holds the seat
for ``PLACEMENT_SEAT_HOLD_DAYS`` days; in a round still under review it simply becomes that person's
proposal. The people told are told after commit, so that nothing is announced that was rolled back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.organisations.models import Membership
from matchmaking.placements import matching
from matchmaking.placements.eligibility import ineligibility
from matchmaking.placements.models import Placement, Proposal, Round, WaitingListEntry
from matchmaking.placements.seats import seats_held

# How long a seat offered from the waiting list (or the round's ranking) is held for the host's answer.
DEFAULT_SEAT_HOLD_DAYS = 5

RANKING = "ranking"
WAITING_LIST = "waiting-list"


def seat_hold_days() -> int:
    return int(getattr(settings, "PLACEMENT_SEAT_HOLD_DAYS", DEFAULT_SEAT_HOLD_DAYS))


def held_until(now: datetime) -> datetime:
    return now + timedelta(days=seat_hold_days())


def _holds_a_seat(participant_id: int) -> bool:
    return Proposal.objects.filter(participant_id=participant_id, status__in=Proposal.HOLDS_SEAT).exists()


def _room(placement: Placement, found: Round) -> bool:
    """Whether the placement has a seat for one more person (placement row locked by the caller)."""
    if found.status == Round.Status.PROPOSED:
        # Under review: this round's proposals hold no seat yet, but they count against the free ones.
        held = seats_held([placement.pk], exclude_round_id=found.pk).get(placement.pk, 0)
        pending = found.proposals.filter(placement=placement, status=Proposal.Status.PROPOSED).count()
        return held + pending < placement.seats
    return seats_held([placement.pk]).get(placement.pk, 0) < placement.seats


def offer_freed_seat(
    *, placement: Placement, allocation_round: Round | None, exclude: set[int], ranking_first: bool
) -> Proposal | None:
    """Offer a seat that came free to the next eligible person; ``None`` when nobody can take it.

    Call inside the service's transaction; ``exclude`` holds participant ids not to offer it to (the
    person who just gave it up).
    """
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    found = allocation_round or (
        Round.objects.filter(placements=locked, status=Round.Status.CONFIRMED)
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    if locked.status != Placement.Status.OPEN or found is None:
        return None
    if found.status not in (Round.Status.PROPOSED, Round.Status.CONFIRMED) or not _room(locked, found):
        return None
    sources = (_from_ranking, _from_waiting_list) if ranking_first else (_from_waiting_list, _from_ranking)
    for source in sources:
        offered = source(locked, found, exclude)
        if offered is not None:
            return offered
    return None


def _from_ranking(placement: Placement, found: Round, exclude: set[int]) -> Proposal | None:
    """The round's next person for this placement: not placed, eligible, best fit at or above the minimum."""
    waiting = (
        found.proposals.filter(status=Proposal.Status.PROPOSED, placement__isnull=True)
        if found.status == Round.Status.PROPOSED
        else found.proposals.filter(status=Proposal.Status.UNPLACED)
    )
    best: tuple[float, str, Proposal, Any] | None = None
    for proposal in waiting.exclude(participant_id__in=exclude).select_related("participant"):
        person = proposal.participant
        if ineligibility(person) is not None or _holds_a_seat(person.pk):
            continue
        pair = matching.score_one(person, placement)
        if not pair.eligible or pair.score < found.min_fit:
            continue
        key = (pair.score, person.pseudonym)
        if best is None or (key[0] > best[0] or (key[0] == best[0] and key[1] < best[1])):
            best = (pair.score, person.pseudonym, proposal, pair)
    if best is None:
        return None
    return _offer(best[2].participant, placement, found, best[3], RANKING)


def _from_waiting_list(placement: Placement, found: Round, exclude: set[int]) -> Proposal | None:
    """The first person on the placement's waiting list who is eligible and fits at the round's minimum."""
    entries = (
        placement.waiting_list.select_for_update()
        .filter(status=WaitingListEntry.Status.WAITING)
        .exclude(participant_id__in=exclude)
        .select_related("participant")
    )
    for entry in entries:
        person = entry.participant
        if ineligibility(person) is not None:
            entry.status = WaitingListEntry.Status.REMOVED  # left the programme or paused
            entry.save(update_fields=["status"])
            continue
        if _holds_a_seat(person.pk):
            continue
        pair = matching.score_one(person, placement)
        if not pair.eligible or pair.score < found.min_fit:
            continue
        offered = _offer(person, placement, found, pair, WAITING_LIST)
        if offered is None:
            continue
        entry.status = WaitingListEntry.Status.OFFERED
        entry.save(update_fields=["status"])
        return offered
    return None


def _offer(person: Any, placement: Placement, found: Round, pair: Any, source: str) -> Proposal | None:
    """The person's proposal for the freed seat: in a confirmed round "offered", holding the seat."""
    proposal = found.proposals.filter(participant=person).first()
    if proposal is not None and proposal.status in Proposal.HOLDS_SEAT:
        return None
    if proposal is None:
        proposal = Proposal(round=found, participant=person)
    under_review = found.status == Round.Status.PROPOSED
    labels = matching.Labels.of([person], [placement])
    proposal.placement = placement
    proposal.score = pair.score
    proposal.choice = None
    proposal.reasons = [r.as_dict() for r in pair.reasons]
    proposal.skill_gap = [{"uri": u, "label": labels(u)} for u in pair.skill_gap]
    proposal.status = Proposal.Status.PROPOSED if under_review else Proposal.Status.OFFERED
    proposal.hold_until = None if under_review else held_until(timezone.now())
    proposal.decline_reason, proposal.decline_note, proposal.decided_by, proposal.decided_at = (
        "",
        "",
        None,
        None,
    )
    proposal.save()
    audit_record(
        actor=None,
        action="proposal.offer",
        obj=proposal,
        after={
            "placement": placement.key,
            "participant": person.pseudonym,
            "source": source,
            "hold_until": proposal.hold_until.isoformat() if proposal.hold_until else "",
        },
        organisation_id=placement.host_id,
    )
    if not under_review:
        transaction.on_commit(lambda: _notify_offer(proposal, placement, found))
    return proposal


def _notify_offer(proposal: Proposal, placement: Placement, found: Round) -> None:
    """The host decides on the offered person; the key worker hears that a seat is free for them."""
    notify(
        memberships=Membership.objects.filter(organisation_id=placement.host_id).select_related("user"),
        kind="round.confirmed",
        params={"variant": "host", "placement": placement.title, "round": found.name},
        url=placement.get_absolute_url(),
    )
    person = proposal.participant
    notify(
        involved=[person.key_worker],
        kind="placement.waiting-list",
        params={"placement": placement.title, "participant": person.pseudonym},
        url=person.get_absolute_url(),
    )


@transaction.atomic
def seat_holds_expire(*, now: datetime) -> str:
    """Seats held for an offer the host did not answer in time are freed and offered to the next one."""
    expired = list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(status=Proposal.Status.OFFERED, hold_until__lt=now)
        .select_related("placement", "round")
        .order_by("pk")
    )
    offered = 0
    for proposal in expired:
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.reasons = [*proposal.reasons, {"code": "hold-expired", "text": "The seat's hold expired."}]
        proposal.save(update_fields=["status", "reasons"])
        audit_record(
            actor=None,
            action="proposal.hold-expired",
            obj=proposal,
            after={"hold_until": proposal.hold_until.isoformat() if proposal.hold_until else ""},
        )
        if proposal.placement is not None:
            found = offer_freed_seat(
                placement=proposal.placement,
                allocation_round=proposal.round,
                exclude={proposal.participant_id},
                ranking_first=False,
            )
            offered += found is not None
    return f"{len(expired)} seat holds expired, {offered} seats offered on"
