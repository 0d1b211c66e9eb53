"""Demo placements (84 across the demo hosts, with ESCO skills from the occupations) and allocation
rounds in every state: draft, proposed (with an override and an open contest), confirmed (accepted,
declined and waiting proposals, an answered contest), and an optimal round with a floor.

Deterministic and idempotent: the previous demo placements and rounds are replaced.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.core.models import Notification
from matchmaking.demo.network import demo_users
from matchmaking.organisations.models import Organisation
from matchmaking.participants.demo_esco import demo_occupations, transversal_skills
from matchmaking.participants.esco_lookup import esco_version
from matchmaking.participants.models import Participant, ParticipantSkill, SupportRequirement
from matchmaking.pathways.models import Offer
from matchmaking.placements import rounds
from matchmaking.placements.history import history_add
from matchmaking.placements.matching import score_one
from matchmaking.placements.models import (
    Assignment,
    Contest,
    Placement,
    PlacementLanguage,
    PlacementSkill,
    Proposal,
    Round,
    WaitingListEntry,
)

SEED = 20260502
LOCAL = {
    "SE": "sv",
    "NO": "nb",
    "DE": "de",
    "ES": "es",
    "IE": "en",
    "IT": "it",
    "PT": "pt",
    "FI": "fi",
    "NL": "nl",
    "AT": "de",
    "FR": "fr",
    "BE": "fr",
    "CZ": "cs",
    "PL": "pl",
    "SI": "sl",
    "CH": "de",
}
MARKET = {
    "social-enterprise": "social-economy",
    "ngo": "social-economy",
    "vet-provider": "training",
    "adult-education": "training",
    "school": "training",
}
PLACEMENTS = 84


# Notifications the demo rounds send; they are made again with the rounds, so the old ones go first.
DEMO_NOTIFICATION_KINDS = ("round.confirmed", "round.unplaced", "placement.waiting-list", "proposal.decided")


def clear() -> None:

    demo_emails = [user.email for user in demo_users()]
    Notification.objects.filter(kind__in=DEMO_NOTIFICATION_KINDS, recipient__email__in=demo_emails).delete()
    Round.objects.filter(is_demo=True).delete()
    Placement.objects.filter(is_demo=True).delete()


@transaction.atomic
def demo_extend(*, today: date) -> str:
    rng = random.Random(SEED)
    hosts = list(
        Organisation.objects.filter(is_demo=True)
        .exclude(kind__code__in=["network", "national-authority"])
        .select_related("kind")
        .order_by("key")
    )
    if not hosts:
        return "no demo organisations"
    occupations = list(demo_occupations())
    transversal = list(transversal_skills())
    version = esco_version()
    made, skills, languages = [], [], []
    for n in range(PLACEMENTS):
        host = hosts[n % len(hosts)]
        occupation = occupations[(n * 7) % len(occupations)]
        start = today + timedelta(days=rng.randint(14, 120))
        placement = Placement(
            key=f"demo-{host.key}-{n + 1}",
            host=host,
            title=occupation["label"].capitalize(),
            occupation_uri=occupation["uri"],
            occupation_label=occupation["label"],
            description=f"{occupation['label'].capitalize()} at {host.name}: learn the job with a mentor.",
            seats=rng.choice([1, 1, 2, 2, 3, 4]),
            start=start,
            end=start + timedelta(days=rng.choice([30, 60, 90, 180])),
            country=host.country,
            region=host.region,
            city=host.city,
            support_offered=rng.sample(list(SupportRequirement.values), k=rng.randint(1, 5)),
            labour_market=MARKET.get(host.kind.code, rng.choice(["regular", "regular", "social-economy"])),
            esco_version=version,
            is_demo=True,
        )
        made.append(placement)
        required = rng.sample(occupation["skills"], k=min(2, len(occupation["skills"])))
        taken = {s["uri"] for s in required}
        rest = list(
            {s["uri"]: s for s in occupation["skills"] + transversal if s["uri"] not in taken}.values()
        )
        skills.append((placement, required, rng.sample(rest, k=2)))
        if rng.random() < 0.8:
            languages.append((placement, LOCAL.get(host.country, "en"), rng.choice(["A2", "A2", "B1"])))
    Placement.objects.bulk_create(made)
    PlacementSkill.objects.bulk_create(
        [
            PlacementSkill(placement=p, uri=s["uri"], label=s["label"], required=True)
            for p, req, _ in skills
            for s in req
        ]
        + [
            PlacementSkill(placement=p, uri=s["uri"], label=s["label"], required=False)
            for p, _, des in skills
            for s in des
        ]
    )
    PlacementLanguage.objects.bulk_create(
        PlacementLanguage(placement=p, code=c, level=lv) for p, c, lv in languages
    )
    count = _rounds(rng, today)
    _rolling_start(today)
    return f"{len(made) + 1} placements, {count} allocation rounds"


# A placement already running with a rolling start, for a single proposal made today: the person can
# start on its start date and the whole lifecycle can be walked through (made after the rounds, which it
# leaves as they are).
FOOD_HYGIENE = (
    "http://data.europa.eu/esco/skill/0ff99f51-40d9-42f1-a1ec-377b2bb5e15f",
    "comply with food safety and hygiene",
)
DISHWASHER = (
    "http://data.europa.eu/esco/skill/f20aedf0-6543-498d-b88e-0a32e604acbb",
    "operate dishwashing machine",
)


def _rolling_start(today: date) -> None:
    host = Organisation.objects.filter(key="dehoga-academy").first()
    if host is None:
        return
    placement = Placement.objects.create(
        key="demo-dehoga-rolling-kitchen",
        host=host,
        title="Hotel kitchen assistant (rolling start)",
        description="Kitchen work in a partner hotel of DEHOGA Academy, with a mentor; join at any time.",
        seats=2,
        start=today - timedelta(days=150),
        end=today + timedelta(days=60),
        country=host.country,
        region=host.region,
        city=host.city,
        support_offered=["mentor", "flexible-hours", "quiet-space"],
        labour_market="training",
        kind="traineeship",
        scheme="erasmus-vet",
        esco_version=esco_version(),
        is_demo=True,
    )
    PlacementSkill.objects.create(
        placement=placement, uri=FOOD_HYGIENE[0], label=FOOD_HYGIENE[1], required=True
    )
    PlacementSkill.objects.create(placement=placement, uri=DISHWASHER[0], label=DISHWASHER[1], required=False)
    _waiting_for_dehoga(placement)


def _waiting_for_dehoga(placement: Placement) -> None:
    """One Borås person proposed to the rolling-start placement, so that DEHOGA's inbox has a decision
    waiting (the first active Borås person the engine finds eligible for it)."""
    for person in _people("boras-working-life", 20):
        found = score_one(person, placement)
        if not found.eligible:
            continue
        assignment = Assignment(
            placement=placement,
            participant=person,
            score=found.score,
            reasons=[r.as_dict() for r in found.reasons],
            skill_gap=list(found.skill_gap),
            message="Motivated and available; happy to come for an interview.",
            proposed_by=person.key_worker,
        )
        history_add(assignment, "proposed", person.key_worker, org=placement.host.name, score=found.score)
        assignment.save()
        return


def _people(key: str, count: int, offset: int = 0) -> list[Participant]:
    found = Participant.objects.filter(is_demo=True, organisation__key=key, status=Participant.Status.ACTIVE)
    return list(found.order_by("pseudonym")[offset : offset + count])


def _places(countries: list[str], count: int, offset: int = 0) -> list[Placement]:
    return list(
        Placement.objects.filter(is_demo=True, country__in=countries).order_by("key")[offset : offset + count]
    )


def _places_for(people: list[Participant], countries: list[str], count: int) -> list[Placement]:
    """The placements in ``countries`` whose required skills these people hold most often, so that a
    round shows people placed above the minimum fit (and, for the floor, people with fewer
    opportunities among them)."""
    held: dict[str, int] = {}
    for uri in ParticipantSkill.objects.filter(participant__in=people).values_list("uri", flat=True):
        held[uri] = held.get(uri, 0) + 1
    found = list(
        Placement.objects.filter(is_demo=True, country__in=countries)
        .prefetch_related("skills")
        .order_by("key")
    )

    def matched(placement: Placement) -> int:
        return sum(held.get(s.uri, 0) for s in placement.skills.all() if s.required)

    return sorted(found, key=lambda p: (-matched(p), p.key))[:count]


def _rounds(rng: random.Random, today: date) -> int:
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    worker = User.objects.filter(email="stuttgart.caseworker@example.org").first()
    made = 0

    def create(name: str, people: list, places: list, method: str = "stable", floor: int = 0) -> Round | None:
        nonlocal made
        if not people or not places:
            return None
        made += 1
        found = rounds.round_create(
            actor=None,
            name=name,
            method=method,
            floor=floor,
            participants=people,
            placements=places,
            is_demo=True,
        )
        found.created_by = coordinator
        found.save(update_fields=["created_by"])
        return found

    create("Borås autumn work placements", _people("boras-working-life", 25), _places(["SE"], 8))
    proposed = create(
        "Stuttgart hospitality and care", _people("jobcenter-stuttgart", 30), _places(["DE"], 14)
    )
    if proposed:
        rounds.round_compute(round_id=proposed.pk)
        first = proposed.proposals.filter(placement__isnull=False).first()
        if first:
            first.placement, first.override_reason = None, "Starts a language course in the same weeks"
            first.overridden_by, first.reasons = (
                coordinator,
                [{"code": "override", "text": "No placement, by decision of the reviewer."}],
            )
            first.save()
        other = (
            proposed.proposals.exclude(pk=first.pk if first else 0).filter(placement__isnull=False).first()
        )
        if other:
            Contest.objects.create(
                proposal=other,
                raised_by=worker,
                reason="She would rather work in the morning shift: the other kitchen fits better.",
            )
    confirmed = create(
        "Vestland and Borås learner mobility",
        _people("nav-vestland", 20) + _people("boras-working-life", 10, 30),
        _places(["SE", "NO"], 12, 8),
    )
    if confirmed:
        rounds.round_compute(round_id=confirmed.pk)
        rounds.round_confirm(actor=None, allocation_round=confirmed)
        _decide(rng, confirmed, coordinator, today)
    catalonia = _people("soc-catalonia", 30)
    floor = create(
        "Catalonia social economy (with floor)",
        catalonia,
        _places_for(catalonia, ["ES"], 12),
        method="optimal",
        floor=6,
    )
    if floor:
        rounds.round_compute(round_id=floor.pk)
    return made


def _decide(rng: random.Random, found: Round, coordinator: User | None, today: date) -> None:

    proposals = list(
        found.proposals.filter(status=Proposal.Status.CONFIRMED).select_related("placement", "participant")
    )
    now = timezone.now()
    for n, proposal in enumerate(proposals):
        assert proposal.placement is not None  # confirmed proposals are for a placement
        if n % 3 == 0:
            proposal.status, proposal.decided_at = Proposal.Status.ACCEPTED, now
            Offer.objects.create(
                participant=proposal.participant,
                type="traineeship" if proposal.placement.labour_market == "training" else "job",
                offered_on=today - timedelta(days=rng.randint(1, 20)),
                organisation=proposal.placement.host,
                note=f"Placement accepted: {proposal.placement.title}",
            )
        elif n % 3 == 1:
            proposal.status, proposal.decided_at = Proposal.Status.DECLINED, now
            proposal.decline_reason = rng.choice([c for c, _ in Proposal.DeclineReason.choices])
            proposal.decline_note = "We can take someone next term."
        proposal.save()
    declined = next((p for p in proposals if p.status == Proposal.Status.DECLINED), None)
    if declined:
        Contest.objects.create(
            proposal=declined,
            reason="The dates can be moved by two weeks.",
            outcome=Contest.Outcome.REJECTED,
            answer="The host has no supervisor in that period; we will propose again next round.",
            answered_by=coordinator,
            answered_at=now,
        )
    full = next(
        (
            p.placement
            for p in proposals
            if p.status == Proposal.Status.ACCEPTED and p.placement is not None and p.placement.seats == 1
        ),
        None,
    )
    if full:
        waiting = Participant.objects.filter(is_demo=True, status="active").exclude(proposals__placement=full)
        for person in waiting.order_by("pseudonym")[:3]:
            WaitingListEntry.objects.create(placement=full, participant=person)
