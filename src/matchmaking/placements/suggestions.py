"""Suggested placements for one person: every open placement with a free seat, scored and explained by
the engine (the same score as in a round), best first, with what the case worker needs to choose:
matched and missing skills, languages, dates and how the placement meets the person's own wishes.

Reads only; nothing is stored. People who have left the programme or are paused get no suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from matchmaking.engine import people as engine_people
from matchmaking.engine.languages import cefr_rank, language_family
from matchmaking.engine.people import PlacementMatch
from matchmaking.participants.models import Participant, SupportRequirement
from matchmaking.placements.eligibility import ineligibility
from matchmaking.placements.matching import Labels, engine_participant, engine_placement
from matchmaking.placements.models import Assignment, Placement
from matchmaking.placements.seats import annotate_taken


@dataclass(frozen=True)
class LanguageNeed:
    code: str
    needed: str
    held: str
    met: bool


@dataclass
class Suggestion:
    placement: Placement
    match: PlacementMatch
    matched_skills: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_desired: list[str] = field(default_factory=list)
    languages: list[LanguageNeed] = field(default_factory=list)
    wishes: list[tuple[bool, str]] = field(default_factory=list)
    free_seats: int = 0

    @property
    def score(self) -> float:
        return self.match.score


@dataclass
class Suggestions:
    """The ranked placements and, when the person may not be proposed, why (a code)."""

    items: list[Suggestion]
    blocked: str | None = None
    not_possible: int = 0


def _open_placements(*, labour_market: str, country: str, exclude_for: Participant) -> QuerySet[Placement]:
    already = Assignment.objects.filter(participant=exclude_for, status__in=Assignment.OPEN).values(
        "placement_id"
    )
    found = (
        annotate_taken(Placement.objects.filter(status=Placement.Status.OPEN).exclude(pk__in=already))
        .select_related("host", "region")
        .prefetch_related("skills", "languages")
    )
    if labour_market:
        found = found.filter(labour_market=labour_market)
    if country:
        found = found.filter(country=country.upper())
    return found


def _languages(person: Participant, placement: Placement) -> list[LanguageNeed]:
    held = {language_family(lang.code): lang.level for lang in person.languages.all()}
    needs = []
    for need in placement.languages.all():
        level = held.get(language_family(need.code), "")
        met = bool(level) and cefr_rank(level) >= cefr_rank(need.level)
        needs.append(LanguageNeed(need.code, need.level, level, met))
    return needs


def _wishes(person: Participant, placement: Placement) -> list[tuple[bool, str]]:
    """How the placement meets what the person wants, as (met, sentence)."""
    wishes: list[tuple[bool, str]] = []
    interests = {o.get("uri") for o in person.occupation_interests if o.get("uri")}
    if interests:
        wishes.append(
            (
                placement.occupation_uri in interests,
                _("An occupation the person is interested in")
                if placement.occupation_uri in interests
                else _("Not one of the occupations the person is interested in"),
            )
        )
    home = person.home_country or person.organisation.country
    if placement.is_abroad_for(home):
        wishes.append(
            (
                person.willing_to_go_abroad,
                _("Abroad: the person is willing to go")
                if person.willing_to_go_abroad
                else _("Abroad: the person does not want to go abroad"),
            )
        )
    elif person.region_id and placement.region_id:
        same = person.region_id == placement.region_id
        wishes.append((same, _("In the person's region") if same else _("In another region of the country")))
    if SupportRequirement.FLEXIBLE_HOURS in person.support_requirements:
        flexible = SupportRequirement.FLEXIBLE_HOURS in placement.support_offered
        wishes.append(
            (
                flexible,
                _("Flexible or part-time hours offered")
                if flexible
                else _("No flexible or part-time hours offered"),
            )
        )
    return wishes


def suggestions_for(
    *,
    participant: Participant,
    labour_market: str = "",
    country: str = "",
    min_fit: float = 0,
    today: date | None = None,
) -> Suggestions:
    """Open placements with a free seat the person can take (every hard rule passed), scored by the
    engine, at or above ``min_fit``, best first; ties by the earliest start."""
    blocked = ineligibility(participant)
    if blocked is not None:
        return Suggestions([], blocked)
    placements = [
        p
        for p in _open_placements(labour_market=labour_market, country=country, exclude_for=participant)
        if p.taken < p.seats  # type: ignore[attr-defined]
        and not (today and p.end and p.end < today)
    ]
    person = (
        Participant.objects.prefetch_related("skills", "languages")
        .select_related("organisation")
        .get(pk=participant.pk)
    )
    labels = Labels.of([person], placements)
    engine_person = engine_participant(person)
    have = engine_person.skill_uris()
    items, not_possible = [], 0
    for placement in placements:
        found = engine_people.match(engine_person, engine_placement(placement), labels=labels)
        if not found.eligible:
            not_possible += 1
            continue
        if found.score < min_fit:
            continue
        skills = list(placement.skills.all())
        items.append(
            Suggestion(
                placement=placement,
                match=found,
                matched_skills=[s.label for s in skills if s.uri in have],
                missing_required=[s.label for s in skills if s.required and s.uri not in have],
                missing_desired=[s.label for s in skills if not s.required and s.uri not in have],
                languages=_languages(person, placement),
                wishes=_wishes(person, placement),
                free_seats=placement.seats - placement.taken,  # type: ignore[attr-defined]
            )
        )
    items.sort(key=lambda s: (-s.score, s.placement.start or date.max, s.placement.title))
    return Suggestions(items, None, not_possible)
