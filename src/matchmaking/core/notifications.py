"""Notifications: in-app rows written with the change, email sent by a background task after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from matchmaking.core.models import Notification
from matchmaking.core.tasks import enqueue_on_commit, send_notification_email


def notify(
    *, recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Notify each recipient once (duplicates in ``recipients`` are ignored)."""
    created = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notification = Notification.objects.create(recipient=user, kind=kind, title=title, body=body, url=url)
        created.append(notification)
        if settings.NOTIFICATION_EMAIL:
            enqueue_on_commit(send_notification_email, notification.pk)
    return created


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) unread notification of ``user`` as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The notifications of ``user``, newest first."""
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
