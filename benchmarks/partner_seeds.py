"""Do partner suggestions find the real partners of the exchanges the network actually made?

The seed scenario: the demo network (its organisations and opportunities, dated from 1 March 2026)
as distractors, plus the requests of the real exchanges reported in the network's news items,
written from those texts as a coordinator would post them:

* Borås → Stuttgart, September 2023: five experts of the Working Life Department on job shadowing
  with the Jobcenter and the NGOs it refers people to (real partners: Jobcenter Stuttgart, Neckar
  Second Chance);
* Vestland → Borås, May 2025: Vestland County Council shadowing Borås (real partner: Borås);
* Borås → Vestland, the return visit the same news item announces (real partner: Vestland County
  Council);
* Borås → Barcelona, May 2026: job shadowing at the Public Employment Service of Catalonia (SOC).

The demo's own versions of these requests are left out. For each request the script prints the rank
of the first real partner among the suggestions (1 = on top), its score, the best score of any other
organisation (the margin) and the top suggestion.

    .venv/bin/python benchmarks/partner_seeds.py                 # scoring as it is, with the text model
    .venv/bin/python benchmarks/partner_seeds.py --no-model      # without description vectors
    .venv/bin/python benchmarks/partner_seeds.py --own-languages # the requests in Swedish / Norwegian
    .venv/bin/python benchmarks/partner_seeds.py --write docs/examples/partner-seeds.json

``--write`` stores the scenario as an interchange file, for ``matchmaking suggest --data``.
The script uses only ``Network`` and ``suggest_partners``, so it also runs against an older checkout
of the engine (``PYTHONPATH=<old>/src``), which is how the "before" figures in docs/benchmarks.md
were taken.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from matchmaking.demo.network import build_demo_document
from matchmaking.engine.network import Network
from matchmaking.engine.partners import suggest_partners

REFERENCE_DAY = date(2026, 3, 1)


@dataclass(frozen=True)
class SeedExchange:
    """One real exchange: the request as its visiting side would post it, and who hosted it."""

    label: str
    request: dict[str, Any]
    partners: tuple[str, ...]
    replaces: str
    """The demo's own version of this request, left out of the scenario."""


