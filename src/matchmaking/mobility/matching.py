"""The adapter between the database and the matching engine: models in, plain records to the engine,
ranked suggestions back into the database (``Suggestion`` rows), "why not this partner?", and the
near misses shown when nothing fits.

Suggestions are computed in a background task (``tasks.refresh_suggestions``) whenever an
opportunity or an organisation profile changes, never on a page request. Near misses are computed
on the page, only when the stored suggestions are (almost) empty.

Descriptions are compared in meaning through the project's text model (``engine.text_model``). Their
vectors are kept in the database (``DescriptionVector``, keyed by a hash of the text and the model's
name): embedding takes 5–150 ms a text, so a refresh of tens of thousands of opportunities embeds
only the descriptions that are new or changed, and a restarted worker re-embeds nothing. Without the
model the semantic part of the score is skipped (its weight goes to the other parts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from matchmaking.engine.languages import shared_languages
from matchmaking.engine.near_misses import NEAR_MISS_WHEN_FEWER as NEAR_MISS_WHEN_FEWER
from matchmaking.engine.near_misses import near_misses
from matchmaking.engine.network import Network
from matchmaking.engine.network import Opportunity as EngineOpportunity
from matchmaking.engine.network import Organisation as EngineOrganisation
from matchmaking.engine.partner_rules import explain_exclusion, too_big
from matchmaking.engine.partners import PartnerSuggestion, PartnerWeights, score_pair
from matchmaking.engine.reasons import Reason
from matchmaking.engine.text_model import normalise, text_model
from matchmaking.mobility import network_records
from matchmaking.mobility.models import DescriptionVector, Opportunity, Suggestion
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term
from matchmaking.taxonomies.reason_text import region_names, render_reason, term_labels

TOP_PARTNERS = 25
TOP_INVITES = 8
TOP_NEAR_MISSES = 5
WEIGHTS = PartnerWeights(country_spread=3.0)
VECTOR_BATCH = 32
"""Descriptions embedded per call of the text model."""


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


def build_network(extra: Iterable[Opportunity] | QuerySet[Opportunity] = ()) -> Network:
    """Active organisations and open opportunities (plus ``extra``, e.g. a draft being looked at),
    read as rows (``network_records``), not as model instances."""
    records = {
        o.id: o
        for o in network_records.opportunity_records(
            Opportunity.objects.filter(
                status=Opportunity.Status.OPEN, organisation__status=Organisation.Status.ACTIVE
            )
        )
    }
    if isinstance(extra, QuerySet):
        extras = network_records.opportunity_records(extra)
    else:
        extras = [engine_opportunity(o) for o in extra]
    for record in extras:
        records.setdefault(record.id, record)
    network = Network(
        network_records.organisation_records(Organisation.objects.filter(status=Organisation.Status.ACTIVE)),
        records.values(),
        past_exchanges=past_exchange_pairs(),
        labels=_labeller(),
        region_names=region_names(),
    )
    network.vectors = description_vectors(network.description_texts())
    return network


# --- Description vectors ---------------------------------------------------------------------------


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def description_vectors(texts: Iterable[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Unit vectors of the descriptions by document key, from the text model; empty without it.

    Texts already embedded by the same model are read from ``DescriptionVector``; the others are
    embedded in batches and stored. Empty descriptions get no vector (their pairs skip the part).
    ``PARTNER_DESCRIPTION_VECTORS = False`` in the settings switches the vectors off.
    """
    if not getattr(settings, "PARTNER_DESCRIPTION_VECTORS", True):
        return {}
    keys_of: dict[str, list[str]] = {}
    text_of: dict[str, str] = {}
    for key, text in texts:
        if text.strip():
            digest = _text_hash(text)
            keys_of.setdefault(digest, []).append(key)
            text_of[digest] = text
    if not keys_of:
        return {}
    model = text_model()
    if model is None:
        return {}
    found: dict[str, np.ndarray] = {}
    for chunk in _chunks(list(keys_of), 500):
        rows = DescriptionVector.objects.filter(model=model.name, text_hash__in=chunk)
        for digest, raw in rows.values_list("text_hash", "vector"):
            found[digest] = np.frombuffer(bytes(raw), dtype=np.float16)
    for chunk in _chunks([d for d in keys_of if d not in found], VECTOR_BATCH):
        vectors = model.embed_passages([text_of[d] for d in chunk]).astype(np.float16)
        DescriptionVector.objects.bulk_create(
            [
                DescriptionVector(text_hash=d, model=model.name, vector=v.tobytes())
                for d, v in zip(chunk, vectors, strict=True)
            ],
            ignore_conflicts=True,
        )
        found.update(zip(chunk, vectors, strict=True))
    digests = list(found)
    matrix = normalise(np.stack([found[d] for d in digests]).astype(np.float32))
    return {key: matrix[i] for i, d in enumerate(digests) for key in keys_of[d]}


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
                reasons=[r.as_stored() for r in s.reasons],
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


# --- Near misses -----------------------------------------------------------------------------------

SOFT_RULE_CODES = frozenset({"type-neighbour", "group-oversized"})


@dataclass
class NearMiss:
    """A partner that breaks one rule the two sides could change, as the suggestions page shows it."""

    organisation: Organisation
    their_opportunity: Opportunity
    score: float
    broken: dict[str, Any]
    """The one rule it breaks, as a stored reason."""
    reasons: list[dict[str, Any]] = field(default_factory=list)


def near_misses_for(opportunity: Opportunity, *, top: int = TOP_NEAR_MISSES) -> list[NearMiss]:
    """The best open opportunities that break exactly one rule the two sides could change.

    Computed when the page asks (only when few suggestions pass the rules): the network is built as
    for a refresh, with the description vectors read from their cache.
    """
    network = build_network([opportunity])
    found = near_misses(network, opportunity.key, top=top, weights=WEIGHTS)
    theirs = {
        o.key: o
        for o in Opportunity.objects.filter(key__in=[s.opportunity for s, _ in found]).select_related(
            "organisation", "organisation__kind", "type"
        )
    }
    return [
        NearMiss(
            organisation=theirs[s.opportunity].organisation,
            their_opportunity=theirs[s.opportunity],
            score=s.score,
            broken=rule.as_dict(),
            reasons=[r.as_dict() for r in s.reasons],
        )
        for s, rule in found
        if s.opportunity in theirs
    ]


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
        theirs_engine = network.opportunity(opp.key)
        broken = explain_exclusion(ours, theirs_engine, network)
        texts = [reason_text(r.as_dict()) for r in broken]
        if not texts:
            texts = [
                _("No rule excludes it; it scored below the %(n)s best suggestions.") % {"n": TOP_PARTNERS}
            ]
            scored = score_pair(network, ours, theirs_engine, WEIGHTS)
            texts += [reason_text(r.as_dict()) for r in scored.reasons if r.code in SOFT_RULE_CODES]
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
    if ours.direction != "offer" and too_big(ours.group_size, org.hosting_capacity):
        reasons.append(
            _("Your group of %(group)s is more than twice the %(capacity)s visitors a day they can host.")
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
