"""Who receives a notification (by role and involvement), how (in the app, email at once, daily digest,
as each person chose), and the emails: in the recipient's language, with the dates, the other party and
an absolute link that acts; the digest is sent once, never twice, and a failed send is tried again."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone, translation

from matchmaking.core.models import Notification, NotificationPreference
from matchmaking.core.notification_kinds import DIGEST, IMMEDIATE, IN_APP
from matchmaking.core.notifications import (
    delivery_for,
    notification_digest,
    notification_preferences,
    notification_preferences_update,
    notify,
)
from matchmaking.organisations.models import Membership, Role
from tests.factories import OrganisationFactory, member

PARAMS = {"org": "Borås Stad", "title": "Youth work", "start": "2027-03-01", "end": "2027-03-05"}
URL = "/exchanges/7/"


@pytest.fixture
def organisation(db):
    found = OrganisationFactory()
    people = {role: member(role, found) for role in (Role.ORG_ADMIN, Role.STAFF, Role.CASE_WORKER)}
    return found, people


def _memberships(organisation):
    return Membership.objects.filter(organisation=organisation).select_related("user")


@pytest.fixture
def mailed(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_EMAIL = True
    settings.SITE_URL = "https://mmt.example.org"

    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**kwargs)

    return send


def test_exchange_news_goes_to_staff_and_administrators_never_to_case_workers(organisation, mailed):
    found, people = organisation
    sent = mailed(kind="exchange.proposed", params=PARAMS, url=URL, memberships=_memberships(found))
    assert {n.recipient for n in sent} == {people[Role.ORG_ADMIN], people[Role.STAFF]}


def test_an_answer_to_a_proposal_goes_to_who_proposed_and_the_administrators(organisation, mailed):
    found, people = organisation
    proposer = member(Role.STAFF, found)
    sent = mailed(
        kind="exchange.accept", params=PARAMS, url=URL, memberships=_memberships(found), involved=[proposer]
    )
    assert {n.recipient for n in sent} == {proposer, people[Role.ORG_ADMIN]}


def test_participant_news_goes_only_to_the_person_involved(organisation, mailed):
    found, people = organisation
    sent = mailed(
        kind="round.unplaced",
        params={"participant": "P-1", "round": "Spring"},
        memberships=_memberships(found),
        involved=[people[Role.CASE_WORKER], None],
    )
    assert [n.recipient for n in sent] == [people[Role.CASE_WORKER]]


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(kind="no.such-kind", params={})


def test_preferences_have_defaults_and_can_be_changed(organisation):
    _found, people = organisation
    user = people[Role.STAFF]
    assert delivery_for(user=user, kind="exchange.proposed") == IMMEDIATE
    assert delivery_for(user=user, kind="exchange.updated") == DIGEST
    assert delivery_for(user=user, kind="mobility.saved-search") == IN_APP
    notification_preferences_update(user=user, choices={"decisions": DIGEST})
    assert notification_preferences(user=user)["decisions"] == DIGEST
    assert delivery_for(user=user, kind="exchange.proposed") == DIGEST
    with pytest.raises(ValueError, match="Unknown notification group or delivery"):
        notification_preferences_update(user=user, choices={"decisions": "carrier-pigeon"})


def test_the_email_is_in_the_recipients_language_with_dates_other_party_and_link(organisation, mailed):
    found, people = organisation
    people[Role.STAFF].preferred_language = "de"
    people[Role.STAFF].save()
    mailed(kind="exchange.proposed", params=PARAMS, url=URL, text="Hej!", memberships=_memberships(found))
    german = next(m for m in mail.outbox if m.to == [people[Role.STAFF].email])
    english = next(m for m in mail.outbox if m.to == [people[Role.ORG_ADMIN].email])
    assert german.subject.startswith("[Mobility Matchmaking] Borås Stad")
    assert "1. März 2027" in german.body
    assert "5. März 2027" in german.body
    assert "1 March 2027" in english.body
    assert "https://mmt.example.org/exchanges/7/" in german.body
    assert "Hej!" in german.body
    assert german.body.endswith("https://mmt.example.org/account/notifications/")
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_information_waits_for_the_digest_and_in_app_is_never_emailed(organisation, mailed):
    found, people = organisation
    NotificationPreference.objects.create(user=people[Role.STAFF], group="exchanges", delivery=IN_APP)
    mailed(
        kind="exchange.updated", params={**PARAMS, "group_size": 3}, url=URL, memberships=_memberships(found)
    )
    assert mail.outbox == []
    assert Notification.objects.count() == 2


def test_the_digest_is_sent_once_with_everything_waiting(organisation, mailed):
    found, people = organisation
    admin = people[Role.ORG_ADMIN]
    admin.preferred_language = "sv"
    admin.save()
    mailed(
        kind="exchange.updated", params={**PARAMS, "group_size": 3}, url=URL, memberships=_memberships(found)
    )
    mailed(
        kind="story.published",
        params={"title": "Our visit"},
        url="/library/1/",
        memberships=_memberships(found),
    )
    mailed(kind="exchange.proposed", params=PARAMS, url=URL, memberships=_memberships(found))  # at once
    immediate = len(mail.outbox)
    assert immediate == 2  # the proposal, to the administrator and the staff member
    now = timezone.now() + timedelta(hours=1)

    assert notification_digest(now) == "2 digest emails sent"
    digests = mail.outbox[immediate:]
    assert len(digests) == 2
    (swedish,) = [m for m in digests if m.to == [admin.email]]
    assert "1 mars 2027" in swedish.body  # the dates, in the reader's language
    assert "https://mmt.example.org/exchanges/7/" in swedish.body
    assert "https://mmt.example.org/library/1/" in swedish.body
    assert "https://mmt.example.org/account/notifications/" in swedish.body

    assert notification_digest(now + timedelta(days=1)) == "0 digest emails sent"
    assert len(mail.outbox) == immediate + 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_digest_that_fails_to_send_is_sent_on_the_next_run(organisation, mailed):
    found, _people = organisation
    mailed(
        kind="exchange.updated", params={**PARAMS, "group_size": 3}, url=URL, memberships=_memberships(found)
    )
    now = timezone.now() + timedelta(hours=1)
    down = mock.patch("matchmaking.core.tasks.send_mail", side_effect=ConnectionError("down"))
    with down, pytest.raises(ConnectionError):
        notification_digest(now)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    assert notification_digest(now) == "2 digest emails sent"
    assert notification_digest(now) == "0 digest emails sent"


def test_the_digest_leaves_out_rows_written_before_and_in_app_choices(organisation, mailed):
    found, people = organisation
    Notification.objects.create(recipient=people[Role.STAFF], kind="exchange.updated", title="Old")
    NotificationPreference.objects.create(user=people[Role.STAFF], group="exchanges", delivery=IN_APP)
    mailed(
        kind="exchange.updated", params={**PARAMS, "group_size": 3}, url=URL, memberships=_memberships(found)
    )
    assert notification_digest(timezone.now() + timedelta(hours=1)) == "1 digest emails sent"
    assert [m.to for m in mail.outbox] == [[people[Role.ORG_ADMIN].email]]


def test_the_notifications_page_renders_in_the_readers_language(organisation, mailed, client, settings):
    found, people = organisation
    mailed(kind="exchange.proposed", params=PARAMS, url=URL, memberships=_memberships(found))
    client.force_login(people[Role.STAFF])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    with translation.override(settings.LANGUAGE_CODE):  # the request's language stays behind otherwise
        html = client.get("/notifications/").content.decode()
    assert "1. März 2027" in html
    assert f'href="{URL}"' in html


def test_who_proposed_hears_only_while_still_a_member(organisation, mailed):
    found, people = organisation
    left = member(Role.STAFF)  # a member of another organisation now
    sent = mailed(
        kind="exchange.accept", params=PARAMS, url=URL, memberships=_memberships(found), involved=[left]
    )
    assert {n.recipient for n in sent} == {people[Role.ORG_ADMIN], people[Role.STAFF]}


def test_the_digest_is_a_daily_periodic_job():
    from matchmaking.core.periodic import registered_jobs

    (job,) = [j for j in registered_jobs() if j.name == "notification-digest"]
    assert job.every == timedelta(days=1)