SEEDS = (
    SeedExchange(
        "Borås → Stuttgart 2023 (seed 000)",
        {
            "id": "seed-000-boras-to-stuttgart",
            "organisation": "boras-working-life",
            "type": "job-shadowing",
            "direction": "request",
            "topics": [
                "work-placements",
                "social-economy-employment",
                "trauma-informed-counselling",
                "offender-reintegration",
            ],
            "target_groups": [
                "newly-arrived-migrants",
                "neet-youth",
                "mental-health",
                "post-addiction",
                "post-incarceration",
            ],
            "languages": ["en", "sv"],
            "earliest_in_days": 60,
            "latest_in_days": 200,
            "duration_days": 4,
            "group_size": 5,
            "description": (
                "Five experts of our Department of Working Life want to get to know the German guidance "
                "system: which services help persons who have difficulty finding employment because of "
                "disadvantages (new immigrants, young people without a completed education, people with "
                "mental health issues, after addiction or incarceration), and how work placements work "
                "within companies or other entities that are not municipal."
            ),
        },
        ("jobcenter-stuttgart", "neckar-second-chance"),
        "boras-request-js-second-labour-market",
    ),
    SeedExchange(
        "Vestland → Borås 2025 (seed 001)",
        {
            "id": "seed-001-vestland-to-boras",
            "organisation": "vestland-county-council",
            "type": "job-shadowing",
            "direction": "request",
            "topics": ["neet-re-engagement", "interagency-cooperation", "progress-tracking"],
            "target_groups": ["neet-youth", "early-school-leavers"],
            "languages": ["no", "en", "sv"],
            "earliest_in_days": 30,
            "latest_in_days": 120,
            "duration_days": 2,
            "group_size": 4,
            "description": (
                "We want to see how inclusive pathways re-engage those outside education and employment: "
                "follow-up support, multi-agency cooperation, and tools for motivation and progress "
                "tracking, so that individuals return to learning and build lasting connections to "
                "working life. Staff of the county's education department; Scandinavian languages or "
                "English."
            ),
        },
        ("boras-working-life",),
        "vestland-request-js-multi-competent-teams",
    ),
    SeedExchange(
        "Borås → Vestland, return visit (seed 001)",
        {
            "id": "seed-001-boras-return-to-vestland",
            "organisation": "boras-working-life",
            "type": "job-shadowing",
            "direction": "request",
            "topics": ["validation-of-prior-learning", "skills-mapping"],
            "target_groups": ["early-school-leavers", "neet-youth"],
            "languages": ["sv", "en"],
            "earliest_in_days": 90,
            "latest_in_days": 240,
            "duration_days": 3,
            "group_size": 4,
            "description": (
                "Return visit to a Norwegian region: reciprocal job shadowing involving upper secondary "
                "schools, to explore shared challenges and solutions in VET and employment support for "
                "young people who left school, and how their skills are mapped and recognised."
            ),
        },
        ("vestland-county-council",),
        "boras-request-js-vestland-reciprocal",
    ),
    SeedExchange(
        "Borås → Barcelona 2026 (seed 003)",
        {
            "id": "seed-003-boras-to-barcelona",
            "organisation": "boras-working-life",
            "type": "job-shadowing",
            "direction": "request",
            "topics": ["early-outreach", "skills-mapping", "multi-level-governance", "programme-monitoring"],
            "target_groups": ["neet-youth", "long-term-unemployed"],
            "languages": ["en", "sv"],
            "earliest_in_days": 40,
            "latest_in_days": 180,
            "duration_days": 3,
            "group_size": 4,
            "description": (
                "We want to exchange practices on active labour market policies, inclusion and skills "
                "development with a regional public employment service: multi-level governance with "
                "regional and local actors, early contact with young people, mapping of formal and "
                "informal competences, and programme monitoring against targets."
            ),
        },
        ("soc-catalonia",),
        "boras-request-js-skills-mapping",
    ),
)


# The same requests as the visiting staff would write them in their own language (``--own-languages``):
# the descriptions are then compared across languages.
OWN_LANGUAGE = {
    "seed-000-boras-to-stuttgart": (
        "Fem experter från vår arbetslivsförvaltning vill lära känna det tyska vägledningssystemet: vilka "
        "insatser som hjälper personer som har svårt att få arbete på grund av olika hinder (nyanlända, "
        "unga utan fullständig utbildning, personer med psykisk ohälsa, efter missbruk eller fängelse), "
        "och hur arbetsplaceringar fungerar hos företag och andra aktörer som inte är kommunala."
    ),
    "seed-001-vestland-to-boras": (
        "Vi vil se hvordan inkluderende løp får dem som står utenfor utdanning og arbeid tilbake: "
        "oppfølging, samarbeid mellom etater og verktøy for motivasjon og progresjon, slik at den enkelte "
        "kommer tilbake til læring og får varig tilknytning til arbeidslivet. Ansatte fra "
        "fylkeskommunens utdanningsavdeling; skandinaviske språk eller engelsk."
    ),
    "seed-001-boras-return-to-vestland": (
        "Returbesök i en norsk region: ömsesidig jobbskuggning med gymnasieskolor, för att utforska "
        "gemensamma utmaningar och lösningar inom yrkesutbildning och arbetsmarknadsstöd för unga som "
        "lämnat skolan, och hur deras kompetens kartläggs och erkänns."
    ),
    "seed-003-boras-to-barcelona": (
        "Vi vill utbyta erfarenheter om aktiv arbetsmarknadspolitik, inkludering och kompetensutveckling "
        "med en regional offentlig arbetsförmedling: styrning på flera nivåer med regionala och lokala "
        "aktörer, tidig kontakt med unga, kartläggning av formell och informell kompetens, och "
        "uppföljning av program mot mål."
    ),
}


