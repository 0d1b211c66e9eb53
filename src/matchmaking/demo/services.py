"""Load the demo network into the database: idempotent, so ``make demo`` can run any number of times."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType

from django.db import transaction
from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.accounts.services import email_mark_verified
from matchmaking.demo import events, exchanges, library, mobility, participants, pathways, placements
from matchmaking.demo.network import DemoUser, build_demo_document, demo_users
from matchmaking.interchange.document import parse_document
from matchmaking.interchange.services import ImportSummary, interchange_import, known_organisation_keys
from matchmaking.organisations.models import Organisation
from matchmaking.organisations.services import membership_add

# The demo's shared password; override with DEMO_PASSWORD. Never used outside the demo profile.
DEFAULT_DEMO_PASSWORD = "demo-mobility-2026"  # noqa: S105


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


# Each capability's demo data: ``clear()``, where there is one, removes the previous demo rows of that
# capability (run for all of them first, the last one first) and ``demo_extend(today=...)`` adds them
# again and returns a one-line summary. They run in this order.
DEMO_EXTENSIONS: tuple[ModuleType, ...] = (
    mobility,
    exchanges,
    library,
    participants,
    placements,
    pathways,
    events,
)


@dataclass
class DemoLoadResult:
    summary: ImportSummary
    users_created: int
    users: list[DemoUser]
    extensions: list[str] = field(default_factory=list)


@transaction.atomic
def demo_load(*, today: date | None = None) -> DemoLoadResult:
    """Import the demo organisations and opportunities (dates relative to today) and the demo users.

    Records are matched on their ids, so a second run updates instead of duplicating; the opportunities'
    dates move with today so the demo never goes stale.
    """
    document = parse_document(build_demo_document(today or timezone.localdate()), known_organisation_keys())
    summary = interchange_import(actor=None, document=document, is_demo=True)
    created = 0
    users = demo_users()
    for demo_user in users:
        user = User.objects.filter(email=demo_user.email).first()
        if user is None:
            user = User.objects.create_user(
                email=demo_user.email, password=demo_password(), name=demo_user.name
            )
            created += 1
        email_mark_verified(user=user)
        organisation = Organisation.objects.get(key=demo_user.organisation)
        if not user.memberships.filter(organisation=organisation, role=demo_user.role).exists():
            membership_add(actor=None, organisation=organisation, user=user, role=demo_user.role)
    for app in reversed(DEMO_EXTENSIONS):
        if hasattr(app, "clear"):
            app.clear()
    extensions = [_extend(app, today or timezone.localdate()) for app in DEMO_EXTENSIONS]
    return DemoLoadResult(
        summary=summary, users_created=created, users=users, extensions=[e for e in extensions if e]
    )


def _extend(app: ModuleType, today: date) -> str:
    name = app.__name__.rsplit(".", 1)[-1]
    return f"{name}: {app.demo_extend(today=today)}"
