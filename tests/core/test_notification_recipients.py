"""Recipients through the real services: an exchange proposal reaches the staff and administrators of
the other organisation, never its case workers; the answer goes back to who proposed and the
administrators; each email is in its reader's language with the dates, the other party and the link."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.utils import translation

from matchmaking.core.models import Notification
from matchmaking.exchanges import services
from matchmaking.organisations.models import Role
from tests.factories import member
from tests.factories_mobility import pair

pytestmark = pytest.mark.django_db

START = date(2027, 3, 1)


@pytest.fixture
def proposed(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_EMAIL = True
    settings.SITE_URL = "https://mmt.example.org"
    host, visitor, offer, request, host_user, visitor_user = pair()
    host_user.preferred_language = "es"
    host_user.save()
    people = {
        "host_admin": member(Role.ORG_ADMIN, host),
        "host_case_worker": member(Role.CASE_WORKER, host),
        "visitor_admin": member(Role.ORG_ADMIN, visitor),
        "visitor_staff": member(Role.STAFF, visitor),
        "host_user": host_user,
        "visitor_user": visitor_user,
    }
    with django_capture_on_commit_callbacks(execute=True):
        found = services.exchange_propose(
            actor=visitor_user,
            ours=request,
            other=host,
            theirs=offer,
            message="Hello from Borås",
            start=START,
            end=date(2027, 3, 3),
            group_size=2,
        )
    return found, people


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_a_proposal_reaches_staff_and_administrators_of_the_other_side_only(proposed):
    _found, people = proposed
    assert _told("exchange.proposed") == {people["host_user"].email, people["host_admin"].email}


def test_the_proposal_email_is_in_the_readers_language_and_acts(proposed):
    found, people = proposed
    (spanish,) = [m for m in mail.outbox if m.to == [people["host_user"].email]]
    assert "Visitor Org" in spanish.subject
    assert "1 de marzo de 2027" in spanish.body
    assert f"https://mmt.example.org{found.get_absolute_url()}" in spanish.body
    assert "Hello from Borås" in spanish.body


def test_the_answer_goes_to_who_proposed_and_the_administrators(proposed, django_capture_on_commit_callbacks):
    found, people = proposed
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_accept(actor=people["host_user"], exchange=found)
    assert _told("exchange.accept") == {people["visitor_user"].email, people["visitor_admin"].email}
    with translation.override("en"):
        title = Notification.objects.filter(kind="exchange.accept").first().display_title
    assert title.startswith("Host Org accepted the exchange")
