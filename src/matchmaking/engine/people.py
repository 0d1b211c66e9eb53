"""Person ↔ placement matching: hard rules, a 0–100 score, the skill gap, and reasons.

What a participant record holds here is *only* what matching may use. Sensitive data (barriers,
health, disability, migration background, gender, age) has no field in ``Participant`` and is not
a parameter of any function in this module; it is used elsewhere for support and monitoring only.
Practical support requirements are stated as requirements (step-free access, a mentor, an
interpreter), never as diagnoses, and only exclude placements that cannot meet them.

Score (0–100), a weighted average of:

* **required skills** — share of the placement's required skills the person has (formal or informal
  count the same);
* **desired skills** — the same for the nice-to-have skills;
* **occupation interest** — 1 if the person said they are interested in the placement's occupation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from matchmaking.engine.languages import CEFR_LEVELS, cefr_rank, language_family
from matchmaking.engine.reasons import Labeller, Reason, plain_label
from matchmaking.engine.scoring import ScorePart, breakdown

FORMAL = "formal"
INFORMAL = "informal"


@dataclass(frozen=True)
class Skill:
    """An ESCO skill the person has (``uri``), learnt formally or informally, with optional evidence."""

    uri: str
    how: str = FORMAL
    evidence: str = ""


@dataclass(frozen=True)
class Language:
    """A language (ISO 639-1) at a CEFR level (A1–C2)."""

    code: str
    level: str


@dataclass(frozen=True)
class Participant:
    """A pseudonymous participant, as matching sees them. No sensitive attributes, on purpose."""

    id: str
    skills: tuple[Skill, ...] = ()
    languages: tuple[Language, ...] = ()
    occupation_interests: tuple[str, ...] = ()
    available_from: date | None = None
    available_until: date | None = None
    support_requirements: frozenset[str] = frozenset()
    willing_to_go_abroad: bool = False
    home_country: str = ""

    def skill_uris(self) -> frozenset[str]:
        return frozenset(s.uri for s in self.skills)


@dataclass(frozen=True)
class Placement:
    """A placement with seats: an ESCO occupation, skills, languages, dates, place and support offered."""

    id: str
    seats: int = 1
    occupation: str = ""
    required_skills: tuple[str, ...] = ()
    desired_skills: tuple[str, ...] = ()
    languages: tuple[Language, ...] = ()
    start: date | None = None
    end: date | None = None
    country: str = ""
    region: str = ""
    support_offered: frozenset[str] = frozenset()
    labour_market: str = "regular"


@dataclass(frozen=True)
class PlacementWeights:
    """How much each fit counts; normalised to sum to 100."""

    required_skills: float = 60.0
    desired_skills: float = 20.0
    occupation_interest: float = 20.0

    def parts(self) -> dict[str, float]:
        return {
            "required_skills": self.required_skills,
            "desired_skills": self.desired_skills,
            "occupation_interest": self.occupation_interest,
        }


@dataclass(frozen=True)
class PlacementMatch:
    """The result for one pair: eligible or not, the score, breakdown, skill gap and reasons."""

    participant: str
    placement: str
    eligible: bool
    score: float
    parts: tuple[ScorePart, ...]
    skill_gap: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()


def exclusions(person: Participant, placement: Placement) -> list[Reason]:
    """Every hard rule the pair breaks, with by how much; empty when the person can take the placement."""
    found = [
        _language_rule(person, placement),
        _dates_rule(person, placement),
        _support_rule(person, placement),
        _abroad_rule(person, placement),
    ]
    return [r for r in found if r is not None]


def _language_rule(person: Participant, placement: Placement) -> Reason | None:
    levels = {language_family(lang.code): cefr_rank(lang.level) for lang in person.languages}
    missing = []
    for need in placement.languages:
        have = levels.get(language_family(need.code))
        if have is None or have < cefr_rank(need.level):
            missing.append(need)
    if not missing:
        return None
    need = missing[0]
    have_rank = levels.get(language_family(need.code))
    level_held = "none" if have_rank is None else CEFR_LEVELS[have_rank]
    return Reason.of(
        "language-level",
        "Needs {language} at {needed}; the participant has {have}",
        language=need.code,
        needed=need.level.upper(),
        have=level_held,
        short_by=cefr_rank(need.level) - (have_rank if have_rank is not None else -1),
    )


def _dates_rule(person: Participant, placement: Placement) -> Reason | None:
    late = (
        (placement.start - person.available_from).days
        if placement.start and person.available_from and placement.start < person.available_from
        else 0
    )
    early = (
        (placement.end - person.available_until).days
        if placement.end and person.available_until and placement.end > person.available_until
        else 0
    )
    if not late and not early:
        return None
    return Reason.of(
        "dates",
        "The placement runs {start} to {end}; the participant is available {available_from} to "
        "{available_until} ({days} days outside)",
        start=_day(placement.start),
        end=_day(placement.end),
        available_from=_day(person.available_from),
        available_until=_day(person.available_until),
        days=-late + early,
    )


def _day(value: date | None) -> str:
    return value.isoformat() if value else "open"


def _support_rule(person: Participant, placement: Placement) -> Reason | None:
    missing = tuple(sorted(person.support_requirements - placement.support_offered))
    if not missing:
        return None
    return Reason.of(
        "support",
        "The host does not offer: {support} ({count} support requirement(s) not met)",
        support=missing,
        count=len(missing),
    )


def _abroad_rule(person: Participant, placement: Placement) -> Reason | None:
    abroad = bool(placement.country and person.home_country and placement.country != person.home_country)
    if not abroad or person.willing_to_go_abroad:
        return None
    return Reason.of(
        "abroad",
        "The placement is in {country}; the participant has not said they would go abroad",
        country=placement.country,
    )


def match(
    person: Participant,
    placement: Placement,
    *,
    weights: PlacementWeights | None = None,
    labels: Labeller | None = None,
) -> PlacementMatch:
    """Score one pair and explain it; ineligible pairs get score 0 and the broken rules as reasons."""
    labels = labels or plain_label
    broken = exclusions(person, placement)
    have = person.skill_uris()
    gap = tuple(s for s in placement.required_skills if s not in have)
    fits = {
        "required_skills": skill_fit(placement.required_skills, have),
        "desired_skills": skill_fit(placement.desired_skills, have),
        "occupation_interest": 1.0 if placement.occupation in person.occupation_interests else 0.0,
    }
    parts = breakdown(fits, (weights or PlacementWeights()).parts())
    score = 0.0 if broken else round(sum(p.points for p in parts), 1)
    reasons = broken or _reasons(person, placement, gap, labels)
    return PlacementMatch(person.id, placement.id, not broken, score, parts, gap, tuple(reasons))


def skill_fit(needed: Iterable[str], have: frozenset[str]) -> float:
    """Share of ``needed`` skills held (a skill listed twice counts once)."""
    needed = list(dict.fromkeys(needed))
    if not needed:
        return 0.0
    return sum(1 for s in needed if s in have) / len(needed)


def _reasons(
    person: Participant,
    placement: Placement,
    gap: tuple[str, ...],
    labels: Labeller,
) -> list[Reason]:
    have = person.skill_uris()
    held = tuple(s for s in placement.required_skills if s in have)
    informal = {s.uri for s in person.skills if s.how == INFORMAL}
    reasons = [
        Reason.of(
            "required-skills",
            "Has {held} of {total} required skills",
            held=len(held),
            total=len(placement.required_skills),
        )
    ]
    shown_informal = tuple(s for s in held if s in informal)
    if shown_informal:
        reasons.append(
            Reason.of("informal-skills", "Learnt informally: {skills}", labels, skills=shown_informal)
        )
    if gap:
        reasons.append(Reason.of("skill-gap", "Skill gap (required, missing): {skills}", labels, skills=gap))
    if placement.occupation and placement.occupation in person.occupation_interests:
        reasons.append(
            Reason.of("occupation-interest", "Interested in this occupation: {occupation}", labels,
                      occupation=(placement.occupation,))
        )  # fmt: skip
    return reasons
