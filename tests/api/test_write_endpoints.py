"""The write endpoints a program needs: propose an exchange saying who visits and who hosts, accept,
decline or counter-propose, write in the exchange's thread, write the report and the feedback, edit the
organisation's profile. Each: the happy path, a read token refused, another organisation's token
answered 404, bad input a 422 naming the field; a refusal writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from matchmaking.accounts.models import ApiToken
from matchmaking.core.models import AuditEvent
from matchmaking.exchanges.models import CompletionReport, Exchange, ExchangeChange, Message, State
from matchmaking.organisations.models import Role
from tests.api_auth import bearer
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, pair

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, auth: dict[str, str], body: dict | None = None):
    return getattr(client, method)(url, body or {}, content_type="application/json", **auth)


def fields(response) -> list[str]:
    """The fields a 422 names."""
    assert response.status_code == 422, response.content
    return [error["loc"][-1] for error in response.json()["detail"]]


def outsider():
    return member(Role.STAFF, OrganisationFactory(name="Elsewhere"))


# --- Proposing -------------------------------------------------------------------------------------


def proposal(host, visitor, offer, request, **changes) -> dict:
    start = timezone.localdate() + timedelta(days=30)
    return {
        "visitor": visitor.key,
        "host": host.key,
        "listing": request.key,
        "answers": offer.key,
        "message": "We would like to learn how you reach young people early.",
        "start": start.isoformat(),
        "end": (start + timedelta(days=2)).isoformat(),
        "group_size": 2,
        **changes,
    }


def test_the_visitor_proposes_a_visit_stating_both_sides(client):
    host, visitor, offer, request, _host_user, visitor_user = pair()
    response = send(
        client, "post", "/api/exchanges", bearer(visitor_user), proposal(host, visitor, offer, request)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["visitor"], body["host"], body["state"]) == (visitor.key, host.key, "proposed")
    ex = Exchange.objects.get(pk=body["id"])
    assert (ex.offer, ex.request, ex.proposed_by) == (offer, request, visitor)
    assert Message.objects.get(exchange=ex).body.startswith("We would like")
    assert AuditEvent.objects.filter(action="exchange.proposed", object_id=str(ex.pk)).exists()
    listed = client.get("/api/exchanges", **bearer(visitor_user)).json()
    assert [e["id"] for e in listed] == [ex.pk]


def test_the_host_proposes_to_host(client):
    host, visitor, offer, request, host_user, _visitor_user = pair()
    body = proposal(host, visitor, offer, request, listing=offer.key, answers=request.key)
    response = send(client, "post", "/api/exchanges", bearer(host_user), body)
    assert response.status_code == 201, response.content
    assert (response.json()["host"], response.json()["visitor"]) == (host.key, visitor.key)
    assert Exchange.objects.get().proposed_by == host


def test_a_proposal_needs_a_write_token(client):
    host, visitor, offer, request, _host_user, visitor_user = pair()
    auth = bearer(visitor_user, ApiToken.Scope.READ)
    response = send(client, "post", "/api/exchanges", auth, proposal(host, visitor, offer, request))
    assert response.status_code == 403
    assert not Exchange.objects.exists()


def test_another_organisation_cannot_propose_with_their_listing(client):
    host, visitor, offer, request, _host_user, _visitor_user = pair()
    response = send(
        client, "post", "/api/exchanges", bearer(outsider()), proposal(host, visitor, offer, request)
    )
    assert fields(response) == ["listing"]  # named, in the same words for unknown and forbidden
    assert not Exchange.objects.exists()


def test_an_unknown_key_is_refused_naming_its_field(client):
    host, visitor, offer, request, _host_user, visitor_user = pair()
    body = {**proposal(host, visitor, offer, request), "answers": "no-such-listing"}
    response = send(client, "post", "/api/exchanges", bearer(visitor_user), body)
    assert fields(response) == ["answers"]
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"host": "VISITOR"}, "host"),  # the visitor named as host too
        ({"visitor": "HOST", "host": "VISITOR"}, "listing"),  # reversed: a request cannot host
        ({"answers": "REQUEST"}, "answers"),  # a request cannot answer a request
        ({"message": ""}, "message"),
        ({"group_size": 0}, "group_size"),
        ({"funding": "lottery"}, "funding"),
        ({"activity_code": "SM-JOB-SHDW", "end": "START"}, "end"),  # one day; the rule is 2 to 60
        ({"end": "YESTERDAY", "start": "YESTERDAY"}, "start"),  # a window in the past
        ({"start": "not a date"}, "start"),
    ],
)
def test_a_bad_proposal_is_refused_naming_the_field(client, changes, field):
    host, visitor, offer, request, _host_user, visitor_user = pair()
    body = proposal(host, visitor, offer, request)
    values = {
        "VISITOR": visitor.key,
        "HOST": host.key,
        "REQUEST": request.key,
        "START": body["start"],
        "YESTERDAY": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    body.update({k: values.get(v, v) if isinstance(v, str) else v for k, v in changes.items()})
    response = send(client, "post", "/api/exchanges", bearer(visitor_user), body)
    assert field in fields(response)
    assert not Exchange.objects.exists()
    assert not Message.objects.exists()


# --- Accept, decline, counter-propose --------------------------------------------------------------


def test_the_host_accepts_or_declines_the_proposal(client):
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    first, second = exchange(host, visitor), exchange(host, visitor)
    auth = bearer(host_user)
    accepted = send(client, "post", f"/api/exchanges/{first.pk}/accept", auth)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == State.AGREED
    assert fields(send(client, "post", f"/api/exchanges/{second.pk}/decline", auth)) == ["reason"]
    declined = send(client, "post", f"/api/exchanges/{second.pk}/decline", auth, {"reason": "Full"})
    assert declined.json()["state"] == State.DECLINED
    # The proposing side cannot answer its own proposal.
    third = exchange(host, visitor)
    assert send(client, "post", f"/api/exchanges/{third.pk}/accept", bearer(visitor_user)).status_code == 409


def test_answering_needs_a_write_token_and_one_of_the_two_organisations(client):
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = exchange(host, visitor)
    url = f"/api/exchanges/{ex.pk}/accept"
    assert send(client, "post", url, bearer(host_user, ApiToken.Scope.READ)).status_code == 403
    assert send(client, "post", url, bearer(outsider())).status_code == 404
    ex.refresh_from_db()
    assert ex.state == State.PROPOSED


def test_a_counter_proposal_of_dates_is_accepted_by_the_other_side(client):
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    ex = exchange(host, visitor, state=State.AGREED)
    start = ex.start + timedelta(days=7)
    dates = {"start": start.isoformat(), "end": (start + timedelta(days=2)).isoformat(), "group_size": 2}
    proposed = send(client, "post", f"/api/exchanges/{ex.pk}/changes", bearer(host_user), dates)
    assert proposed.status_code == 201, proposed.content
    change_id = proposed.json()["id"]
    ex.refresh_from_db()
    assert ex.start != start  # the agreed dates stay until the other side accepts
    url = f"/api/exchanges/{ex.pk}/changes/{change_id}/accept"
    assert send(client, "post", url, bearer(visitor_user, ApiToken.Scope.READ)).status_code == 403
    assert send(client, "post", url, bearer(outsider())).status_code == 404
    assert send(client, "post", url, bearer(host_user)).status_code == 404  # not by the side proposing
    answered = send(client, "post", url, bearer(visitor_user))
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == ExchangeChange.State.ACCEPTED
    ex.refresh_from_db()
    assert ex.start == start


def test_a_bad_counter_proposal_names_the_field(client):
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = exchange(host, visitor, state=State.AGREED)
    url = f"/api/exchanges/{ex.pk}/changes"
    auth = bearer(host_user)
    same = {"start": ex.start.isoformat(), "end": ex.end.isoformat()}
    assert fields(send(client, "post", url, auth, {**same, "group_size": 0})) == ["group_size"]
    backwards = {"start": ex.end.isoformat(), "end": ex.start.isoformat(), "group_size": 2}
    assert fields(send(client, "post", url, auth, backwards)) == ["end"]
    assert not ExchangeChange.objects.exists()


# --- The exchange's thread -------------------------------------------------------------------------


def test_write_and_read_the_exchange_thread(client):
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    ex = exchange(host, visitor)
    url = f"/api/exchanges/{ex.pk}/messages"
    written = send(client, "post", url, bearer(host_user), {"body": "Welcome! Which dates suit you?"})
    assert written.status_code == 201, written.content
    assert written.json()["organisation"] == host.key
    thread = client.get(url, **bearer(visitor_user)).json()
    assert [m["body"] for m in thread] == ["Welcome! Which dates suit you?"]


def test_the_thread_is_for_the_two_organisations_with_a_write_token(client):
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = exchange(host, visitor)
    url = f"/api/exchanges/{ex.pk}/messages"
    assert (
        send(client, "post", url, bearer(host_user, ApiToken.Scope.READ), {"body": "Hi"}).status_code == 403
    )
    stranger = bearer(outsider())
    assert send(client, "post", url, stranger, {"body": "Hi"}).status_code == 404
    assert client.get(url, **stranger).status_code == 404
    assert fields(send(client, "post", url, bearer(host_user), {"body": ""})) == ["body"]
    assert fields(send(client, "post", url, bearer(host_user), {"body": "a\x00b"})) == ["body"]
    assert not Message.objects.exists()


# --- The report and the feedback -------------------------------------------------------------------


def finished(host, visitor, *, days_ago: int = 2, state: str = State.UNDER_WAY) -> Exchange:
    return exchange(host, visitor, state=state, start=timezone.localdate() - timedelta(days=days_ago), days=2)


def test_both_sides_write_the_report_then_mark_it_reported(client):
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    ex = finished(host, visitor, state=State.COMPLETED)
    url = f"/api/exchanges/{ex.pk}/report"
    host_part = {"summary": "Two days in Madrid.", "host_lessons": ["Plan the first morning", "Pair early"]}
    written = send(client, "put", url, bearer(host_user), host_part)
    assert written.status_code == 200, written.content
    assert written.json()["host_lessons"] == ["Plan the first morning", "Pair early"]
    assert send(client, "post", url, bearer(host_user)).status_code == 409  # the visitors' lessons missing
    written = send(client, "put", url, bearer(visitor_user), {"visitor_lessons": ["Outreach in pairs"]})
    assert written.json()["summary"] == "Two days in Madrid."  # fields left out stay
    reported = send(client, "post", url, bearer(visitor_user))
    assert reported.status_code == 200, reported.content
    assert reported.json()["state"] == State.REPORTED
    assert client.get(url, **bearer(host_user)).json()["visitor_lessons"] == ["Outreach in pairs"]


def test_the_report_is_for_the_two_organisations_with_a_write_token(client):
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = finished(host, visitor)
    url = f"/api/exchanges/{ex.pk}/report"
    assert (
        send(client, "put", url, bearer(host_user, ApiToken.Scope.READ), {"summary": "x"}).status_code == 403
    )
    assert send(client, "put", url, bearer(outsider()), {"summary": "x"}).status_code == 404
    assert fields(send(client, "put", url, bearer(host_user), {"host_lessons": ["one\ntwo"]})) == [
        "host_lessons"
    ]
    assert fields(send(client, "put", url, bearer(host_user), {"summary": 3})) == ["summary"]
    assert not CompletionReport.objects.exists()
    early = exchange(host, visitor, state=State.PROPOSED)
    refused = send(client, "put", f"/api/exchanges/{early.pk}/report", bearer(host_user), {"summary": "x"})
    assert refused.status_code == 409
    assert not CompletionReport.objects.exists()


def test_feedback_now_and_the_six_month_answer_when_it_opens(client):
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    recent = finished(host, visitor, state=State.COMPLETED)
    url = f"/api/exchanges/{recent.pk}/feedback"
    given = send(client, "put", url, bearer(host_user), {"feedback": "planned"})
    assert given.status_code == 200, given.content
    assert (given.json()["host_feedback"], given.json()["visitor_feedback"]) == ("planned", "")
    too_early = send(client, "put", url, bearer(host_user), {"follow_up": "reciprocal"})
    assert fields(too_early) == ["follow_up"]
    assert "six months" in too_early.json()["detail"][0]["msg"]
    long_ago = timezone.localdate() - relativedelta(months=7)
    old = exchange(host, visitor, state=State.REPORTED, start=long_ago, days=2)
    answered = send(
        client, "put", f"/api/exchanges/{old.pk}/feedback", bearer(visitor_user), {"follow_up": "contact"}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["visitor_follow_up"] == "contact"


def test_feedback_is_for_the_two_organisations_with_a_write_token(client):
    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = finished(host, visitor, state=State.COMPLETED)
    url = f"/api/exchanges/{ex.pk}/feedback"
    assert (
        send(client, "put", url, bearer(host_user, ApiToken.Scope.READ), {"feedback": "maybe"}).status_code
        == 403
    )
    assert send(client, "put", url, bearer(outsider()), {"feedback": "maybe"}).status_code == 404
    assert fields(send(client, "put", url, bearer(host_user), {"feedback": "brilliant"})) == ["feedback"]
    assert fields(send(client, "put", url, bearer(host_user), {})) == ["feedback"]
    assert not CompletionReport.objects.exists()


# --- The organisation's profile --------------------------------------------------------------------


def test_an_administrator_edits_the_profile(client):
    admin = member(Role.ORG_ADMIN)
    organisation = admin.memberships.get().organisation
    url = f"/api/organisations/{organisation.key}"
    changed = send(client, "patch", url, bearer(admin), {"city": "Vigo", "languages": ["en", "sv"]})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["city"], changed.json()["languages"]) == ("Vigo", ["en", "sv"])
    organisation.refresh_from_db()
    assert organisation.city == "Vigo"
    assert AuditEvent.objects.filter(action="organisation.updated", object_id=str(organisation.pk)).exists()


def test_the_profile_is_edited_by_its_administrators_with_a_write_token(client):
    admin = member(Role.ORG_ADMIN)
    organisation = admin.memberships.get().organisation
    url = f"/api/organisations/{organisation.key}"
    before = organisation.city
    assert send(client, "patch", url, bearer(admin, ApiToken.Scope.READ), {"city": "X"}).status_code == 403
    assert send(client, "patch", url, bearer(member(Role.ORG_ADMIN)), {"city": "X"}).status_code == 404
    assert (
        send(client, "patch", url, bearer(member(Role.STAFF, organisation)), {"city": "X"}).status_code == 404
    )
    organisation.refresh_from_db()
    assert organisation.city == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "castle"}, "kind"),
        ({"country": "SE", "region": "ES51"}, "region"),
        ({"erasmus_id": "12345"}, "erasmus_id"),
        ({"hosting_capacity": -1}, "hosting_capacity"),
        ({"languages": []}, "languages"),
        ({"website": "not a web address"}, "website"),
        ({"name": None}, "name"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_field(client, body, field):
    admin = member(Role.ORG_ADMIN)
    organisation = admin.memberships.get().organisation
    before = (organisation.name, organisation.country, organisation.hosting_capacity)
    response = send(client, "patch", f"/api/organisations/{organisation.key}", bearer(admin), body)
    assert field in fields(response)
    organisation.refresh_from_db()
    assert (organisation.name, organisation.country, organisation.hosting_capacity) == before
