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
from matchmaking.engine.reasons import Labeller, Reason, plain_label, reason_template
from matchmaking.engine.scoring import ScorePart, breakdown

FORMAL = "formal"
INFORMAL = "informal"

# The sentences that explain a participant-placement pair (codes and English templates; the web app
# translates them).
LANGUAGE_LEVEL = reason_template("language-level", "Needs {language} at {needed}; the participant has {have}")
DATES_OUTSIDE = reason_template(
    "dates",
    "The placement runs {start} to {end}; the participant is available {available_from} to "
    "{available_until} ({days} days outside)",
)
SUPPORT = reason_template(
    "support", "The host does not offer: {support} ({count} support requirement(s) not met)"
)
ABROAD = reason_template(
    "abroad", "The placement is in {country}; the participant has not said they would go abroad"
)
REQUIRED_SKILLS = reason_template("required-skills", "Has {held} of {total} required skills")
INFORMAL_SKILLS = reason_template("informal-skills", "Learnt informally: {skills}")
SKILL_GAP = reason_template("skill-gap", "Skill gap (required, missing): {skills}")
OCCUPATION_INTEREST = reason_template("occupation-interest", "Interested in this occupation: {occupation}")


@dataclass(frozen=True)
class Skill:
    """A skill the person has; how it was learnt is kept so informal learning can be named in reasons.

    Attributes
    ----------
    uri : str
        ESCO skill URI (any code works).
    how : {"formal", "informal"}
        Counts the same for the score.
    evidence : str
    """

    uri: str
    how: str = FORMAL
    evidence: str = ""


@dataclass(frozen=True)
class Language:
    """A language (ISO 639-1) at a CEFR level (A1–C2, or "native").

    Attributes
    ----------
    code : str
    level : str
    """

    code: str
    level: str


@dataclass(frozen=True)
class Participant:
    """A pseudonymous participant, as matching sees them.

    There is no field for sensitive attributes (barriers, health, gender, age …) on purpose: what
    is not here cannot reach a score. Monitoring data travels separately (``Monitoring``).

    Attributes
    ----------
    id : str
    skills : tuple of Skill
    languages : tuple of Language
    occupation_interests : tuple of str
        Occupation URIs the person would like to work in.
    available_from, available_until : datetime.date or None
        ``None`` is open-ended.
    support_requirements : frozenset of str
        Practical requirements (step-free access, a mentor), never diagnoses.
    willing_to_go_abroad : bool
    home_country : str
        Two-letter code.
    """

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
    """A placement with seats, described by what the hard rules and the score look at.

    Attributes
    ----------
    id : str
    seats : int
    occupation : str
        ESCO occupation URI.
    required_skills, desired_skills : tuple of str
    languages : tuple of Language
        Each needed at least at its level.
    start, end : datetime.date or None
    country, region : str
    support_offered : frozenset of str
    labour_market : str
    """

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
    """How much each fit counts; any non-negative numbers, normalised to sum to 100.

    Examples
    --------
    >>> PlacementWeights(required_skills=1, desired_skills=0, occupation_interest=1).parts()
    {'required_skills': 1, 'desired_skills': 0, 'occupation_interest': 1}
    """

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
    """The result for one pair, with everything needed to explain it.

    Attributes
    ----------
    participant, placement : str
        The ids.
    eligible : bool
        No hard rule is broken.
    score : float
        0–100, rounded to 0.1; 0 when not eligible.
    parts : tuple of ScorePart
    skill_gap : tuple of str
        Required skills the person lacks: where a training step would help.
    reasons : tuple of Reason
        Why the score is what it is, or the hard rules broken.
    """

    participant: str
    placement: str
    eligible: bool
    score: float
    parts: tuple[ScorePart, ...]
    skill_gap: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()


def exclusions(person: Participant, placement: Placement) -> list[Reason]:
    """Every hard rule the pair breaks, each saying by how much, so "why not?" has an answer.

    Parameters
    ----------
    person : Participant
    placement : Placement

    Returns
    -------
    list of Reason
        Empty when the person can take the placement.

    Examples
    --------
    >>> needs_b1 = Placement("q1", languages=(Language("en", "B1"),))
    >>> [r.text for r in exclusions(Participant("p1", languages=(Language("en", "A2"),)), needs_b1)]
    ['Needs en at B1; the participant has A2']
    """
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
    return LANGUAGE_LEVEL.of(
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
    return DATES_OUTSIDE.of(
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
    return SUPPORT.of(
        support=missing,
        count=len(missing),
    )


def _abroad_rule(person: Participant, placement: Placement) -> Reason | None:
    abroad = bool(placement.country and person.home_country and placement.country != person.home_country)
    if not abroad or person.willing_to_go_abroad:
        return None
    return ABROAD.of(
        country=placement.country,
    )


def match(
    person: Participant,
    placement: Placement,
    *,
    weights: PlacementWeights | None = None,
    labels: Labeller | None = None,
) -> PlacementMatch:
    """Score one participant at one placement and explain the score.

    Ineligible pairs get score 0 and the broken rules as reasons, so they are never offered but
    can still be explained.

    Parameters
    ----------
    person : Participant
    placement : Placement
    weights : PlacementWeights, optional
    labels : callable, optional
        Code → label for the reasons' text.

    Returns
    -------
    PlacementMatch

    Examples
    --------
    >>> anna = Participant("p1", skills=(Skill("cook"), Skill("clean", how="informal")))
    >>> kitchen = Placement("q1", required_skills=("cook", "clean", "serve"))
    >>> found = match(anna, kitchen)
    >>> found.score, found.skill_gap
    (40.0, ('serve',))
    >>> [r.text for r in found.reasons]
    ['Has 2 of 3 required skills', 'Learnt informally: clean', 'Skill gap (required, missing): serve']
    """
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
        REQUIRED_SKILLS.of(
            held=len(held),
            total=len(placement.required_skills),
        )
    ]
    shown_informal = tuple(s for s in held if s in informal)
    if shown_informal:
        reasons.append(INFORMAL_SKILLS.of(labels, skills=shown_informal))
    if gap:
        reasons.append(SKILL_GAP.of(labels, skills=gap))
    if placement.occupation and placement.occupation in person.occupation_interests:
        reasons.append(OCCUPATION_INTEREST.of(labels, occupation=(placement.occupation,)))
    return reasons
