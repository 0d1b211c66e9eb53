"""Periodic jobs of pathways: referral reminders and the daily worklist notification (which tells each
case worker how many Youth Guarantee deadlines, retention checks, unanswered referrals and overdue steps
are due, in place of one notification per person). Each is idempotent (safe to run twice)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.core.models import Notification
from matchmaking.core.notifications import notify
from matchmaking.core.periodic import periodic_job
from matchmaking.pathways.models import Referral
from matchmaking.pathways.services import referral_remind
from matchmaking.pathways.worklist import worklist_counts
from matchmaking.permissions.roles import Role


@periodic_job("referral-reminders", every=timedelta(days=1))
def referral_reminders(now: datetime) -> str:
    """Remind the sender of referrals still unanswered after the reminder date."""
    late = timezone.localdate(now) - timedelta(days=settings.REFERRAL_REMINDER_DAYS)
    due = Referral.objects.filter(status=Referral.Status.SENT, reminded_at__isnull=True).filter(
        Q(remind_on__lte=timezone.localdate(now)) | Q(remind_on__isnull=True, sent_on__lte=late)
    )
    count = 0
    for referral in due.select_related("participant", "service", "sent_by"):
        referral_remind(referral=referral, now=now)
        count += 1
    return f"{count} referral reminders"


@periodic_job("worklist-digest", every=timedelta(days=1))
def worklist_digest(now: datetime) -> str:
    """Tell each case worker once a day how many items their worklist holds: one notification
    ("N items due", delivered as their reminders preference says, by default in the daily digest email)
    in place of one per person."""
    today = timezone.localdate(now)
    url = reverse("pathways:worklist")
    start = now - timedelta(hours=20)  # a run late by a few hours the next day still notifies
    workers = User.objects.filter(is_active=True, memberships__role=Role.CASE_WORKER).distinct()
    told = set(
        Notification.objects.filter(kind="worklist.due", created_at__gte=start).values_list(
            "recipient_id", flat=True
        )
    )
    count = 0
    for worker in workers.order_by("pk"):
        if worker.pk in told:
            continue
        due = worklist_counts(user=worker, today=today)
        if not due.total:
            continue
        notify(
            kind="worklist.due",
            involved=[worker],
            url=url,
            params={
                "variant": "one" if due.total == 1 else "many",
                "count": due.total,
                "breached": due.breached,
                "deadlines": due.deadlines,
                "retention": due.retention,
                "referrals": due.referrals,
                "steps": due.steps,
            },
        )
        count += 1
    return f"{count} worklist notifications"
