"""Coordinators read a completion report on the web as the API shows it to them: the report and the
quotes whose author consented, read-only; anyone outside the exchange gets a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.exchanges import models as exchange_models
from matchmaking.exchanges.models import CompletionReport, State
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = exchange(host, visitor, state=State.REPORTED, start=timezone.localdate() - timedelta(days=40))
    CompletionReport.objects.create(exchange=ex, summary="Two days in Barcelona", host_lessons="One\nTwo")
    exchange_models.Testimonial.objects.create(
        exchange=ex, organisation=visitor, author_name="Maja", text="Good", consent=True
    )
    exchange_models.Testimonial.objects.create(
        exchange=ex, organisation=visitor, author_name="Tove", text="Secret"
    )
    return ex, host_user


def test_coordinator_reads_the_report_with_consented_quotes_only(client, coordinator, reported):
    ex, _host_user = reported
    client.force_login(coordinator)
    response = client.get(reverse("exchanges:report", args=[ex.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Two days in Barcelona" in page
    assert "Maja" in page
    assert "Tove" not in page
    assert "Secret" not in page
    assert 'method="post"' not in page.split("<main", 1)[-1]  # nothing to change
    assert client.post(reverse("exchanges:report", args=[ex.pk]), {"summary": "x"}).status_code == 404


def test_the_organisations_still_edit_and_see_every_quote(client, reported):
    ex, host_user = reported
    client.force_login(host_user)
    page = client.get(reverse("exchanges:report", args=[ex.pk])).content.decode()
    assert "Tove" in page


def test_an_outsider_gets_404(client, reported):
    ex, _host_user = reported
    client.force_login(member(Role.STAFF, OrganisationFactory(), email="outsider@example.org"))
    assert client.get(reverse("exchanges:report", args=[ex.pk])).status_code == 404
