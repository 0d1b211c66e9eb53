"""A refresh shared between forked processes stores exactly what one process stores, and the batch
learns each list's threshold and kept partners either way (a later change refresh relies on them).

Forked processes need a database they can reach on their own: a file or a server, outside any
transaction. The SQLite test database lives in memory, so this runs on PostgreSQL (CI's second run)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from matchmaking.mobility import suggestion_refresh
from matchmaking.mobility.models import Suggestion, SuggestionRun
from tests.mobility.test_suggestion_refresh import _stored

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    from matchmaking.demo.services import demo_load

    demo_load()


def test_the_refresh_stays_in_one_process_where_forks_could_not_see_the_data() -> None:
    with override_settings(SUGGESTION_REFRESH_PROCESSES=2):
        in_memory = connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"])
        expected = 1 if in_memory else 2
        assert suggestion_refresh._processes(500) == expected
        assert suggestion_refresh._processes(suggestion_refresh.PARALLEL_FROM - 1) == 1
    with override_settings(SUGGESTION_REFRESH_PROCESSES=1):
        assert suggestion_refresh._processes(500) == 1


def test_two_processes_store_what_one_stores(demo, monkeypatch: pytest.MonkeyPatch) -> None:
    if suggestion_refresh._processes(10_000) < 2 and connection.vendor == "sqlite":
        pytest.skip("the in-memory test database cannot be reached from a forked process")
    monkeypatch.setattr(suggestion_refresh, "PARALLEL_FROM", 1)
    targets = suggestion_refresh.refresh_targets()
    scored = suggestion_refresh.network_and_index()

    with override_settings(SUGGESTION_REFRESH_PROCESSES=1):
        # Every list written (the demo's stored lists would otherwise be confirmed, not explained).
        one = suggestion_refresh.refresh(targets, chunk=7, scored=scored, rewrite=True)
    batch = suggestion_refresh.batch_of(*scored)
    learned_alone = (dict(batch.thresholds), dict(batch.kept), batch.stats["explained"])
    places_alone = batch.known_places(t.key for t in targets)
    stored_alone = _stored()
    Suggestion.objects.all().delete()
    SuggestionRun.objects.all().delete()
    batch.thresholds.clear()
    batch.kept.clear()
    batch.stats["explained"] = 0
    batch._places.clear()

    with override_settings(SUGGESTION_REFRESH_PROCESSES=2):
        two = suggestion_refresh.refresh(targets, chunk=7, scored=scored, rewrite=True)
    assert one == two == len(targets)
    assert _stored() == stored_alone
    assert (dict(batch.thresholds), dict(batch.kept), batch.stats["explained"]) == learned_alone
    assert SuggestionRun.objects.count() == len(targets)
    # The places the forked processes read come back too (a later change refresh uses them).
    assert batch.known_places(t.key for t in targets) == places_alone
    assert len(places_alone) == len(targets)
    assert batch.stats["explained"] > 0
