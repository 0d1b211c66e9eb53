"""The adapter between the database and the engine: models in, plain engine dataclasses out.

This is the only place that builds the engine's ``Participant``. It copies what matching may use
(skills, languages, occupation interests, availability, practical support requirements, willingness to
go abroad, country) and nothing else: the "fewer opportunities" flag and its reasons, the age group and
anything in the identifying record never reach a score. The flag, the age group and the organisation
are handed separately, as the engine's ``Monitoring``, to the optimal allocation's positive-action
floor and to the fairness audits, where they are visible in every result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from matchmaking.engine import people as engine
from matchmaking.engine.allocation_round import Monitoring, score_all
from matchmaking.engine.people import PlacementMatch
from matchmaking.engine.ranking import top_k
from matchmaking.engine.shortlist import SHORTLIST, Ranker, ScoredRow, shortlist_and_score
from matchmaking.participants.models import Participant
from matchmaking.placements.fairness_groups import FEWER, OTHERS, group_code
from matchmaking.placements.models import Placement


def engine_participant(participant: Participant) -> engine.Participant:
    return engine.Participant(
        id=participant.pseudonym,
        skills=tuple(engine.Skill(s.uri, how=s.how) for s in participant.skills.all()),
        languages=tuple(engine.Language(lang.code, lang.level) for lang in participant.languages.all()),
        occupation_interests=tuple(o["uri"] for o in participant.occupation_interests if o.get("uri")),
        available_from=participant.available_from,
        available_until=participant.available_until,
        support_requirements=frozenset(participant.support_requirements),
        willing_to_go_abroad=participant.willing_to_go_abroad,
        home_country=participant.home_country,
    )


def engine_placement(placement: Placement, seats: int | None = None) -> engine.Placement:
    skills = list(placement.skills.all())
    return engine.Placement(
        id=placement.key,
        seats=placement.seats if seats is None else seats,
        occupation=placement.occupation_uri,
        required_skills=tuple(s.uri for s in skills if s.required),
        desired_skills=tuple(s.uri for s in skills if not s.required),
        languages=tuple(engine.Language(lang.code, lang.level) for lang in placement.languages.all()),
        start=placement.start,
        end=placement.end,
        country=placement.country,
        region=placement.region.code if placement.region is not None else "",
        support_offered=frozenset(placement.support_offered),
        labour_market=placement.labour_market,
    )


def engine_monitoring(participant: Participant) -> Monitoring:
    """The participant's groups for the round's fairness audits, and the flag for the floor."""
    flag = participant.fewer_opportunities
    return Monitoring(
        fewer_opportunities=flag,
        groups={
            # Codes, shown in the reader's language by ``fairness_groups.group_label``.
            "fewer_opportunities": FEWER if flag else OTHERS,
            "age_group": group_code("age_group", participant.age_group),
            "gender": group_code("gender", participant.gender),
            "organisation": participant.organisation.name,
        },
    )


@dataclass
class Labels:
    """ESCO URI → label, from the skills and occupations on the records themselves."""

    names: dict[str, str]

    @classmethod
    def of(cls, participants: Iterable[Participant], placements: Iterable[Placement]) -> Labels:
        names: dict[str, str] = {}
        for p in participants:
            names.update({s.uri: s.label for s in p.skills.all()})
            names.update({o["uri"]: o.get("label", o["uri"]) for o in p.occupation_interests if o.get("uri")})
        for pl in placements:
            names.update({s.uri: s.label for s in pl.skills.all()})
            if pl.occupation_uri:
                names[pl.occupation_uri] = pl.occupation_label or pl.occupation_uri
        return cls(names)

    def __call__(self, code: str) -> str:
        return self.names.get(code, code.rsplit("/", 1)[-1])


def prefetch(participants: Iterable[Participant]) -> list[Participant]:
    from django.db.models import QuerySet

    if isinstance(participants, QuerySet):
        return list(participants.prefetch_related("skills", "languages"))
    return list(participants)


def score_matrix(
    participants: list[Participant],
    placements: list[Placement],
    *,
    seats: dict[int, int] | None = None,
    step: Callable[[int, int], None] | None = None,
) -> tuple[list[engine.Participant], list[engine.Placement], list[list[PlacementMatch]], Labels]:
    """Every pair scored by the engine; ``matches[i][j]`` for participant i and placement j."""
    labels = Labels.of(participants, placements)
    people = [engine_participant(p) for p in participants]
    places = [engine_placement(pl, (seats or {}).get(pl.pk)) for pl in placements]
    return people, places, score_all(people, places, labels=labels, step=step), labels


def score_shortlist(
    participants: list[Participant],
    placements: list[Placement],
    *,
    seats: dict[int, int] | None = None,
    k: int = SHORTLIST,
    ranker: Ranker = top_k,
    step: Callable[[int, int], None] | None = None,
) -> tuple[list[engine.Participant], list[engine.Placement], list[ScoredRow], Labels]:
    """Each participant's ``k`` best placements they can take, scored and explained by the engine
    (every pair when there are no more than ``k`` placements). ``step(done, total)`` counts the
    participants explained; while ranking it is called with ``done`` 0 after each chunk."""
    labels = Labels.of(participants, placements)
    people = [engine_participant(p) for p in participants]
    places = [engine_placement(pl, (seats or {}).get(pl.pk)) for pl in placements]
    rows = shortlist_and_score(people, places, k=k, labels=labels, ranker=ranker, step=step)
    return people, places, rows, labels


def score_one(participant: Participant, placement: Placement) -> PlacementMatch:
    labels = Labels.of([participant], [placement])
    return engine.match(engine_participant(participant), engine_placement(placement), labels=labels)
