"""Who may see and export monitoring data: coordinators the whole network, members their own
organisations' mobilities."""

from __future__ import annotations

from matchmaking.permissions.roles import (
    PERSONAL_DATA_ROLES,
    AnyUser,
    is_active_user,
    is_coordinator,
    is_member,
    roles_of,
)


def can_export_mobilities(user: AnyUser) -> bool:
    """Coordinators export every mobility; any member exports its own organisations' mobilities."""
    return is_active_user(user) and is_member(user)


def mobility_export_organisations(user: AnyUser) -> list[int] | None:
    """The organisations whose sent or received mobilities ``user`` may export (None: all of them)."""
    if not can_export_mobilities(user):
        return []
    if is_coordinator(user):
        return None
    return list(roles_of(user))


def flag_organisations(user: AnyUser) -> set[int] | None:
    """The sending organisations whose people's "fewer opportunities" flag ``user`` may see per person
    (None: every one). The flag is special-category data: coordinators, and an organisation's own
    roles with personal-data rights (administrators, case workers), never other staff."""
    if is_coordinator(user):
        return None
    return {org for org, role in roles_of(user).items() if role in PERSONAL_DATA_ROLES}


def can_view_cockpit(user: AnyUser) -> bool:
    """The monitoring cockpit: the coordinator sees the network, every member its own organisations."""
    return is_active_user(user) and is_member(user)


def cockpit_scope(user: AnyUser) -> set[int] | None:
    """The organisations whose figures ``user`` may see in the cockpit (None: the whole network)."""
    if not can_view_cockpit(user):
        return set()
    if is_coordinator(user):
        return None
    return set(roles_of(user))


def can_manage_monitoring(user: AnyUser) -> bool:
    """Targets and learner counts (denominators) are the coordinator's."""
    return is_active_user(user) and is_coordinator(user)
