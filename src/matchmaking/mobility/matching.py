"""The adapter between the database and the matching engine: models in, plain records to the engine,
ranked suggestions back into the database (``Suggestion`` rows), and "why not this partner?".

Suggestions are computed in a background task (``tasks.refresh_suggestions``) whenever an
opportunity or an organisation profile changes, never on a page request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from matchmaking.engine.languages import shared_languages
from matchmaking.engine.network import Network
from matchmaking.engine.network import Opportunity as EngineOpportunity
from matchmaking.engine.network import Organisation as EngineOrganisation
from matchmaking.engine.partner_rules import explain_exclusion
from matchmaking.engine.partners import (
    PartnerSuggestion,
    PartnerWeights,
)
from matchmaking.engine.reasons import Reason
from matchmaking.mobility.models import Opportunity, Suggestion
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term
from matchmaking.taxonomies.reason_text import render_reason, term_labels

TOP_PARTNERS = 25
TOP_INVITES = 8
WEIGHTS = PartnerWeights(country_spread=3.0)


def _codes(terms: Iterable[Term]) -> tuple[str, ...]:
    return tuple(sorted(t.code for t in terms))


def engine_organisation(org: Organisation) -> EngineOrganisation:
    return EngineOrganisation(
        id=org.key,
        name=org.name,
        kind=org.kind.code,
        country=org.country,
        region=org.region.code if org.region_id and org.region else None,
        languages=_codes(org.languages.all()),
        target_groups=_codes(org.target_groups.all()),
        expertise=_codes(org.expertise.all()),
        interests=_codes(org.interests.all()),
        hosting_capacity=org.hosting_capacity,
        description=org.description,
    )


def engine_opportunity(opp: Opportunity) -> EngineOpportunity:
    return EngineOpportunity(
        id=opp.key,
        organisation=opp.organisation.key,
        type=opp.type.code,
        direction=opp.direction,
        topics=_codes(opp.topics.all()),
        target_groups=_codes(opp.target_groups.all()),
        languages=_codes(opp.languages.all()),
        earliest=opp.earliest,
        latest=opp.latest,
        duration_days=opp.duration_days,
        group_size=opp.group_size,
        description=opp.description,
    )


def _organisations() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(status=Organisation.Status.ACTIVE)
        .select_related("kind", "region")
        .prefetch_related("languages", "target_groups", "expertise", "interests")
    )


def _opportunities(qs: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return qs.select_related("organisation", "type").prefetch_related("topics", "target_groups", "languages")


def _labeller() -> Callable[[str], str]:
    labels = term_labels("en")
    return lambda code: labels.get(code, code.replace("-", " "))


# Exchange states from "agreed" on: the two organisations have worked together. The same list as
# ``exchanges.models.HOLDING_STATES`` (a test keeps them equal); exchanges sit above offers and
# requests, so they are read here through the organisations' reverse relation, never imported.
EXCHANGE_STATES_WENT_AHEAD = ("agreed", "planning", "confirmed", "under-way", "completed", "reported")


def past_exchange_pairs() -> list[tuple[str, str]]:
    """(host key, visitor key) of every exchange that went ahead."""
    return list(
        Organisation.objects.filter(hosted_exchanges__state__in=EXCHANGE_STATES_WENT_AHEAD)
        .values_list("key", "hosted_exchanges__visitor__key")
        .distinct()
    )


def build_network(extra: Iterable[Opportunity] = ()) -> Network:
    """Active organisations and open opportunities (plus ``extra``, e.g. a draft being looked at)."""
    opportunities = {
        o.key: o
        for o in _opportunities(
            Opportunity.objects.filter(
                status=Opportunity.Status.OPEN, organisation__status=Organisation.Status.ACTIVE
            )
        )
    }
    for opp in extra:
        opportunities.setdefault(opp.key, opp)
    return Network(
        [engine_organisation(o) for o in _organisations()],
        [engine_opportunity(o) for o in opportunities.values()],
        past_exchanges=past_exchange_pairs(),
        labels=_labeller(),
    )


def _rows(
    opportunity: Opportunity,
    found: list[PartnerSuggestion],
    orgs: dict[str, int],
    opps: dict[str, int],
    now: datetime,
) -> list[Suggestion]:
    rows = []
    for rank, s in enumerate(found, start=1):
        if s.organisation not in orgs or (s.opportunity and s.opportunity not in opps):
            continue
        rows.append(
            Suggestion(
                opportunity=opportunity,
                rank=rank,
                organisation_id=orgs[s.organisation],
                their_opportunity_id=opps.get(s.opportunity) if s.opportunity else None,
                score=s.score,
                parts=[
                    {"name": p.name, "fit": p.fit, "weight": p.weight, "points": p.points} for p in s.parts
                ],
                reasons=[r.as_dict() for r in s.reasons],
                computed_at=now,
            )
        )
    return rows


def refresh(opportunities: Iterable[Opportunity] | None = None) -> int:
    """Recompute and store the suggestions of ``opportunities`` (default: every one not closed).

    The work is done by ``suggestion_refresh`` (candidate index, chunked writes, incremental refresh).
    """
    from matchmaking.mobility import suggestion_refresh  # it builds on this module's adapters

    return suggestion_refresh.refresh(opportunities)


# --- Showing reasons -------------------------------------------------------------------------------


def reason_text(reason: Mapping[str, Any]) -> str:
    """A stored reason in the reader's language (its stored English text if its code is unknown)."""
    return render_reason(reason)


