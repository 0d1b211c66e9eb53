"""The minimum fit of a round: no pair below it is proposed, whoever is left is told why, with gaps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.engine.allocation_round import Monitoring, run_round
from matchmaking.engine.people import Participant, Placement, Skill

SKILLS = ("cook", "serve", "clean", "drive")


def test_nobody_is_proposed_below_the_minimum_fit() -> None:
    people = [Participant("p1", skills=(Skill("cook"),)), Participant("p2")]
    kitchen = Placement("q1", seats=2, required_skills=("cook", "serve"))
    without = run_round(people, [kitchen], [Monitoring(), Monitoring()], "stable")
    assert without.assignment == [0, 0]  # p2 would be placed with 0 of 2 required skills
    result = run_round(people, [kitchen], [Monitoring(), Monitoring()], "stable", min_fit=20)
    assert result.assignment == [0, -1]
    (reason,) = result.outcomes[1].reasons
    assert reason.code == "unplaced-fit"
    assert reason.params["min_fit"] == 20
    assert reason.params["placement"] == "q1"
    assert result.outcomes[1].skill_gap == ("cook", "serve")  # the gaps of the best pair
    assert result.outcomes[1].options == ()  # no waiting list below the minimum


def test_the_optimal_method_keeps_the_minimum_too() -> None:
    people = [Participant("p1", skills=(Skill("cook"),)), Participant("p2")]
    kitchen = Placement("q1", seats=2, required_skills=("cook",))
    result = run_round(
        people, [kitchen], [Monitoring(True), Monitoring(True)], "optimal", floor=2, min_fit=30
    )
    assert result.assignment == [0, -1]
    assert result.outcomes[1].reasons[0].code == "unplaced-fit"


def test_a_person_broken_by_the_hard_rules_keeps_that_reason() -> None:
    person = Participant("p1", available_until=None, willing_to_go_abroad=False, home_country="SE")
    abroad = Placement("q1", seats=1, country="DE")
    result = run_round([person], [abroad], [Monitoring()], "stable", min_fit=20)
    assert result.outcomes[0].reasons[0].code == "unplaced-rules"


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[Participant], list[Placement], float, str]:
    people = [
        Participant(f"p{n}", skills=tuple(Skill(s) for s in draw(st.sets(st.sampled_from(SKILLS)))))
        for n in range(draw(st.integers(1, 8)))
    ]
    places = [
        Placement(
            f"q{n}",
            seats=draw(st.integers(0, 3)),
            required_skills=tuple(sorted(draw(st.sets(st.sampled_from(SKILLS), max_size=3)))),
        )
        for n in range(draw(st.integers(1, 4)))
    ]
    return (
        people,
        places,
        draw(st.sampled_from([0.0, 10.0, 25.0, 50.0, 80.0])),
        draw(st.sampled_from(["stable", "optimal"])),
    )


@settings(max_examples=60, deadline=None)
@given(rounds())
def test_no_pair_below_the_minimum_and_no_seat_beyond_capacity(case) -> None:
    people, places, min_fit, method = case
    result = run_round(people, places, [Monitoring() for _ in people], method, min_fit=min_fit)
    for outcome in result.outcomes:
        if outcome.placed:
            assert outcome.score is not None
            assert outcome.score >= min_fit
    for j, place in enumerate(places):
        assert result.assignment.count(j) <= place.seats


def test_a_round_with_nobody_left_allocates_nothing() -> None:
    for method in ("stable", "optimal"):
        result = run_round([], [Placement("q1", seats=2)], [], method, min_fit=20)
        assert result.outcomes == ()
        assert result.seats == 2
