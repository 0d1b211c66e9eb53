"""``matchmaking suggestions refresh [--all]`` and ``matchmaking suggestions status``."""

from __future__ import annotations

import pytest

from matchmaking.cli import main
from matchmaking.mobility.models import Suggestion, SuggestionRun
from tests.factories_mobility import pair

pytestmark = pytest.mark.django_db


def test_refresh_all_stores_every_suggestion_and_prints_the_time(capsys):
    pair()
    assert main(["suggestions", "refresh", "--all"]) == 0
    out = capsys.readouterr().out
    assert "suggestions refreshed for 2 opportunities in" in out
    assert Suggestion.objects.exists()
    assert SuggestionRun.objects.count() == 2
    assert main(["suggestions", "status"]) == 0
    assert "last full refresh: 2 of 2 opportunities" in capsys.readouterr().out


def test_refresh_without_all_computes_only_the_opportunities_never_computed(capsys):
    host, *_ = pair()
    assert main(["suggestions", "refresh"]) == 0
    assert "for 2 opportunities" in capsys.readouterr().out
    assert main(["suggestions", "refresh"]) == 0
    assert "for 0 opportunities" in capsys.readouterr().out
    assert main(["suggestions", "refresh", "--organisation", host.key]) == 0
    assert "for 2 opportunities" in capsys.readouterr().out
