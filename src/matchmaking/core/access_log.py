"""The personal-data access log: every read, change or export of a person's details is written here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from matchmaking.core.models import PersonalDataAccess


def access_log_record(
    *,
    user: Any,
    subject: models.Model,
    fields: Iterable[str] = (),
    purpose: str = "",
    kind: str = PersonalDataAccess.READ,
    path: str = "",
) -> PersonalDataAccess:
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return PersonalDataAccess.objects.create(
        user=user if authenticated else None,
        user_label=str(user) if authenticated else "system",
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        fields=list(fields),
        purpose=purpose,
        path=path[:300],
    )
