"""What the dashboard shows each person: the things that need them, read through each area's selectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matchmaking.accounts.models import User
from matchmaking.core.models import Notification
from matchmaking.exchanges.selectors import exchange_list
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations import selectors as organisation_selectors
from matchmaking.organisations.models import JoinApplication
from matchmaking.participants.selectors import CaseloadFilters, caseload_rows
from matchmaking.permissions.roles import is_coordinator, requires_two_factor

# Exchanges that are over need nobody's attention on the dashboard.
_FINISHED_EXCHANGES = ("reported", "declined", "cancelled", "expired")


@dataclass
class Dashboard:
    organisations: list[Any]
    notifications: list[Any]
    pending_applications: list[Any] = field(default_factory=list)
    exchanges: list[Any] = field(default_factory=list)
    opportunities: list[Any] = field(default_factory=list)
    overdue_clocks: list[Any] = field(default_factory=list)
    sees_participants: bool = False


def dashboard_for(*, user: User) -> Dashboard:

    organisations = list(organisation_selectors.user_organisations(user=user))
    board = Dashboard(
        organisations=organisations,
        notifications=list(Notification.objects.filter(recipient=user)[:5]),
        pending_applications=list(
            organisation_selectors.application_list(user=user, status=JoinApplication.Status.PENDING)[:10]
        ),
        exchanges=list(exchange_list(user=user).exclude(state__in=_FINISHED_EXCHANGES)[:6]),
        opportunities=list(
            Opportunity.objects.filter(organisation__in=organisations, status=Opportunity.Status.OPEN)
            .select_related("organisation", "type")
            .order_by("latest")[:6]
        ),
        sees_participants=requires_two_factor(user) and not is_coordinator(user),
    )
    if board.sees_participants:
        board.overdue_clocks = caseload_rows(user=user, filters=CaseloadFilters(clock="overdue"), limit=5)
    return board
