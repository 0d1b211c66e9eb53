"""The refresh after a change with the network the worker keeps: it re-scores fewer lists than the
conservative rule and stores what a full refresh stores; a network changed behind its back is read
again."""

from __future__ import annotations

import pytest

from matchmaking.mobility import matching, suggestion_cache, suggestion_refresh
from matchmaking.mobility.models import Opportunity, Suggestion
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term
from tests.factories_mobility import opportunity

pytestmark = pytest.mark.django_db


def _stored() -> list[tuple[object, ...]]:
    return [
        (s.opportunity.key, s.rank, s.organisation.key, s.their_opportunity and s.their_opportunity.key,
         s.score, s.parts, s.reasons)
        for s in Suggestion.objects.select_related("opportunity", "organisation", "their_opportunity")
        .order_by("opportunity__key", "rank", "their_opportunity__key")
    ]  # fmt: skip


@pytest.fixture
def demo():
    from matchmaking.demo.services import demo_load

    demo_load()
    suggestion_cache.forget()
    yield
    suggestion_cache.forget()


def test_a_profile_change_re_scores_fewer_lists_and_stores_what_a_full_refresh_stores(demo):
    suggestion_cache.refresh_all()
    org = Organisation.objects.filter(opportunities__status=Opportunity.Status.OPEN).order_by("key").first()
    assert org is not None
    # Target groups move no network-wide statistic, so every other list keeps its exact scores.
    org.target_groups.set(Term.objects.filter(scheme="target-groups").order_by("-code")[:3])
    org.save()
    batch, before = suggestion_cache.current(organisations=[org.key])
    assert before is not None  # the kept network, patched
    bounded = suggestion_cache.affected(batch, before, organisations=[org.key])
    everything = suggestion_refresh.affected(organisations=[org.key], scored=(batch.network, batch.index))
    assert set(bounded) <= set(everything)
    assert len(bounded) < len(everything)
    suggestion_refresh.refresh(suggestion_refresh.refresh_targets(bounded), scored=batch)
    after_change = _stored()
    Suggestion.objects.all().delete()
    matching.refresh()
    assert after_change == _stored()


def test_the_task_path_refreshes_a_listing_change_with_the_kept_network(demo):
    suggestion_cache.refresh_all()
    changed = Opportunity.objects.filter(status=Opportunity.Status.OPEN).order_by("key").first()
    assert changed is not None
    changed.group_size = 1
    changed.save()
    assert suggestion_cache.refresh_changed(opportunities=[changed.key]) >= 1
    kept = suggestion_cache.kept()
    assert kept is not None
    assert changed.key in kept.thresholds


def test_a_listing_added_behind_the_workers_back_makes_it_read_the_network_again(demo):
    suggestion_cache.refresh_all()
    other = Opportunity.objects.filter(status=Opportunity.Status.OPEN).order_by("key").first()
    assert other is not None
    new = opportunity(other.organisation, direction="offer")
    batch, before = suggestion_cache.current(opportunities=[other.key])
    assert before is None
    assert new.key in batch.network.opportunities
