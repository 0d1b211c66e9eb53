"""A refresh confirms a stored list that ranks the same and concerns no record saved since, rather
than writing it again; anything else is written, and the rows are always those a full write gives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.mobility import suggestion_cache, suggestion_refresh, suggestion_rows
from matchmaking.mobility.models import Opportunity, Suggestion, SuggestionRun
from tests.mobility.test_suggestion_refresh import _stored, _whole_network_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from matchmaking.demo.services import demo_load

    demo_load()
    suggestion_cache.forget()
    suggestion_refresh.refresh(rewrite=True)
    yield
    suggestion_cache.forget()


def _row_ids() -> dict[int, set[int]]:
    """Each list's row ids: a list written again gets new ones, a confirmed list keeps its own."""
    found: dict[int, set[int]] = {}
    for pk, opportunity_id in Suggestion.objects.values_list("pk", "opportunity_id"):
        found.setdefault(opportunity_id, set()).add(pk)
    return found


def _written(before: dict[int, set[int]]) -> set[int]:
    after = _row_ids()
    return {pk for pk in set(before) | set(after) if before.get(pk) != after.get(pk)}


def test_a_refresh_with_nothing_saved_since_writes_no_list_and_confirms_them_all(demo):
    before, runs = _row_ids(), dict(SuggestionRun.objects.values_list("opportunity_id", "computed_at"))
    count = suggestion_refresh.refresh()
    assert count == len(runs)
    assert _written(before) == set()
    confirmed = dict(SuggestionRun.objects.values_list("opportunity_id", "computed_at"))
    assert all(confirmed[pk] > at for pk, at in runs.items())  # the page says "updated just now"
    assert _stored() == _whole_network_rows()


def test_saving_a_listing_writes_the_lists_it_is_in_and_confirms_the_others(demo):
    listing = Opportunity.objects.filter(status=Opportunity.Status.OPEN).order_by("key").first()
    assert listing is not None
    naming = set(
        Suggestion.objects.filter(their_opportunity=listing).values_list("opportunity_id", flat=True)
    )
    assert naming
    before = _row_ids()
    listing.save()  # nothing the score reads changed, but it was saved: its lists are written again
    suggestion_refresh.refresh()
    written = _written(before)
    assert naming | {listing.pk} <= written
    assert len(written) < len(before)
    assert _stored() == _whole_network_rows()


def test_a_changed_ranking_is_written_even_with_no_record_saved(demo):
    run = SuggestionRun.objects.order_by("opportunity_id").first()
    assert run is not None
    SuggestionRun.objects.filter(pk=run.pk).update(fingerprint="0" * 32)  # as if it ranked otherwise
    before = _row_ids()
    suggestion_refresh.refresh()
    assert _written(before) == {run.opportunity_id}


def test_a_list_whose_rows_were_deleted_is_written_again(demo):
    stored = SuggestionRun.objects.filter(opportunity__suggestions__isnull=False)
    run = stored.order_by("opportunity_id").first()
    assert run is not None
    Suggestion.objects.filter(opportunity_id=run.opportunity_id).delete()
    suggestion_refresh.refresh()
    assert Suggestion.objects.filter(opportunity_id=run.opportunity_id).exists()
    assert _stored() == _whole_network_rows()


def test_old_lists_and_rewrite_are_written_again(demo):
    before = _row_ids()
    first = min(before)
    old = timezone.now() - timedelta(days=2 * suggestion_rows.REWRITE_DAYS)
    SuggestionRun.objects.filter(opportunity_id=first).update(written_at=old)
    suggestion_refresh.refresh()
    assert _written(before) == {first}
    before = _row_ids()
    suggestion_refresh.refresh(rewrite=True)
    assert _written(before) == set(before)


def test_a_network_read_at_an_unknown_time_confirms_nothing_later(demo):
    """Lists computed from a network handed in without its reading time are written with no time,
    so the next refresh cannot confirm them against records saved meanwhile."""
    scored = suggestion_refresh.network_and_index()
    suggestion_refresh.refresh(scored=scored, rewrite=True)
    assert not SuggestionRun.objects.filter(written_at__isnull=False).exists()
    before = _row_ids()
    suggestion_refresh.refresh()
    assert _written(before) == set(before)


def test_the_worker_s_kept_network_confirms_against_the_time_it_was_read(demo):
    suggestion_cache.refresh_all(rewrite=True)
    kept = suggestion_cache.kept()
    assert kept is not None
    assert set(SuggestionRun.objects.values_list("written_at", flat=True)) == {kept.synced}
    before = _row_ids()
    suggestion_cache.refresh_all()
    assert _written(before) == set()


def test_unchanged_needs_every_condition():
    now = timezone.now()
    stored = suggestion_rows.StoredList("abc", now - timedelta(hours=1), 3)
    assert suggestion_rows.unchanged(7, "abc", 3, stored, [now - timedelta(days=1), None], now)
    assert not suggestion_rows.unchanged(7, "abd", 3, stored, [], now)  # ranks otherwise
    assert not suggestion_rows.unchanged(7, "abc", 2, stored, [], now)  # rows missing
    assert not suggestion_rows.unchanged(7, "abc", 3, None, [], now)  # nothing stored
    saved_since = [now - timedelta(minutes=5)]
    assert not suggestion_rows.unchanged(7, "abc", 3, stored, saved_since, now)
    later = now + timedelta(days=suggestion_rows.REWRITE_DAYS + 7 % suggestion_rows.REWRITE_DAYS, hours=1)
    assert not suggestion_rows.unchanged(7, "abc", 3, stored, [], later)  # due to be written again
    assert suggestion_rows.unchanged(8, "abc", 3, stored, [], later)  # due a day later


def test_the_fingerprint_covers_order_scores_spread_invites_and_scoring():
    base = suggestion_rows.fingerprint([("a", 71.4, False), ("b", 70.0, True)], [("org", 40.0)], "v1")
    assert base == suggestion_rows.fingerprint([("a", 71.4, False), ("b", 70.0, True)], [("org", 40.0)], "v1")
    for other in (
        suggestion_rows.fingerprint([("b", 70.0, True), ("a", 71.4, False)], [("org", 40.0)], "v1"),
        suggestion_rows.fingerprint([("a", 71.5, False), ("b", 70.0, True)], [("org", 40.0)], "v1"),
        suggestion_rows.fingerprint([("a", 71.4, False), ("b", 70.0, False)], [("org", 40.0)], "v1"),
        suggestion_rows.fingerprint([("a", 71.4, False), ("b", 70.0, True)], [], "v1"),
        suggestion_rows.fingerprint([("a", 71.4, False), ("b", 70.0, True)], [("org", 40.0)], "v2"),
    ):
        assert other != base
