"""The Erasmus+ reporting flags of an exchange (green travel, blended, force majeure): set by either
organisation on the page or through the API (anyone else: 404), recorded in the history, carried by
the interchange format and the per-mobility export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matchmaking.accounts.services import api_token_create
from matchmaking.core.models import AuditEvent
from matchmaking.exchanges.flags import exchange_flags_set
from matchmaking.exchanges.models import Exchange, State
from matchmaking.interchange.document import parse_document
from matchmaking.interchange.selectors import exchange_record
from matchmaking.interchange.services import interchange_import
from matchmaking.monitoring import mobilities
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, pair, visitor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    ex = exchange(host, visitor, state=State.CONFIRMED, activity_code="SM-JOB-SHDW")
    visitor_of(ex)
    outsider = member(Role.ORG_ADMIN, OrganisationFactory(name="Elsewhere"), email="out@example.org")
    return {"ex": ex, "host_user": host_user, "visitor_user": visitor_user, "outsider": outsider}


def test_either_side_sets_the_flags_and_the_history_records_them(world):
    ex = world["ex"]
    exchange_flags_set(
        actor=world["visitor_user"], exchange=ex, green_travel=True, blended=False, force_majeure=False
    )
    exchange_flags_set(
        actor=world["host_user"], exchange=ex, green_travel=True, blended=True, force_majeure=False
    )
    ex.refresh_from_db()
    assert (ex.green_travel, ex.blended, ex.force_majeure) == (True, True, False)
    events = AuditEvent.objects.filter(action="exchange.updated", object_id=str(ex.pk)).order_by("pk")
    assert [(e.before, e.after) for e in events] == [
        ({"green_travel": False}, {"green_travel": True}),
        ({"blended": False}, {"blended": True}),
    ]
    # Nothing changed: nothing recorded.
    exchange_flags_set(
        actor=world["host_user"], exchange=ex, green_travel=True, blended=True, force_majeure=False
    )
    assert events.count() == 2


def test_another_organisation_cannot_set_them_and_a_declined_proposal_has_none(world):
    with pytest.raises(PermissionDenied):
        exchange_flags_set(
            actor=world["outsider"], exchange=world["ex"], green_travel=True, blended=True, force_majeure=True
        )
    Exchange.objects.filter(pk=world["ex"].pk).update(state=State.DECLINED)
    world["ex"].refresh_from_db()
    with pytest.raises(ValidationError):
        exchange_flags_set(
            actor=world["host_user"],
            exchange=world["ex"],
            green_travel=True,
            blended=False,
            force_majeure=False,
        )


def test_the_exchange_page_shows_and_saves_the_flags(world, client):
    ex = world["ex"]
    url = reverse("exchanges:exchange-flags", args=[ex.pk])
    client.force_login(world["outsider"])
    assert client.post(url, {"green_travel": "on"}).status_code == 404
    client.force_login(world["visitor_user"])
    page = client.get(ex.get_absolute_url())
    assert b"Reporting flags" in page.content
    response = client.post(url, {"green_travel": "on", "force_majeure": "on"})
    assert response.status_code == 302
    ex.refresh_from_db()
    assert (ex.green_travel, ex.blended, ex.force_majeure) == (True, False, True)
    assert "green travel" in client.get(ex.get_absolute_url()).content.decode()


def test_the_api_reads_and_sets_the_flags_for_the_two_organisations_only(world, client):
    ex = world["ex"]

    def put(user, body):
        _, token = api_token_create(user=user, name="test")
        return client.put(
            f"/api/exchanges/{ex.pk}/flags", body, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )  # fmt: skip

    body = {"green_travel": False, "blended": True, "force_majeure": False}
    assert put(world["outsider"], body).status_code == 404
    response = put(world["host_user"], body)
    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in body} == body
    ex.refresh_from_db()
    assert ex.blended


def test_the_interchange_format_carries_the_flags_and_leaves_them_when_absent(world):
    ex = world["ex"]
    Exchange.objects.filter(pk=ex.pk).update(green_travel=True, force_majeure=True)
    ex.refresh_from_db()
    record = exchange_record(ex)
    assert (record.green_travel, record.blended, record.force_majeure) == (True, False, True)
    raw = {
        "format_version": 2,
        "exchanges": [
            {
                "id": ex.key, "host": ex.host.key, "visitor": ex.visitor.key, "proposed_by": ex.visitor.key,
                "type": "job-shadowing", "state": "confirmed", "start": ex.start.isoformat(),
                "end": ex.end.isoformat(), "group_size": 2, "blended": True,
            }
        ],
    }  # fmt: skip
    known = {ex.host.key, ex.visitor.key}
    document = parse_document(raw, known_organisations=known)
    interchange_import(actor=None, document=document)
    ex.refresh_from_db()
    # blended was given; the two flags the file leaves out keep their stored values.
    assert (ex.green_travel, ex.blended, ex.force_majeure) == (True, True, True)
    bad = {**raw, "exchanges": [{**raw["exchanges"][0], "green_travel": "yes"}]}
    with pytest.raises(Exception, match="green_travel"):
        parse_document(bad, known_organisations=known)


def test_the_per_mobility_export_has_the_flags_of_the_exchange(world, coordinator):
    Exchange.objects.filter(pk=world["ex"].pk).update(green_travel=True, blended=False, force_majeure=True)
    row = next(r for r in mobilities.mobility_export(user=coordinator).rows if r["source"] == "exchange")
    assert (row["green_travel"], row["blended"], row["force_majeure"]) == ("yes", "no", "yes")


def test_a_proposal_can_say_the_visit_is_blended(client):
    host, _visitor, offer, request, _host_user, visitor_user = pair()
    client.force_login(visitor_user)
    start = timezone.localdate() + timedelta(days=40)
    response = client.post(
        reverse("exchanges:exchange-propose") + f"?ours={request.key}&theirs={offer.key}",
        {
            "ours": request.key, "theirs": offer.key, "message": "Hello", "start": start.isoformat(),
            "end": (start + timedelta(days=2)).isoformat(), "group_size": 2, "blended": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    assert Exchange.objects.get(host=host).blended
