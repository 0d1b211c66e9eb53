"""Refreshing stored suggestions through the candidate index gives exactly what scoring the whole
network gives; an incremental refresh after a change gives what a full refresh would."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from matchmaking.engine.partners import organisations_to_invite, suggest_partners
from matchmaking.mobility import matching, suggestion_refresh
from matchmaking.mobility.models import Opportunity, Suggestion, SuggestionRun
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Term
from tests.factories import OrganisationFactory
from tests.factories_mobility import langs, opportunity, pair, topics

pytestmark = pytest.mark.django_db

Row = tuple[str, int, str, str | None, float, object, object]


def _stored() -> list[Row]:
    return [
        (s.opportunity.key, s.rank, s.organisation.key, s.their_opportunity and s.their_opportunity.key,
         s.score, s.parts, s.reasons)
        for s in Suggestion.objects.select_related("opportunity", "organisation", "their_opportunity")
        .order_by("opportunity__key", "rank", "their_opportunity__key")
    ]  # fmt: skip


def _whole_network_rows() -> list[Row]:
    """What the refresh stored before the index: every opportunity scored against the whole network."""
    targets = list(
        matching._opportunities(Opportunity.objects.filter(status__in=suggestion_refresh.NOT_CLOSED))
    )
    network = matching.build_network(targets)
    open_keys = set(
        Opportunity.objects.filter(
            status=Opportunity.Status.OPEN, organisation__status=Organisation.Status.ACTIVE
        ).values_list("key", flat=True)
    )
    orgs = dict(Organisation.objects.values_list("key", "pk"))
    opps = dict(Opportunity.objects.filter(key__in=open_keys).values_list("key", "pk"))
    org_keys = {pk: key for key, pk in orgs.items()}
    opp_keys = {pk: key for key, pk in opps.items()}
    now = timezone.now()
    rows: list[Row] = []
    for target in targets:
        partners = [
            s
            for s in suggest_partners(
                network, target.key, top=matching.TOP_PARTNERS + 10, weights=matching.WEIGHTS
            )
            if s.opportunity in open_keys
        ][: matching.TOP_PARTNERS]
        invites = organisations_to_invite(
            network, target.key, top=matching.TOP_INVITES, weights=matching.WEIGHTS
        )
        for s in matching._rows(target, partners, orgs, opps, now) + matching._rows(
            target, invites, orgs, opps, now
        ):
            their = opp_keys[s.their_opportunity_id] if s.their_opportunity_id else None
            rows.append((target.key, s.rank, org_keys[s.organisation_id], their, s.score, s.parts, s.reasons))
    return sorted(rows, key=lambda r: (r[0], r[1], r[3] or ""))


@pytest.fixture
def demo():
    from matchmaking.demo.services import demo_load

    demo_load()


def test_refresh_on_the_demo_stores_the_rows_scoring_the_whole_network_gives(demo):
    Suggestion.objects.all().delete()
    count = matching.refresh()
    stored = _stored()
    assert count == Opportunity.objects.filter(status__in=suggestion_refresh.NOT_CLOSED).count()
    assert len(stored) > 100
    assert stored == _whole_network_rows()  # same rows, same scores, same order
    assert SuggestionRun.objects.count() == count


def test_progress_is_reported_per_chunk_and_recorded(demo):
    seen: list[tuple[int, int]] = []
    count = suggestion_refresh.refresh_all(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (count, count)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    status = suggestion_refresh.refresh_status()
    assert status is not None
    assert not status.running
    assert status.done == count
    assert status.percent == 100
    chunked: list[int] = []
    suggestion_refresh.refresh(progress=lambda done, total: chunked.append(done), chunk=10)
    assert chunked[:2] == [10, 20]


def _languages(opportunity: Opportunity, *codes: str) -> None:
    opportunity.languages.set(Term.objects.filter(scheme=LANGUAGES_SCHEME, code__in=codes))


def test_after_a_language_change_the_incremental_refresh_equals_a_full_one(demo):
    matching.refresh()
    changed = (
        Opportunity.objects.filter(
            status=Opportunity.Status.OPEN, suggestions__their_opportunity__isnull=False
        )
        .distinct()
        .order_by("key")
        .first()
    )
    assert changed is not None
    before = _stored()
    _languages(changed, "is")  # a language nobody else lists: it leaves every candidate set
    refreshed = suggestion_refresh.refresh_changed(opportunities=[changed.key])
    incremental = _stored()
    assert incremental != before
    matching.refresh()
    assert incremental == _stored()
    total = Opportunity.objects.filter(status__in=suggestion_refresh.NOT_CLOSED).count()
    assert 0 < refreshed < total


def test_after_a_profile_change_the_incremental_refresh_equals_a_full_one(demo):
    matching.refresh()
    org = Organisation.objects.filter(opportunities__status=Opportunity.Status.OPEN).order_by("key").first()
    assert org is not None
    org.hosting_capacity = 1
    org.save()
    for opp in Opportunity.objects.filter(organisation=org):
        _languages(opp, "en", "es", "sv", "de")
    suggestion_refresh.refresh_changed(organisations=[org.key])
    incremental = _stored()
    matching.refresh()
    assert incremental == _stored()


def test_an_organisation_that_posts_its_first_opportunity_is_no_longer_one_to_invite():
    pair()
    newcomer = OrganisationFactory(name="Newcomer", country="DE", hosting_capacity=5)
    newcomer.languages.set(langs("en"))
    newcomer.expertise.set(topics("early-outreach"))
    matching.refresh()
    invites = Suggestion.objects.filter(organisation=newcomer, their_opportunity__isnull=True)
    assert invites.exists()
    new = opportunity(newcomer, direction="offer")
    suggestion_refresh.refresh_changed(opportunities=[new.key])
    assert not invites.exists()
    assert SuggestionRun.objects.filter(opportunity=new).exists()


def test_nothing_to_refresh_for_an_unknown_key(demo):
    assert suggestion_refresh.refresh_changed(opportunities=["no-such-opportunity"]) == 0


def test_a_full_refresh_leaves_the_planner_statistics_of_what_it_wrote(demo):
    """On SQLite, statistics taken while the table was nearly empty made each chunk's delete read the
    whole table; a full refresh ends by taking them again (PostgreSQL keeps its own)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps the statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # taken now, with the demo's few rows
    Suggestion.objects.all().delete()
    suggestion_refresh.refresh_all()
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx = %s",
                       [Suggestion._meta.db_table, "suggestion_rank_idx"])  # fmt: skip
        (stat,) = cursor.fetchone()
    assert int(stat.split()[0]) == Suggestion.objects.count() > 100
    assert not Suggestion.objects.values("opportunity", "rank").annotate(n=Count("pk")).filter(n__gt=1)
