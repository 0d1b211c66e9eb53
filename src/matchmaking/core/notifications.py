"""Notifications: in-app rows written with the change, stored as a kind and its parameters and rendered
in the reader's language; emailed at once by a background task after commit, or in a daily digest, or
not at all, as each person chose for that group of kinds.

Who receives what is decided here, from the table in ``notification_kinds.py``: callers hand over the
memberships of the organisations concerned (only the roles the kind names keep theirs) and, where there
is one, the person involved (the key worker, who proposed, who sent the referral).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from matchmaking.core.models import Notification, NotificationPreference
from matchmaking.core.notification_kinds import (
    DELIVERY_CHOICES,
    GROUPS,
    IMMEDIATE,
    KINDS,
    STAFF,
    group_of,
    render_title,
)
from matchmaking.core.periodic import periodic_job
from matchmaking.core.tasks import enqueue_on_commit, send_notification_digest, send_notification_email


def _plain(value: Any) -> Any:
    """A parameter as JSON can keep it: dates as ISO strings, objects as their text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):  # parts of a sentence written at display time (an exchange's title)
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def notify(
    *,
    kind: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    text: str = "",
    memberships: Iterable[Any] = (),
    involved: Iterable[Any] = (),
    recipients: Iterable[Any] = (),
    title: str = "",
    body: str = "",
) -> list[Notification]:
    """Notify, once each, the members among ``memberships`` (objects with ``user`` and ``role``) whose
    role receives ``kind`` and the ``involved`` people (when the kind has an involved person).

    ``params`` fill the kind's sentences; ``text`` is what a person wrote (a message, a reason), shown
    as written under them. A kind outside the catalogue may still be sent to explicit ``recipients``
    with a ready ``title`` and ``body`` (shown as stored, in one language: for tests and one-off tools).
    """
    found = KINDS.get(kind)
    if found is None:
        if not title:
            raise ValueError(f"Unknown notification kind: {kind}")
        return _create(list(recipients), kind=kind, title=title, body=body, url=url, params=None)
    stored = {k: _plain(v) for k, v in (params or {}).items()}
    members = list(memberships)
    people = [u for u in involved if u is not None and u.is_active] if found.involvement else []
    if found.roles:  # who proposed or posted hears only while still a member of the organisation
        people = [u for u in people if any(m.user_id == u.pk for m in members)]
    roles = set(found.roles)
    if found.prefer_involved and people:
        roles.discard(STAFF)
    with translation.override(settings.LANGUAGE_CODE):  # kept for the admin and older readers
        fallback = (render_title(kind, stored) or kind)[:200]
    return _create(
        [*people, *(m.user for m in members if m.role in roles)],
        kind=kind,
        title=fallback,
        body=text.strip(),
        url=url,
        params=stored,
    )


def _create(
    recipients: list[Any], *, kind: str, title: str, body: str, url: str, params: dict[str, Any] | None
) -> list[Notification]:
    created = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notification = Notification.objects.create(
            recipient=user, kind=kind, title=title, body=body, url=url, params=params
        )
        created.append(notification)
        if settings.NOTIFICATION_EMAIL and (
            params is None or delivery_for(user=user, kind=kind) == IMMEDIATE
        ):
            enqueue_on_commit(send_notification_email, notification.pk)
    return created


# --- Preferences ---------------------------------------------------------------------------------------


def notification_preferences(*, user: Any) -> dict[str, str]:
    """Group code → delivery for ``user``: their choice, else the group's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("group", "delivery"))
    return {code: chosen.get(code, group.default) for code, group in GROUPS.items()}


def delivery_for(*, user: Any, kind: str) -> str:
    group = group_of(kind)
    chosen = (
        NotificationPreference.objects.filter(user=user, group=group.code)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or group.default


@transaction.atomic
def notification_preferences_update(*, user: Any, choices: Mapping[str, str]) -> dict[str, str]:
    """Store ``user``'s delivery per group (unknown groups or deliveries are refused)."""
    allowed = {code for code, _label in DELIVERY_CHOICES}
    for group, delivery in choices.items():
        if group not in GROUPS or delivery not in allowed:
            raise ValueError(f"Unknown notification group or delivery: {group}={delivery}")
        NotificationPreference.objects.update_or_create(
            user=user, group=group, defaults={"delivery": delivery}
        )
    return notification_preferences(user=user)


# --- Reading ---------------------------------------------------------------------------------------------


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


# --- Daily digest ---------------------------------------------------------------------------------------

# How far back the digest looks for notifications not yet emailed (a missed day is caught up).
DIGEST_LOOKBACK = timedelta(days=7)


@periodic_job("notification-digest", every=timedelta(days=1))
def notification_digest(now: datetime) -> str:
    """Send each person one email with their notifications chosen for the daily digest."""
    if not settings.NOTIFICATION_EMAIL:
        return "notification email is turned off"
    waiting = (
        Notification.objects.filter(
            emailed_at__isnull=True, params__isnull=False, created_at__gte=now - DIGEST_LOOKBACK
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = sum(1 for user_id in sorted(set(waiting)) if send_notification_digest(user_id=user_id, now=now))
    return f"{sent} digest emails sent"
