"""The region filter of the organisation and listing searches offers the regions of active member
organisations only, grouped by country and named in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from matchmaking.organisations.forms import region_filter_choices
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Region
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _codes(choices) -> dict[str, list[str]]:
    return {group: [code for code, _ in options] for group, options in choices[1:]}


def test_only_the_regions_of_active_members_grouped_by_country():
    swedish, norwegian, unused = (
        Region.objects.filter(country="SE").order_by("code")[0],
        Region.objects.filter(country="NO").order_by("code")[0],
        Region.objects.filter(country="SE").order_by("code")[1],
    )
    OrganisationFactory(country="SE", region=swedish)
    OrganisationFactory(country="SE", region=swedish)  # counted once
    OrganisationFactory(country="NO", region=norwegian, status=Organisation.Status.SUSPENDED)
    OrganisationFactory(country="SE", region=None)
    with translation.override("en"):
        choices = region_filter_choices()
    assert choices[0][0] == ""
    assert _codes(choices) == {"Sweden": [swedish.code]}
    assert unused.code not in str(choices)

    OrganisationFactory(country="NO", region=norwegian)
    with translation.override("sv"):
        assert _codes(region_filter_choices()) == {"Norge": [norwegian.code], "Sverige": [swedish.code]}
