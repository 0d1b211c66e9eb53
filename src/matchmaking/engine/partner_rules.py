"""Rules for organisation ↔ organisation matches: the hard ones, and the soft ones that cost points.

A candidate that breaks a *hard* rule is not suggested: another organisation, an offer meets a
request, a shared language, enough days in common, and a visiting group at most twice the host's room
(``CAPACITY_HARD_RATIO``). ``explain_exclusion`` answers "why not this partner?": one reason per broken
hard rule, each saying by how much it was missed.

Two things are *soft* (``soft_breaks``): a neighbouring kind of opportunity (``NEIGHBOURING_TYPES``:
a job shadowing and a study visit can meet) and a group a bit larger than the host's room. They lower
the score (``partners.PartnerWeights``) instead of hiding the partner.

Which side is the *visit* (the request) and which the *host* (the offer) follows the directions;
two project partnerships meet whatever their directions, and then the opportunity we are finding
partners for plays the visiting side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matchmaking.engine.languages import shared_languages
from matchmaking.engine.network import OFFER, PROJECT_PARTNERSHIP, REQUEST, Network, Opportunity
from matchmaking.engine.reasons import Reason, plural, reason_template

# The sentences that say why a pair is excluded (codes and English templates; the web app translates them).
SAME_ORGANISATION = reason_template(
    "same-organisation",
    "Both opportunities belong to {organisation}; suggestions are always another organisation",
)
DIFFERENT_TYPE = reason_template(
    "different-type", "Different kinds of opportunity: yours is {ours}, theirs is {theirs}"
)
SAME_DIRECTION = reason_template(
    "same-direction", "Both are {direction}s of {type}; an offer is matched with a request"
)
DATES_APART = reason_template(
    "dates",
    "The date windows do not overlap: {gap} {unit} apart, the visit needs {needed} "
    "{needed_unit} (short by {short_by} {short_unit})",
)
DATES_SHORT = reason_template(
    "dates",
    "The date windows overlap {overlap} {unit}, the visit needs {needed} (short by {short_by} {short_unit})",
)
NO_SHARED_LANGUAGE = reason_template("languages", "No shared language: you list {ours}, they list {theirs}")
GROUP_SIZE = reason_template(
    "group-size", "The visiting group of {group} is {excess} more than the {room} the host can take"
)

# Kinds of opportunity close enough to be matched with each other, at a cost in points; every other
# pair of different kinds is a hard cut. The one place where neighbourhoods are defined.
NEIGHBOURING_TYPES: tuple[frozenset[str], ...] = (frozenset({"job-shadowing", "study-visit"}),)

CAPACITY_HARD_RATIO = 2
"""A visiting group larger than this many times the host's room is a hard cut; up to it, a penalty."""

# The codes of the hard rules a near miss may break (one of them): things the two sides can change.
FIXABLE = frozenset({"dates", "languages", "group-size"})


def neighbouring_types(a: str, b: str) -> bool:
    """Are two different kinds of opportunity neighbours (matched with a penalty)?

    Examples
    --------
    >>> neighbouring_types("job-shadowing", "study-visit")
    True
    >>> neighbouring_types("job-shadowing", "learner-placement")
    False
    """
    return a != b and any(a in group and b in group for group in NEIGHBOURING_TYPES)


@dataclass(frozen=True)
class SoftBreaks:
    """What a pair that breaks no hard rule still misses: a neighbouring kind, an oversized group.

    Attributes
    ----------
    neighbouring_type : bool
    excess : int
        Visitors more than the host's room (0 when the group fits).
    room : int
    """

    neighbouring_type: bool = False
    excess: int = 0
    room: int = 0

    @property
    def excess_ratio(self) -> float:
        """The excess as a share of the room, 0–1 for pairs within the hard limit."""
        return self.excess / self.room if self.room > 0 else 0.0


def soft_breaks(ours: Opportunity, theirs: Opportunity, the_roles: Roles | None = None) -> SoftBreaks:
    """The soft rules the pair breaks (the hard ones are ``explain_exclusion``'s).

    Examples
    --------
    >>> want = Opportunity("want", "a", "job-shadowing", "request", group_size=4)
    >>> give = Opportunity("give", "b", "study-visit", "offer", group_size=3)
    >>> soft_breaks(want, give)
    SoftBreaks(neighbouring_type=True, excess=1, room=3)
    """
    if the_roles is None:
        the_roles = roles(ours, theirs)
    group, room = the_roles.request.group_size, the_roles.offer.group_size
    return SoftBreaks(
        neighbouring_type=neighbouring_types(ours.type, theirs.type),
        excess=max(0, group - room),
        room=room,
    )


def too_big(group: int, room: int) -> bool:
    """The hard capacity rule: a group more than ``CAPACITY_HARD_RATIO`` times the room (0 = not stated)."""
    return room > 0 and group > CAPACITY_HARD_RATIO * room


