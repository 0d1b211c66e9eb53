"""Background tasks (django-tasks, database backend) and the one way to enqueue them: after commit.

A task enqueued inside a transaction that later rolls back would act on data that never existed, so
every caller goes through ``enqueue_on_commit``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from matchmaking.core.models import Notification


def enqueue_on_commit(task_obj: Any, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


@task()
def send_notification_email(notification_id: int) -> bool:
    """Email one notification; idempotent (a notification already emailed is not sent twice)."""

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    body = notification.body + (f"\n\n{link}" if link else "")
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.title}",
        message=body,
        from_email=None,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True
