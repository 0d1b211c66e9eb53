"""The web app's allocation round and ``matchmaking allocate`` are one pipeline: the same records give
the same allocation, scores and choice numbers whichever way they go in."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest

from matchmaking.cli import main
from matchmaking.engine.people import INFORMAL
from matchmaking.placements import matching, rounds
from matchmaking.placements.models import Round
from tests.factories import OrganisationFactory
from tests.factories_participants import participant, placement

SKILLS = [f"http://data.europa.eu/esco/skill/parity-{n}" for n in range(6)]
OCCUPATIONS = [f"http://data.europa.eu/esco/occupation/parity-{n}" for n in range(2)]


@pytest.fixture
def records(db):
    rng = random.Random(11)
    organisations = [
        OrganisationFactory(key="parity-se", name="Parity SE", country="SE"),
        OrganisationFactory(key="parity-no", name="Parity NO", country="NO"),
    ]
    people = [
        participant(
            organisations[n % 2],
            skills=rng.sample(SKILLS, rng.randint(0, 3)),
            languages=[("sv", rng.choice(["A2", "B1", "B2"]))],
            fewer_opportunities=rng.random() < 0.4,
            willing_to_go_abroad=rng.random() < 0.5,
            occupation_interests=[{"uri": rng.choice(OCCUPATIONS), "label": "job"}]
            if rng.random() < 0.5
            else [],
            support_requirements=["mentor"] if rng.random() < 0.2 else [],
            available_until=date(2026, 8, 1) if rng.random() < 0.2 else None,
        )
        for n in range(16)
    ]
    places = []
    for n in range(5):
        required = rng.sample(SKILLS, rng.randint(0, 2))
        places.append(
            placement(
                organisations[n % 2],
                key=f"parity-{n}",
                seats=rng.randint(1, 3),
                required=required,
                desired=[s for s in rng.sample(SKILLS, 2) if s not in required],
                languages=[("sv", rng.choice(["A2", "B1"]))],
                occupation_uri=rng.choice(OCCUPATIONS),
                support_offered=["mentor"] if rng.random() < 0.5 else [],
                start=date(2026, 6, 1),
                end=rng.choice([date(2026, 7, 1), date(2026, 9, 1)]),
            )
        )
    return people, places


def _write_files(tmp_path: Path, people, places) -> tuple[Path, Path]:
    """The round's records as the command's CSV files, through the same adapter the web app uses."""
    people_path, places_path = tmp_path / "p.csv", tmp_path / "q.csv"
    with people_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "skills", "informal_skills", "languages", "occupation_interests", "available_from",
             "available_until", "support_requirements", "willing_to_go_abroad", "home_country",
             "fewer_opportunities"]
        )  # fmt: skip
        for record in people:
            p = matching.engine_participant(record)
            writer.writerow(
                [
                    p.id,
                    ";".join(s.uri for s in p.skills if s.how != INFORMAL),
                    ";".join(s.uri for s in p.skills if s.how == INFORMAL),
                    ";".join(f"{lang.code}:{lang.level}" for lang in p.languages),
                    ";".join(p.occupation_interests),
                    p.available_from or "",
                    p.available_until or "",
                    ";".join(sorted(p.support_requirements)),
                    "yes" if p.willing_to_go_abroad else "no",
                    p.home_country,
                    "yes" if record.fewer_opportunities else "no",
                ]
            )
    with places_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "seats", "occupation", "required_skills", "desired_skills", "languages", "start", "end",
             "country", "region", "support_offered", "labour_market"]
        )  # fmt: skip
        for record in places:
            q = matching.engine_placement(record)
            writer.writerow(
                [
                    q.id,
                    q.seats,
                    q.occupation,
                    ";".join(q.required_skills),
                    ";".join(q.desired_skills),
                    ";".join(f"{lang.code}:{lang.level}" for lang in q.languages),
                    q.start or "",
                    q.end or "",
                    q.country,
                    q.region,
                    ";".join(sorted(q.support_offered)),
                    q.labour_market,
                ]
            )
    return people_path, places_path


@pytest.mark.parametrize(("method", "floor"), [("stable", 0), ("optimal", 0), ("optimal", 5)])
def test_cli_and_web_allocate_the_same(records, tmp_path: Path, method: str, floor: int) -> None:
    people, places = records
    # ``matchmaking allocate`` proposes at any fit: the round is compared with the minimum fit at 0.
    found = rounds.round_create(
        actor=None,
        name="Parity",
        method=method,
        floor=floor,
        min_fit=0,
        participants=people,
        placements=places,
    )
    rounds.round_compute(round_id=found.pk)
    found.refresh_from_db()
    assert found.status == Round.Status.PROPOSED
    web = {
        p.participant.pseudonym: (p.placement.key if p.placement else "", p.score, p.choice)
        for p in found.proposals.select_related("participant", "placement")
    }

    people_path, places_path = _write_files(tmp_path, people, places)
    out = tmp_path / "r.csv"
    args = ["allocate", "--participants", str(people_path), "--placements", str(places_path)]
    args += ["--method", method, "--out", str(out), "--floor", str(floor)]
    assert main(args) == 0
    with out.open(encoding="utf-8") as handle:
        cli = {
            row["participant"]: (
                row["placement"],
                float(row["score"]) if row["score"] else None,
                int(row["choice"]) if row["choice"] else None,
            )
            for row in csv.DictReader(handle)
        }
    assert cli == web
    assert 0 < sum(1 for key, _score, _choice in web.values() if key) < len(people)
