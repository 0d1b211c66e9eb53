"""Person ↔ placement matching: hard rules, score, skill gap, sensitive data."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from datetime import date
from pathlib import Path

import pytest

import matchmaking.engine
from matchmaking.cli.allocation_files import (
    ParticipantsFile,
    PlacementsFile,
    read_participants,
    read_placements,
)
from matchmaking.engine.allocation_round import run_round, score_all
from matchmaking.engine.people import INFORMAL, Language, Participant, Placement, Skill, exclusions, match

SENSITIVE = ("barrier", "health", "disab", "migra", "gender", "sex", "age", "birth", "ethnic", "religio")

ANNA = Participant(
    id="p1",
    skills=(Skill("esco:cook"), Skill("esco:clean", how=INFORMAL), Skill("esco:serve-drinks")),
    languages=(Language("en", "B2"), Language("sv", "C2")),
    occupation_interests=("esco:kitchen-assistant",),
    available_from=date(2026, 5, 1),
    available_until=date(2026, 9, 30),
    support_requirements=frozenset({"mentor"}),
    willing_to_go_abroad=True,
    home_country="SE",
)
KITCHEN = Placement(
    id="q1",
    seats=2,
    occupation="esco:kitchen-assistant",
    required_skills=("esco:cook", "esco:clean", "esco:serve-food", "esco:hygiene"),
    desired_skills=("esco:serve-drinks",),
    languages=(Language("en", "B1"),),
    start=date(2026, 6, 1),
    end=date(2026, 8, 31),
    country="ES",
    support_offered=frozenset({"mentor", "step-free-access"}),
)


def test_score_gap_and_reasons() -> None:
    result = match(ANNA, KITCHEN)
    assert result.eligible
    assert result.skill_gap == ("esco:serve-food", "esco:hygiene")
    # required 2/4 × 60 + desired 1/1 × 20 + interest 20
    assert result.score == pytest.approx(70.0)
    texts = [r.text for r in result.reasons]
    assert "Has 2 of 4 required skills" in texts
    assert "Learnt informally: esco:clean" in texts
    assert any(t.startswith("Skill gap (required, missing)") for t in texts)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"languages": (Language("en", "A2"),)}, "language-level"),
        ({"available_until": date(2026, 8, 1)}, "dates"),
        ({"support_requirements": frozenset({"interpreter"})}, "support"),
        ({"willing_to_go_abroad": False}, "abroad"),
    ],
)
def test_each_hard_rule(change: dict[str, object], code: str) -> None:
    person = dataclasses.replace(ANNA, **change)  # type: ignore[arg-type]
    found = exclusions(person, KITCHEN)
    assert [r.code for r in found] == [code]
    result = match(person, KITCHEN)
    assert not result.eligible
    assert result.score == 0.0


def test_language_rule_says_by_how_much() -> None:
    person = dataclasses.replace(ANNA, languages=(Language("en", "A2"),))
    (reason,) = exclusions(person, KITCHEN)
    assert reason.text == "Needs en at B1; the participant has A2"
    assert reason.params["short_by"] == 1


def test_dates_rule_counts_days() -> None:
    person = dataclasses.replace(ANNA, available_until=date(2026, 8, 1))
    (reason,) = exclusions(person, KITCHEN)
    assert reason.params["days"] == 30


def is_sensitive(name: str) -> bool:
    """``gender``, ``age``, ``health_needs``, ``barriers`` … but not ``languages`` or ``stage``."""
    return any(token.startswith(word) for token in name.lower().split("_") for word in SENSITIVE)


def test_participant_has_no_sensitive_field() -> None:
    names = [f.name for f in dataclasses.fields(Participant)]
    assert not [n for n in names if is_sensitive(n)]
    assert is_sensitive("age")
    assert is_sensitive("migration_background")
    assert not is_sensitive("languages")


def _public_functions() -> list[tuple[str, object]]:
    found = []
    for info in pkgutil.iter_modules(matchmaking.engine.__path__):
        module = importlib.import_module(f"matchmaking.engine.{info.name}")
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", value))
            if inspect.isclass(value) and value.__module__ == module.__name__:
                for method_name, method in vars(value).items():
                    if inspect.isfunction(method):
                        found.append((f"{module.__name__}.{name}.{method_name}", method))
    return found


def test_no_scoring_function_takes_a_sensitive_parameter() -> None:
    offenders = []
    for qualified, function in _public_functions():
        if "fairness" in qualified or "Monitoring" in qualified or "optimal" in qualified:
            continue  # monitoring and the positive-action floor are the two allowed uses
        for parameter in inspect.signature(function).parameters:  # type: ignore[arg-type]
            if is_sensitive(parameter):
                offenders.append(f"{qualified}({parameter})")
    assert offenders == []


PARTICIPANTS = (
    (
        "id,skills,informal_skills,languages,occupation_interests,willing_to_go_abroad,home_country,"
        "fewer_opportunities,group\n"
    )
    + """p1,esco:cook;esco:clean,,en:B2,esco:kitchen-assistant,yes,SE,{f1},{g1}
