"""The words the cockpit shows for the codes its tables store: each table's first column (and a region
pair's two) holds a code, the page shows its label in the reader's language, and the downloads keep
the code beside the label.

Labels come from the models' choices (in memory, translated when shown) and from the code lists'
files (read once per process): naming a row never queries the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Choices
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matchmaking.exchanges.models import FollowUp, State
from matchmaking.mobility.models import ActivityType
from matchmaking.monitoring.maps import region_name
from matchmaking.participants.models import AgeGroup
from matchmaking.pathways.models import Outcome, SupportService
from matchmaking.placements.models import LabourMarket
from matchmaking.taxonomies import codelists

Labels = Callable[[Any], str]

# Codes the cockpit itself writes into its tables (not a model's choices).
NOT_RECORDED: dict[str, str | Promise] = {
    "none": _("Not recorded"),
    "": _("Not recorded"),
    "-": _("Not recorded"),
}
TOTAL: dict[str, str | Promise] = {"total": _("Total")}


def mapping(*sources: type[Choices] | Mapping[str, str | Promise]) -> Labels:
    """A function naming a code by the first source that knows it (choices, then mappings in the
    order given); a code none knows is shown as it is."""
    known: dict[Any, str | Promise] = {}
    for source in reversed(sources):
        if isinstance(source, Mapping):
            known.update(source)
        else:
            known.update(dict(source.choices))

    def label(code: Any) -> str:
        found = known.get(code)
        return str(found) if found is not None else str(code)

    return label


def code_list(scheme: str, extra: Mapping[str, str | Promise] | None = None) -> Labels:
    """Labels of a code list (``taxonomies/data/codelists``) in the active language."""
    terms = codelists.load_scheme(scheme)
    others = mapping(dict(extra or {}))

    def label(code: Any) -> str:
        term = terms.get(str(code))
        if term is None:
            return others(code)
        return term.label((get_language() or "en").split("-")[0])

    return label


def region_label(code: Any) -> str:
    if code in NOT_RECORDED:
        return str(NOT_RECORDED[code])
    return region_name(str(code))


EXCHANGE_TYPES = code_list(codelists.OPPORTUNITY_TYPES, {**NOT_RECORDED, **TOTAL})
EXCHANGE_STATES = mapping(State, TOTAL)
ACTIVITY_TYPES = mapping({**NOT_RECORDED, **TOTAL}, ActivityType)
FOLLOW_UPS = mapping(FollowUp, TOTAL)
LABOUR_MARKETS = mapping(LabourMarket, NOT_RECORDED, TOTAL)
AGE_GROUPS = mapping(AgeGroup, TOTAL)
EXIT_TYPES = mapping(Outcome.ExitType, TOTAL)
DROP_OUT_REASONS = mapping(
    Outcome.DropOutReason,
    {"not-recorded": _("Not recorded"), "people-who-dropped-out": _("People who dropped out")},
)
SERVICE_CATEGORIES = mapping(SupportService.Category, NOT_RECORDED, TOTAL)
MOBILITY_FLAGS = mapping(
    {"green-travel": _("Green travel"), "blended": _("Blended mobility"), "force-majeure": _("Force majeure")}
)
MEASURES = mapping(
    {
        "pairs": _("Pairs of organisations"),
        "reciprocal_pairs": _("Pairs visiting each other"),
        "rate_percent": _("Reciprocity rate (%)"),
        "exchanges_agreed": _("Exchanges agreed"),
        "median_days": _("Median days"),
        "p90_days": _("90th percentile (days)"),
        "exchanges_ended": _("Exchanges ended"),
        "completed": _("Completed"),
        "completion_rate_percent": _("Completion rate (%)"),
        "reported": _("Reported"),
        "reporting_rate_percent": _("Reporting rate (%)"),
    }
)
