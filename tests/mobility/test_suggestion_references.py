"""What a stored suggestion names is kept right without the database checking it: a record deleted
through the app takes its rows with it, one deleted while a refresh scored is not written, and rows
left by a deletion outside the app are removed by the full refresh."""

from __future__ import annotations

import pytest

from matchmaking.mobility import suggestion_refresh, suggestion_rows
from matchmaking.mobility.models import Opportunity, Suggestion, SuggestionRun
from matchmaking.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.factories_mobility import pair

pytestmark = pytest.mark.django_db


def _suggesting(offer: Opportunity) -> list[Suggestion]:
    return list(Suggestion.objects.filter(their_opportunity_id=offer.pk))


def test_a_listing_deleted_through_the_app_takes_the_rows_naming_it():
    _host, _visitor, offer, request, _h, _v = pair()
    suggestion_refresh.refresh()
    assert [s.opportunity_id for s in _suggesting(offer)] == [request.pk]
    offer.delete()
    assert not Suggestion.objects.filter(their_opportunity_id=offer.pk).exists()


def test_an_organisation_deleted_while_its_chunk_was_scored_is_not_written(monkeypatch):
    _host, _visitor, _offer, request, _h, _v = pair()
    quiet = OrganisationFactory(name="No listings yet", country="FI")  # one to invite
    quiet.languages.set(request.languages.all())
    quiet.expertise.set(request.topics.all())
    suggestion_refresh.refresh()
    assert Suggestion.objects.filter(opportunity=request, organisation=quiet).exists()
    quiet_id, write = quiet.pk, suggestion_rows.write

    def deleted_first(*args, **kwargs):
        quiet.delete()  # after the network was read and the rows made, before they are written
        write(*args, **kwargs)

    monkeypatch.setattr(suggestion_rows, "write", deleted_first)
    suggestion_refresh.refresh(rewrite=True)
    assert not Suggestion.objects.filter(organisation_id=quiet_id).exists()
    assert Suggestion.objects.filter(opportunity=request).exists()  # the rest of the list is written


def test_a_listing_deleted_while_its_chunk_was_scored_leaves_the_others_written(monkeypatch):
    _host, _visitor, offer, request, _h, _v = pair()
    offer_id, write = offer.pk, suggestion_rows.write

    def deleted_first(*args, **kwargs):
        offer.delete()  # its own list and the rows suggesting it were made
        write(*args, **kwargs)

    monkeypatch.setattr(suggestion_rows, "write", deleted_first)
    suggestion_refresh.refresh()
    assert not Suggestion.objects.filter(their_opportunity_id=offer_id).exists()
    assert not Suggestion.objects.filter(opportunity_id=offer_id).exists()
    assert list(SuggestionRun.objects.values_list("opportunity_id", flat=True)) == [request.pk]


def test_counts_unchanged_leave_the_rows_as_they_are():
    pair()
    present = suggestion_rows.Present.now()
    rows = [(1, 1, Organisation.objects.first().pk, None, 1.0, "[]", "[]", None)]
    assert present.existing(rows, []) == (rows, [])
    OrganisationFactory(name="Created since")  # a new record changes no count up to the last key
    assert present.existing(rows, []) == (rows, [])


def test_rows_left_by_a_deletion_outside_the_app_are_removed_by_the_full_refresh():
    _host, _visitor, _offer, request, _h, _v = pair()
    suggestion_refresh.refresh()
    gone = Organisation.objects.order_by("pk").last().pk + 1000
    # As a deletion past Django's cascade (by hand in the database) would leave them.
    Suggestion.objects.filter(opportunity=request).update(organisation_id=gone)
    assert suggestion_rows.naming_nothing_delete() > 0
    assert not Suggestion.objects.filter(organisation_id=gone).exists()
    assert suggestion_rows.naming_nothing_delete() == 0