# --- Why not this partner? -------------------------------------------------------------------------


@dataclass
class WhyNot:
    organisation: Organisation
    suggested_rank: int | None = None
    score: float | None = None
    invite: bool = False
    reasons: list[str] = field(default_factory=list)
    per_opportunity: list[tuple[Opportunity, list[str]]] = field(default_factory=list)


def why_not(opportunity: Opportunity, organisation: Organisation) -> WhyNot:
    """Why ``organisation`` is (or is not) among the suggestions for ``opportunity``, in plain words."""
    answer = WhyNot(organisation=organisation)
    if organisation.pk == opportunity.organisation_id:
        answer.reasons.append(
            _("This is your own organisation; suggestions are always another organisation.")
        )
        return answer
    if organisation.status != Organisation.Status.ACTIVE:
        answer.reasons.append(_("This organisation is not an active member of the network."))
        return answer
    found = (
        Suggestion.objects.filter(opportunity=opportunity, organisation=organisation).order_by("rank").first()
    )
    if found is not None:
        answer.suggested_rank, answer.score = found.rank, found.score
        answer.invite = found.their_opportunity_id is None
        return answer
    theirs = list(
        _opportunities(Opportunity.objects.filter(organisation=organisation, status=Opportunity.Status.OPEN))
    )
    network = Network(
        [
            engine_organisation(o)
            for o in _organisations().filter(pk__in=[organisation.pk, opportunity.organisation_id])
        ],
        [engine_opportunity(o) for o in [opportunity, *theirs]],
        labels=_labeller(),
    )
    ours = network.opportunity(opportunity.key)
    for opp in theirs:
        broken = explain_exclusion(ours, network.opportunity(opp.key), network)
        texts = [reason_text(r.as_dict()) for r in broken]
        if not texts:
            texts = [
                _("No rule excludes it; it scored below the %(n)s best suggestions.") % {"n": TOP_PARTNERS}
            ]
        answer.per_opportunity.append((opp, texts))
    if not theirs:
        answer.reasons.append(_("They have no open offer or request at the moment."))
        answer.reasons += _invite_rules(ours, network.organisation(organisation.key))
    return answer


def _invite_rules(ours: EngineOpportunity, org: EngineOrganisation) -> list[str]:
    reasons = []
    if not shared_languages(ours.languages, org.languages):
        reasons.append(
            reason_text(
                Reason.of(
                    "languages",
                    "No shared language: you list {ours}, they list {theirs}",
                    ours=", ".join(ours.languages) or "none",
                    theirs=", ".join(org.languages) or "none",
                ).as_dict()
            )
        )
    if ours.direction != "offer" and 0 < org.hosting_capacity < ours.group_size:
        reasons.append(
            _("Your group of %(group)s is larger than the %(capacity)s visitors a day they can host.")
            % {"group": ours.group_size, "capacity": org.hosting_capacity}
        )
    if not reasons:
        reasons.append(
            _(
                "They could be invited to post an offer or request; "
                "they scored below the %(n)s best to invite."
            )
            % {"n": TOP_INVITES}
        )
    return reasons