@dataclass(frozen=True)
class Roles:
    """The visiting side (request) and the hosting side (offer) of a pair, and which one is ours."""

    request: Opportunity
    offer: Opportunity
    ours_is_request: bool


def roles(ours: Opportunity, theirs: Opportunity) -> Roles:
    """Decide who visits whom; our opportunity visits unless it is the offer of an offer/request pair."""
    if ours.direction == OFFER and theirs.direction == REQUEST:
        return Roles(request=theirs, offer=ours, ours_is_request=False)
    return Roles(request=ours, offer=theirs, ours_is_request=True)


@dataclass(frozen=True)
class Window:
    """The days both sides are free: the intersection of their date windows (ends included)."""

    start: date | None
    end: date | None

    @classmethod
    def common(cls, a: Opportunity, b: Opportunity) -> Window:
        return cls.of_dates(a.earliest, a.latest, b.earliest, b.latest)

    @classmethod
    def of_dates(
        cls, a_earliest: date | None, a_latest: date | None, b_earliest: date | None, b_latest: date | None
    ) -> Window:
        """The window both of two windows cover (``None``: open on that end)."""
        starts = [d for d in (a_earliest, b_earliest) if d is not None]
        ends = [d for d in (a_latest, b_latest) if d is not None]
        return cls(max(starts) if starts else None, min(ends) if ends else None)

    @property
    def days(self) -> int | None:
        """Calendar days in common (negative: a gap between the windows); ``None`` if unbounded."""
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1


def explain_exclusion(ours: Opportunity, theirs: Opportunity, network: Network | None = None) -> list[Reason]:
    """Every hard rule the pair breaks, each with the amount by which it is missed.

    Answers "why not this partner?" with something to act on (move the dates, add a language).

    Parameters
    ----------
    ours, theirs : Opportunity
    network : Network, optional
        For organisation names and code labels in the text.

    Returns
    -------
    list of Reason
        Empty when the pair may be suggested.

    Examples
    --------
    >>> ours = Opportunity("want", "a", "job-shadowing", "request", languages=("en",))
    >>> theirs = Opportunity("give", "b", "job-shadowing", "offer", languages=("de",))
    >>> [r.text for r in explain_exclusion(ours, theirs)]
    ['No shared language: you list en, they list de']
    """
    names = network.organisation if network else None
    reasons = [
        _same_organisation(ours, theirs, names(ours.organisation).name if names else ours.organisation),
        _type_and_direction(ours, theirs, network),
    ]
    the_roles = roles(ours, theirs)
    reasons += [
        _dates(the_roles),
        _languages(ours, theirs),
        _group_size(the_roles),
    ]
    return [r for r in reasons if r is not None]


def _same_organisation(ours: Opportunity, theirs: Opportunity, name: str) -> Reason | None:
    if ours.organisation != theirs.organisation:
        return None
    return SAME_ORGANISATION.of(
        organisation=name or ours.organisation,
    )


def _type_and_direction(ours: Opportunity, theirs: Opportunity, network: Network | None) -> Reason | None:
    labels = network.labels if network else None
    if ours.type != theirs.type and not neighbouring_types(ours.type, theirs.type):
        return DIFFERENT_TYPE.of(
            labels,
            ours=(ours.type,),
            theirs=(theirs.type,),
        )
    if ours.type == PROJECT_PARTNERSHIP or ours.direction != theirs.direction:
        return None
    return SAME_DIRECTION.of(
        labels,
        direction=ours.direction,
        type=(ours.type,),
    )


def _dates(the_roles: Roles) -> Reason | None:
    window = Window.common(the_roles.request, the_roles.offer)
    needed = the_roles.request.duration_days
    days = window.days
    if days is None or days >= needed:
        return None
    if days <= 0:
        gap = 1 - days
        return DATES_APART.of(
            gap=gap,
            unit=plural(gap, "day", "days"),
            needed=needed,
            needed_unit=plural(needed, "day", "days"),
            short_by=needed - days,
            short_unit=plural(needed - days, "day", "days"),
        )
    return DATES_SHORT.of(
        overlap=days,
        unit=plural(days, "day", "days"),
        needed=needed,
        short_by=needed - days,
        short_unit=plural(needed - days, "day", "days"),
    )


def _languages(ours: Opportunity, theirs: Opportunity) -> Reason | None:
    if shared_languages(ours.languages, theirs.languages):
        return None
    return NO_SHARED_LANGUAGE.of(
        ours=", ".join(ours.languages) or "none",
        theirs=", ".join(theirs.languages) or "none",
    )


def _group_size(the_roles: Roles) -> Reason | None:
    group = the_roles.request.group_size
    room = the_roles.offer.group_size
    if not too_big(group, room):
        return None
    return GROUP_SIZE.of(
        group=group,
        excess=group - room,
        room=room,
    )
