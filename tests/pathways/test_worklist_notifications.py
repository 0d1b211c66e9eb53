"""The daily worklist notification: one per case worker with items due, as a count, in their reminders
delivery (by default the daily digest email)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from matchmaking.core.models import Notification
from matchmaking.core.notification_kinds import DIGEST, group_of, render_body, render_title
from matchmaking.core.notifications import notification_preferences, notification_preferences_update
from matchmaking.core.periodic import run_periodic
from matchmaking.permissions.roles import Role
from tests.factories import OrganisationFactory, member
from tests.factories_participants import case_worker
from tests.pathways.test_worklist import add_due_items, due_world

pytestmark = pytest.mark.django_db


def test_one_notification_per_case_worker_with_the_count_once_a_day():
    world = due_world()
    add_due_items(world["home_org"], world["worker"], timezone.localdate(), tag="b")
    idle = case_worker(OrganisationFactory(key="idle", country="SE"), email="idle@example.org")
    member(Role.COORDINATOR, OrganisationFactory(key="network", country="SE"))
    run_periodic(force=True, only="worklist-digest")
    run_periodic(force=True, only="worklist-digest")
    sent = Notification.objects.filter(kind="worklist.due")
    assert sorted(n.recipient.email for n in sent) == ["nav@example.org", "worker@example.org"]
    mine = sent.get(recipient=world["worker"])
    assert mine.params["count"] == 10
    assert mine.params["steps"] == 2
    assert mine.url == reverse("pathways:worklist")
    assert not Notification.objects.filter(recipient=idle).exists()
    # No per-person rows from this job: only the one count.
    assert Notification.objects.filter(recipient=world["worker"], kind="worklist.due").count() == 1


def test_rendered_as_code_and_params_in_the_readers_language():
    params = {
        "variant": "many",
        "count": 3,
        "breached": 1,
        "deadlines": 0,
        "retention": 1,
        "referrals": 1,
        "steps": 0,
    }
    with translation.override("en"):
        assert render_title("worklist.due", params) == "3 items are due on your worklist"
        assert "follow-ups after exit: 1" in render_body("worklist.due", params)
        assert render_title("worklist.due", {**params, "variant": "one", "count": 1}) == (
            "1 item is due on your worklist"
        )


@override_settings(NOTIFICATION_EMAIL=True)
def test_uses_the_reminders_preference_digest_by_default_or_at_once(django_capture_on_commit_callbacks):
    world = due_world()
    assert group_of("worklist.due").code == "reminders"
    assert notification_preferences(user=world["worker"])["reminders"] == DIGEST
    notification_preferences_update(user=world["stranger"], choices={"reminders": "immediate"})
    with django_capture_on_commit_callbacks(execute=True):
        run_periodic(force=True, only="worklist-digest")
    recipients = [m.to for m in mail.outbox]
    assert [world["stranger"].email] in recipients
    assert [world["worker"].email] not in recipients  # waits for the daily digest
