"""Fixtures shared by the partner-suggestion tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matchmaking.mobility.models import SuggestionRun
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import langs, opportunity, pair


@pytest.fixture
def lonely(db):
    """A request in Polish only: nothing shares its language, so nothing passes the rules."""
    _host, _visitor, offer, _request, _host_user, _visitor_user = pair()
    krakow = OrganisationFactory(name="Labour Office Kraków", country="PL")
    krakow.languages.set(langs("pl"))
    request = opportunity(krakow, direction="request", languages=("pl",), group_size=3)
    user = member(email="krakow@example.org", organisation=krakow)
    SuggestionRun.objects.create(opportunity=request, computed_at=timezone.now(), candidates=0)
    return {"request": request, "user": user, "offer": offer}
