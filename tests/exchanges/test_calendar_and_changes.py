"""The lifecycle follows the calendar and both sides: steps that say the visit happened wait for its
dates; Erasmus+ duration bands; no window in the past; a change of agreed dates is a counter-proposal
the other organisation answers; the six-month question opens six calendar months after the last day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchmaking.core.models import AuditEvent
from matchmaking.exchanges import changes, reports, services
from matchmaking.exchanges.models import CompletionReport, ExchangeChange, State
from matchmaking.mobility import services as mobility_services
from matchmaking.organisations.models import Role
from matchmaking.taxonomies.activity_durations import ACTIVITY_DAYS, duration_problem
from tests.factories import member
from tests.factories_mobility import exchange, item, pair

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
START, END = date(2027, 5, 10), date(2027, 5, 11)


def _reported_ready(ex):
    CompletionReport.objects.create(exchange=ex, host_lessons="One", visitor_lessons="Two")


# --- States that imply a date ----------------------------------------------------------------------

DATED = [
    # action, state before, the date it waits for, the state it gives
    ("start", State.CONFIRMED, START, State.UNDER_WAY),
    ("complete", State.UNDER_WAY, END, State.COMPLETED),
    ("report", State.COMPLETED, END, State.REPORTED),
]


@pytest.mark.parametrize(("action", "before", "day", "after"), DATED)
def test_a_dated_step_is_refused_the_day_before_naming_the_date(on_day, action, before, day, after):
    host, visitor, _o, _r, host_user, _v = pair()
    on_day(TODAY)
    ex = exchange(host, visitor, state=before, start=START, days=2)
    _reported_ready(ex)
    on_day(day - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.exchange_transition(actor=host_user, exchange=ex, action=action)
    assert day.isoformat() in " ".join(refused.value.messages)
    ex.refresh_from_db()
    assert ex.state == before
    assert not AuditEvent.objects.filter(action=f"exchange.{action}").exists()


@pytest.mark.parametrize(("action", "before", "day", "after"), DATED)
def test_a_dated_step_is_accepted_on_the_day(on_day, action, before, day, after):
    host, visitor, _o, _r, host_user, _v = pair()
    ex = exchange(host, visitor, state=before, start=START, days=2)
    _reported_ready(ex)
    on_day(day)
    assert services.exchange_transition(actor=host_user, exchange=ex, action=action).state == after


def test_the_december_story_no_longer_happens(on_day, client):
    """1 Dec 2026, an exchange of 10-11 May 2027: confirmed cannot go on, not by the web, not by the API."""
    host, visitor, _o, _r, host_user, _v = pair()
    on_day(TODAY)
    ex = exchange(host, visitor, state=State.CONFIRMED, start=START, days=2)
    client.force_login(host_user)
    client.post(reverse("exchanges:exchange-transition", args=[ex.pk, "start"]))
    ex.refresh_from_db()
    assert ex.state == State.CONFIRMED
    from tests.exchanges.test_api_write import bearer

    response = client.post(
        f"/api/exchanges/{ex.pk}/start", {}, content_type="application/json", **bearer(host_user)
    )
    assert response.status_code == 409
    assert "2027-05-10" in response.json()["detail"]
    ex.refresh_from_db()
    assert ex.state == State.CONFIRMED


def test_cancelling_has_no_date(on_day):
    host, visitor, _o, _r, host_user, _v = pair()
    on_day(TODAY)
    ex = exchange(host, visitor, state=State.CONFIRMED, start=START, days=2)
    ex = services.exchange_transition(actor=host_user, exchange=ex, action="cancel", reason="No budget")
    assert ex.state == State.CANCELLED


# --- Duration bands and windows ----------------------------------------------------------------------


@pytest.mark.parametrize(("code", "band"), sorted(ACTIVITY_DAYS.items()))
def test_duration_bands_at_their_boundaries(code, band):
    low, high = band
    assert duration_problem(code, low) is None
    assert duration_problem(code, high) is None
    for days in (low - 1, high + 1):
        problem = duration_problem(code, days)
        assert problem is not None
        assert code in problem
        assert f"{low} to {high}" in problem


def test_no_activity_code_has_no_band():
    assert duration_problem("", 1) is None


def _propose(on_day, *, start, end, activity_code="SM-JOB-SHDW"):
    host, _visitor, offer, request, _h, visitor_user = pair()
    on_day(TODAY)
    return services.exchange_propose(
        actor=visitor_user, ours=request, other=host, theirs=offer, message="Hello",
        start=start, end=end, group_size=2, funding="erasmus-ka1", activity_code=activity_code,
    )  # fmt: skip


def test_a_one_day_job_shadowing_is_refused_naming_the_rule(on_day):
    with pytest.raises(ValidationError) as refused:
        _propose(on_day, start=START, end=START)
    assert "end" in refused.value.message_dict
    assert "SM-JOB-SHDW lasts 2 to 60 days" in refused.value.message_dict["end"][0]


def test_a_two_day_job_shadowing_is_accepted(on_day):
    assert _propose(on_day, start=START, end=END).days == 2


def test_a_window_in_the_past_is_refused(on_day):
    with pytest.raises(ValidationError) as refused:
        _propose(on_day, start=date(2026, 11, 2), end=date(2026, 11, 3))
    assert "2026-11-02" in refused.value.message_dict["start"][0]


def test_an_offer_or_request_obeys_the_band_and_no_past_window(on_day):
    _host, _visitor, offer, _request, host_user, _v = pair()
    on_day(TODAY)
    with pytest.raises(ValidationError) as refused:
        mobility_services.opportunity_update(
            actor=host_user, opportunity=offer,
            data={"funding": "erasmus-ka1", "activity_code": "SM-JOB-SHDW", "duration_days": 1},
        )  # fmt: skip
    assert "SM-JOB-SHDW" in refused.value.message_dict["duration_days"][0]
    offer.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        mobility_services.opportunity_update(
            actor=host_user, opportunity=offer,
            data={"earliest": date(2026, 10, 1), "latest": date(2026, 11, 30)},
        )  # fmt: skip
    assert "2026-11-30" in refused.value.message_dict["latest"][0], refused.value.message_dict


# --- Counter-proposals after agreement ----------------------------------------------------------------


def _agreed(on_day, state=State.AGREED):
    host, visitor, _o, _r, host_user, visitor_user = pair()
    on_day(TODAY)
    ex = exchange(host, visitor, state=state, start=START, days=2, activity_code="SM-JOB-SHDW")
    return ex, host_user, visitor_user


def test_before_agreement_a_change_applies_at_once(on_day):
    ex, _h, visitor_user = _agreed(on_day, state=State.PROPOSED)
    result = changes.exchange_update(
        actor=visitor_user, exchange=ex, start=START, end=END + timedelta(days=1), group_size=2
    )
    assert result.end == END + timedelta(days=1)


def test_after_agreement_a_change_waits_for_the_other_side_and_accept_applies_it(on_day):
    ex, host_user, visitor_user = _agreed(on_day)
    change = changes.exchange_update(
        actor=visitor_user, exchange=ex, start=START, end=END + timedelta(days=2), group_size=3
    )
    assert isinstance(change, ExchangeChange)
    assert change.state == ExchangeChange.State.PENDING
    ex.refresh_from_db()
    assert (ex.end, ex.group_size) == (END, 2)  # the agreed values stay
    assert change.values == {
        "end": {"old": "2027-05-11", "new": "2027-05-13"},
        "group_size": {"old": 2, "new": 3},
    }
    with pytest.raises(ValidationError, match="waiting for an answer"):
        changes.exchange_update(actor=host_user, exchange=ex, start=START, end=END, group_size=1)
    changes.exchange_change_answer(actor=host_user, change=change, accept=True)
    ex.refresh_from_db()
    assert (ex.end, ex.group_size) == (END + timedelta(days=2), 3)
    audit = AuditEvent.objects.get(action="exchange.change-accepted")
    assert audit.organisation_id == ex.host_id
    assert audit.before["group_size"] == 2
    assert audit.after["group_size"] == 3
    assert AuditEvent.objects.filter(
        action="exchange.change-proposed", organisation_id=ex.visitor_id
    ).exists()


def test_a_refused_change_leaves_the_agreed_values(on_day):
    ex, host_user, visitor_user = _agreed(on_day, state=State.PLANNING)
    change = changes.exchange_update(actor=host_user, exchange=ex, start=START, end=END, group_size=1)
    changes.exchange_change_answer(actor=visitor_user, change=change, accept=False, reason="We are two")
    ex.refresh_from_db()
    change.refresh_from_db()
    assert ex.group_size == 2
    assert change.state == ExchangeChange.State.REFUSED
    assert AuditEvent.objects.filter(action="exchange.change-refused", reason="We are two").exists()
    with pytest.raises(ValidationError, match="already refused"):
        changes.exchange_change_answer(actor=visitor_user, change=change, accept=True)


def test_the_proposing_side_cannot_answer_its_own_change(on_day, client):
    ex, _host_user, visitor_user = _agreed(on_day)
    colleague = member(Role.STAFF, ex.visitor, email="colleague@example.org")
    change = changes.exchange_update(actor=visitor_user, exchange=ex, start=START, end=END, group_size=3)
    for user in (visitor_user, colleague):
        with pytest.raises(PermissionDenied):
            changes.exchange_change_answer(actor=user, change=change, accept=True)
        client.force_login(user)
        url = reverse("exchanges:change-answer", args=[ex.pk, change.pk])
        assert client.post(url, {"answer": "accept"}).status_code == 404
    change.refresh_from_db()
    assert change.state == ExchangeChange.State.PENDING


def test_another_organisation_gets_a_404(on_day, client):
    ex, _host_user, visitor_user = _agreed(on_day)
    change = changes.exchange_update(actor=visitor_user, exchange=ex, start=START, end=END, group_size=3)
    _h2, _v2, _o2, _r2, outsider, _ = pair()
    client.force_login(outsider)
    assert (
        client.post(
            reverse("exchanges:change-answer", args=[ex.pk, change.pk]), {"answer": "accept"}
        ).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        changes.exchange_change_answer(actor=outsider, change=change, accept=True)


def test_the_page_shows_the_change_and_the_other_side_answers_it(on_day, client):
    ex, host_user, visitor_user = _agreed(on_day)
    change = changes.exchange_update(actor=visitor_user, exchange=ex, start=START, end=END, group_size=3)
    client.force_login(visitor_user)
    page = client.get(ex.get_absolute_url()).content.decode()
    assert "Waiting for the other organisation" in page
    client.force_login(host_user)
    page = client.get(ex.get_absolute_url()).content.decode()
    assert reverse("exchanges:change-answer", args=[ex.pk, change.pk]) in page
    response = client.post(reverse("exchanges:change-answer", args=[ex.pk, change.pk]), {"answer": "accept"})
    assert response.status_code == 302
    ex.refresh_from_db()
    assert ex.group_size == 3


def test_a_change_that_breaks_a_rule_is_refused_naming_the_field(on_day):
    ex, _host_user, visitor_user = _agreed(on_day)
    item(ex, day=START)
    with pytest.raises(ValidationError) as refused:
        changes.exchange_update(actor=visitor_user, exchange=ex, start=START, end=START, group_size=2)
    assert "SM-JOB-SHDW" in refused.value.message_dict["end"][0]
    with pytest.raises(ValidationError) as refused:
        changes.exchange_update(
            actor=visitor_user, exchange=ex, start=date(2026, 11, 1), end=date(2026, 11, 3), group_size=2
        )
    assert "2026-11-03" in refused.value.message_dict["end"][0]
    assert not ExchangeChange.objects.exists()


def test_api_propose_and_answer_a_change(on_day, client):
    from tests.exchanges.test_api_write import bearer

    ex, host_user, visitor_user = _agreed(on_day)
    body = {"start": "2027-05-10", "end": "2027-05-12", "group_size": 2}
    response = client.post(
        f"/api/exchanges/{ex.pk}/changes", body, content_type="application/json", **bearer(visitor_user)
    )
    assert response.status_code == 201, response.content
    change_id = response.json()["id"]
    own = client.post(
        f"/api/exchanges/{ex.pk}/changes/{change_id}/accept", {}, content_type="application/json",
        **bearer(visitor_user),
    )  # fmt: skip
    assert own.status_code == 404
    answered = client.post(
        f"/api/exchanges/{ex.pk}/changes/{change_id}/accept", {}, content_type="application/json",
        **bearer(host_user),
    )  # fmt: skip
    assert answered.status_code == 200
    assert answered.json()["state"] == "accepted"
    ex.refresh_from_db()
    assert ex.end == date(2027, 5, 12)
    bad = client.post(
        f"/api/exchanges/{ex.pk}/changes", {**body, "end": "2027-05-10"},
        content_type="application/json", **bearer(visitor_user),
    )  # fmt: skip
    assert bad.status_code == 422
    assert "end" in bad.content.decode()


# --- The six-month question ----------------------------------------------------------------------------


def test_the_six_month_question_opens_six_calendar_months_after_the_end(on_day):
    host, visitor, _o, _r, host_user, _v = pair()
    on_day(TODAY)
    ex = exchange(host, visitor, state=State.COMPLETED, start=date(2026, 8, 30), days=2)  # ends 31 Aug
    assert services.follow_up_opens(ex) == date(2027, 2, 28)
    on_day(date(2027, 2, 27))
    with pytest.raises(ValidationError) as refused:
        reports.feedback_save(actor=host_user, exchange=ex, feedback="maybe", follow_up="contact")
    assert "2027-02-28" in refused.value.message_dict["follow_up"][0]
    assert not CompletionReport.objects.filter(exchange=ex).exclude(host_feedback="").exists()
    on_day(date(2027, 2, 28))
    report = reports.feedback_save(actor=host_user, exchange=ex, follow_up="contact")
    assert report.host_follow_up == "contact"


def test_feedback_right_after_the_visit_is_still_open(on_day):
    host, visitor, _o, _r, host_user, _v = pair()
    on_day(TODAY)
    ex = exchange(host, visitor, state=State.COMPLETED, start=date(2026, 11, 20), days=2)
    assert reports.feedback_save(actor=host_user, exchange=ex, feedback="maybe").host_feedback == "maybe"


def test_confirming_waits_for_the_answer_to_a_pending_change(on_day):
    ex, host_user, visitor_user = _agreed(on_day, state=State.PLANNING)
    changes.exchange_update(actor=visitor_user, exchange=ex, start=START, end=END, group_size=3)
    with pytest.raises(ValidationError, match="proposed change"):
        services.exchange_transition(actor=host_user, exchange=ex, action="confirm")
    ex.refresh_from_db()
    assert ex.state == State.PLANNING


def test_a_visitors_own_dates_keep_the_band(on_day):
    from matchmaking.exchanges import programme

    ex, _host_user, visitor_user = _agreed(on_day, state=State.PLANNING)
    with pytest.raises(ValidationError) as refused:
        programme.visitor_save(
            actor=visitor_user, exchange=ex, data={"name": "Maja", "start": START, "end": START}
        )
    assert "SM-JOB-SHDW" in refused.value.message_dict["end"][0]
    assert not ex.visitors.exists()
    programme.visitor_save(actor=visitor_user, exchange=ex, data={"name": "Maja", "start": START, "end": END})