def build_scenario(today: date = REFERENCE_DAY, *, own_languages: bool = False) -> dict[str, Any]:
    """The demo network with the seed requests in place of the demo's versions of them."""
    document = build_demo_document(today)
    replaced = {seed.replaces for seed in SEEDS}
    requests = [seed.request for seed in SEEDS]
    if own_languages:
        requests = [dict(r, description=OWN_LANGUAGE[r["id"]]) for r in requests]
    dated = _date_records(requests, today)
    document["opportunities"] = [o for o in document["opportunities"] if o["id"] not in replaced] + dated
    return document


def _date_records(records: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    out = []
    for record in records:
        dated = {k: v for k, v in record.items() if not k.endswith("_in_days")}
        dated["earliest"] = (today + timedelta(days=record["earliest_in_days"])).isoformat()
        dated["latest"] = (today + timedelta(days=record["latest_in_days"])).isoformat()
        out.append(dated)
    return out


def _network(document: dict[str, Any], use_model: bool) -> tuple[Network, str]:
    from matchmaking.interchange.document import parse_document

    parsed = parse_document(document)
    network = Network.from_records(parsed.organisations, parsed.opportunities)
    if not use_model or "vectors" not in inspect.signature(Network).parameters:
        return network, "none"
    from matchmaking.engine.text_model import text_model

    model = text_model()
    if model is None:
        return network, "none (could not load)"
    keys, texts = zip(*network.description_texts(), strict=True)
    vectors = dict(zip(keys, model.embed_passages(list(texts)), strict=True))
    return Network.from_records(parsed.organisations, parsed.opportunities, vectors=vectors), model.name


def _rank_of(found: list[Any], organisation: str) -> int | None:
    return next((i for i, s in enumerate(found, start=1) if s.organisation == organisation), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-model", action="store_true", help="no description vectors")
    parser.add_argument("--write", type=Path, metavar="FILE.json", help="write the scenario and stop")
    parser.add_argument(
        "--own-languages",
        action="store_true",
        help="the requests in Swedish and Norwegian, as their staff write",
    )
    args = parser.parse_args(argv)
    document = build_scenario(own_languages=args.own_languages)
    if args.write:
        args.write.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"Wrote {args.write}: {len(document['opportunities'])} opportunities")
        return 0
    network, model = _network(document, use_model=not args.no_model)
    names = {o.id: o.name for o in network.organisations.values()}
    sizes = f"{len(network.organisations)} organisations, {len(network.opportunities)} opportunities"
    print(f"Seed scenario: {sizes}")
    print(f"Text model: {model}; load average {os.getloadavg()[0]:.1f}")
    header = f"{'exchange':<44} {'rank':>4} {'score':>6} {'other':>6}  {'top suggestion':<60}"
    print(f"{header} each real partner's rank")
    ranks = []
    for seed in SEEDS:
        found = suggest_partners(network, seed.request["id"], top=len(network.opportunities))
        rank = next((i for i, s in enumerate(found, start=1) if s.organisation in seed.partners), None)
        ranks.append(rank)
        score = f"{found[rank - 1].score:.1f}" if rank else "-"
        first = found[0] if found else None
        top = (
            f"{names.get(first.organisation, first.organisation)[:50]} ({first.score:.1f})" if first else "-"
        )
        each = ", ".join(f"{p} {_rank_of(found, p) or 'excluded'}" for p in seed.partners)
        other = next((s for s in found if s.organisation not in seed.partners), None)
        best_other = f"{other.score:.1f}" if other else "-"
        print(f"{seed.label:<44} {rank if rank else 'none':>4} {score:>6} {best_other:>6}  {top:<60} {each}")
    print(f"Real partner on top: {sum(1 for r in ranks if r == 1)} of {len(SEEDS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