p2,esco:cook,esco:serve-food,en:C1,,yes,SE,{f2},{g2}
p3,esco:clean,,en:B1,esco:kitchen-assistant,no,SE,no,a
"""
)
PLACEMENTS = """id,seats,occupation,required_skills,desired_skills,languages,country
q1,1,esco:kitchen-assistant,esco:cook;esco:clean;esco:serve-food,,en:B1,ES
q2,1,esco:cleaner,esco:clean,,en:A2,SE
"""


def _files(tmp_path: Path, f1: str, g1: str, f2: str, g2: str) -> tuple[Path, Path]:
    people = tmp_path / f"people-{f1}{g1}{f2}{g2}.csv"
    people.write_text(PARTICIPANTS.format(f1=f1, g1=g1, f2=f2, g2=g2), encoding="utf-8")
    places = tmp_path / "places.csv"
    places.write_text(PLACEMENTS, encoding="utf-8")
    return people, places


def test_changing_monitoring_data_changes_no_score(tmp_path: Path) -> None:
    """The 'fewer opportunities' flag and the group change neither a score nor a stable allocation."""
    outcomes = []
    for flags in (("no", "a", "no", "a"), ("yes", "b", "no", "c"), ("yes", "x", "yes", "y")):
        people_path, places_path = _files(tmp_path, *flags)
        people, places = read_participants(people_path), read_placements(places_path)
        scores = [[m.score for m in row] for row in score_all(people.participants, places.placements)]
        outcomes.append((scores, *(_allocation(people, places, method) for method in ("stable", "optimal"))))
    assert outcomes[0] == outcomes[1] == outcomes[2]


def _allocation(people: ParticipantsFile, places: PlacementsFile, method: str) -> list[int]:
    return run_round(
        people.participants,
        places.placements,
        people.monitoring,
        method,
        participant_preferences=people.preferences,
        placement_preferences=places.preferences,
    ).assignment


def test_engine_imports_neither_django_nor_the_rest_of_the_project() -> None:
    import subprocess
    import sys

    code = (
        "import sys, importlib, pkgutil, matchmaking.engine as e\n"
        "for m in pkgutil.iter_modules(e.__path__): importlib.import_module('matchmaking.engine.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'django'"
        " or (n.startswith('matchmaking.') and not n.startswith('matchmaking.engine'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_is_documented_with_examples() -> None:
    """Every name of the engine's public API exists; functions show an example, classes their fields."""
    missing = []
    for name in matchmaking.engine.__all__:
        value = getattr(matchmaking.engine, name)
        doc = inspect.getdoc(value) or ""
        if inspect.isfunction(value) and not all(h in doc for h in ("Parameters", "Returns", "Examples")):
            missing.append(name)
        if inspect.isclass(value) and not any(h in doc for h in ("Parameters", "Attributes", "Examples")):
            missing.append(name)
    assert missing == []
