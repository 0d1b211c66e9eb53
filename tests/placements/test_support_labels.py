"""A placement's support is stored as codes and shown as words in the reader's language."""

from __future__ import annotations

from django.utils import translation

from matchmaking.placements.models import Placement


def test_support_offered_is_shown_as_translated_labels():
    placement = Placement(support_offered=["quiet-space", "mentor"])
    with translation.override("en"):
        assert placement.support_offered_labels() == ["A quiet place to work", "A mentor at the workplace"]
    with translation.override("sv"):
        swedish = placement.support_offered_labels()
    assert "quiet-space" not in swedish
    assert swedish != ["A quiet place to work", "A mentor at the workplace"]


def test_unknown_support_code_stays_visible():
    assert Placement(support_offered=["something-new"]).support_offered_labels() == ["something-new"]
