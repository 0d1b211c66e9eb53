"""The code lists kept in each process: the same terms, in the same order, as the database gives;
a change made here is seen at once, one made by another process once the shared version moves; a
list's page gets its rows' terms without a query per row."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.db.models import Prefetch

from matchmaking.mobility.models import Opportunity
from matchmaking.taxonomies import code_lists
from matchmaking.taxonomies.code_lists import WithTerms, attach_terms, by_code, by_position
from matchmaking.taxonomies.models import Term
from tests.factories import OrganisationFactory
from tests.factories_mobility import opportunity

pytestmark = pytest.mark.django_db

SCHEMES = ["practice-topics", "target-groups", "languages", "opportunity-types", "organisation-kinds"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_kept_terms_are_the_active_terms_in_the_lists_order(scheme):
    assert code_lists.active_terms(scheme) == list(Term.objects.of(scheme))
    assert code_lists.term_choices_of(scheme) == [(t.code, t.label) for t in Term.objects.of(scheme)]


def test_retired_terms_are_kept_by_id_but_not_offered():
    retired = Term.objects.of("practice-topics").first()
    retired.active = False
    retired.save()
    assert retired not in code_lists.active_terms("practice-topics")
    assert code_lists.term_by_id()[retired.pk].code == retired.code


def test_a_change_in_this_process_is_seen_at_once(django_capture_on_commit_callbacks):
    topic = Term.objects.of("practice-topics").first()
    code_lists.active_terms("practice-topics")  # kept
    with django_capture_on_commit_callbacks(execute=True):
        topic.labels = {**topic.labels, "en": "Renamed topic"}
        topic.save()
    assert (topic.code, "Renamed topic") in code_lists.term_choices_of("practice-topics")


def test_a_change_by_another_process_is_seen_once_the_version_moves(monkeypatch):
    from django.core.cache import cache

    topic = Term.objects.of("practice-topics").first()
    code_lists.active_terms("practice-topics")  # kept
    Term.objects.filter(pk=topic.pk).update(labels={"en": "Changed elsewhere"})  # no signal here
    monkeypatch.setattr(code_lists, "CHECK_SECONDS", 0.0)
    assert (topic.code, "Changed elsewhere") not in code_lists.term_choices_of("practice-topics")
    cache.set(code_lists.VERSION_KEY, "moved by another process")
    assert (topic.code, "Changed elsewhere") in code_lists.term_choices_of("practice-topics")


def test_a_term_added_elsewhere_is_found_when_a_row_points_at_it():
    code_lists.active_terms("practice-topics")  # kept before the term exists
    new = Term.objects.bulk_create([Term(scheme="practice-topics", code="added-elsewhere", position=999)])[0]
    listing = opportunity(OrganisationFactory())
    listing.topics.add(new)
    attach_terms([listing], "topics", by_position)
    assert "added-elsewhere" in [t.code for t in listing.topics.all()]


def test_no_cache_table_yet_is_no_error(monkeypatch, django_capture_on_commit_callbacks):
    def missing(*_args, **_kwargs):
        raise DatabaseError("no such table: matchmaking_cache")

    monkeypatch.setattr(code_lists.cache, "set", missing)
    monkeypatch.setattr(code_lists.cache, "get", missing)
    topic = Term.objects.of("practice-topics").first()
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    assert code_lists.active_terms("practice-topics") == list(Term.objects.of("practice-topics"))


def test_attached_terms_equal_djangos_prefetch_and_need_no_query(django_assert_num_queries):
    organisation = OrganisationFactory()
    made = [
        opportunity(organisation, topic_codes=codes, languages=languages)
        for codes, languages in [
            (("skills-mapping", "early-outreach", "neet-re-engagement"), ("sv", "en", "de")),
            ((), ()),
            (("multi-competent-teams",), ("fi",)),
        ]
    ]
    made[0].target_groups.set(Term.objects.of("target-groups")[:3])
    prefetched = list(
        Opportunity.objects.filter(pk__in=[o.pk for o in made])
        .order_by("pk")
        .prefetch_related(
            Prefetch("topics", queryset=Term.objects.order_by("position")),
            Prefetch("languages", queryset=Term.objects.order_by("code")),
            Prefetch("target_groups", queryset=Term.objects.order_by("position")),
        )
    )
    pages = WithTerms(
        Opportunity.objects.filter(pk__in=[o.pk for o in made]).order_by("pk"),
        topics=by_position,
        languages=by_code,
        target_groups=by_position,
    )
    assert pages.count() == len(pages) == 3
    rows = pages[0:3]
    with django_assert_num_queries(0):
        for row, expected in zip(rows, prefetched, strict=True):
            for relation in ("topics", "languages", "target_groups"):
                seen = [t.code for t in getattr(row, relation).all()]
                assert seen == [t.code for t in getattr(expected, relation).all()], relation
    assert pages[2].pk == prefetched[2].pk
    assert [t.code for t in pages[0].languages.all()] == ["de", "en", "sv"]
    topics = [t.code for t in pages[0].topics.all()]
    assert topics == ["early-outreach", "neet-re-engagement", "skills-mapping"]
    assert len(pages[0].target_groups.all()) == 3
