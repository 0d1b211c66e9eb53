"""Stories split into sentences, clauses and pieces with exact offsets, in the six languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.taxonomies.story_text import clauses, pieces, sentences


@pytest.mark.parametrize(
    ("story", "expected"),
    [
        (
            "har tagit hand om min mormor, handlat och lagat mat",
            ["har tagit hand om min mormor", "handlat", "lagat mat"],
        ),
        ("Jeg har sydd klær og tar omsøm for naboer.", ["Jeg har sydd klær", "tar omsøm for naboer"]),
        (
            "Auf dem Bau habe ich Beton gemischt, geschalt und Decken betoniert.",
            ["Auf dem Bau habe ich Beton gemischt", "geschalt", "Decken betoniert"],
        ),
        (
            "Trabajé de peón en obras, mezclando hormigón y cargando sacos.",
            ["Trabajé de peón en obras", "mezclando hormigón", "cargando sacos"],
        ),
        (
            "Tinc un hort i ajudo a cuidar els jardins: plantar, regar.",
            ["Tinc un hort", "ajudo a cuidar els jardins", "plantar", "regar"],
        ),
        ("I help run a youth club. Planning activities!", ["I help run a youth club", "Planning activities"]),
    ],
)
def test_pieces_in_six_languages(story: str, expected: list[str]) -> None:
    assert [p.text for p in pieces(story)] == expected


def test_sentences_and_clauses() -> None:
    story = "Jag har städat. Sedan lagade jag mat, diskade och handlade!\nKlart"
    assert [s.text for s in sentences(story)] == [
        "Jag har städat",
        "Sedan lagade jag mat, diskade och handlade",
        "Klart",
    ]
    assert [c.text for c in clauses(story)] == [
        "Jag har städat",
        "Sedan lagade jag mat",
        "diskade och handlade",
        "Klart",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab cd.,;:!?\n()–-och und y i é"), max_size=120))
def test_offsets_are_exact_and_in_order(story: str) -> None:
    found = pieces(story)
    end = 0
    for piece in found:
        assert story[piece.start : piece.end] == piece.text
        assert piece.text
        assert piece.text == piece.text.strip()
        assert piece.clause_start <= piece.start < piece.end <= piece.clause_end
        assert piece.start >= end
        end = piece.end
