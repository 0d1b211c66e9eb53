"""Who may see and act on matchmaking events. Default deny; ``access_*`` answer 404 alike for missing
and forbidden.

- The organiser's staff and administrators, and network coordinators, manage an event.
- Any member of the network sees an event once it is no longer a draft; a draft only its managers.
- Staff and administrators of an organisation register it, make and answer its requests, block
  the slots its delegates cannot meet in and give its feedback; a registration's own pages (its
  agenda, its requests) are its organisation's and the managers'. Case workers work with
  participants, not events.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from matchmaking.events.models import Delegate, Event, EventState, Meeting, Registration
from matchmaking.permissions.roles import AnyUser, Role, is_active_user, is_coordinator, roles_of

EVENT_ROLES = frozenset({Role.ORG_ADMIN, Role.STAFF, Role.COORDINATOR})


def event_organisations(user: AnyUser) -> set[int]:
    """Organisations the user may act for at events."""
    return {org for org, role in roles_of(user).items() if role in EVENT_ROLES}


def can_manage_event(user: AnyUser, event: Event) -> bool:
    return is_active_user(user) and (is_coordinator(user) or event.organiser_id in event_organisations(user))


def can_view_event(user: AnyUser, event: Event) -> bool:
    if not is_active_user(user) or not roles_of(user):
        return False
    return event.state != EventState.DRAFT or can_manage_event(user, event)


def can_register(user: AnyUser, event: Event, organisation_id: int) -> bool:
    return can_view_event(user, event) and organisation_id in event_organisations(user)


def can_act_for_registration(user: AnyUser, registration: Registration) -> bool:
    """Make and answer requests, set availability, give feedback: the organisation itself."""
    return is_active_user(user) and registration.organisation_id in event_organisations(user)


def can_view_registration_private(user: AnyUser, registration: Registration) -> bool:
    """A delegation's agenda, requests and delegates' contact details."""
    return can_act_for_registration(user, registration) or can_manage_event(user, registration.event)


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return (
        can_act_for_registration(user, meeting.first)
        or can_act_for_registration(user, meeting.second)
        or can_manage_event(user, meeting.event)
    )


def visible_events(user: AnyUser) -> QuerySet[Event]:
    if not is_active_user(user) or not roles_of(user):
        return Event.objects.none()
    if is_coordinator(user):
        return Event.objects.all()
    return Event.objects.filter(~Q(state=EventState.DRAFT) | Q(organiser_id__in=event_organisations(user)))


def access_event(user: AnyUser, pk: int | str) -> Event:
    event = Event.objects.select_related("organiser").filter(pk=pk).first() if str(pk).isdigit() else None
    if event is None or not can_view_event(user, event):
        raise Http404("No such event.")
    return event


def access_event_for_management(user: AnyUser, pk: int | str) -> Event:
    event = access_event(user, pk)
    if not can_manage_event(user, event):
        raise Http404("No such event.")
    return event


def access_registration(user: AnyUser, event: Event, pk: int | str) -> Registration:
    """A registration whose private pages the user may read."""
    found = (
        Registration.objects.select_related("organisation", "event").filter(pk=pk, event=event).first()
        if str(pk).isdigit()
        else None
    )
    if found is None or not can_view_registration_private(user, found):
        raise Http404("No such registration.")
    return found


def access_registration_for_action(user: AnyUser, event: Event, pk: int | str) -> Registration:
    found = access_registration(user, event, pk)
    if not can_act_for_registration(user, found):
        raise Http404("No such registration.")
    return found


def access_delegate_for_action(user: AnyUser, event: Event, rid: int | str, pk: int | str) -> Delegate:
    """A delegate of a registration the user acts for (to block the slots the person cannot meet in)."""
    registration = access_registration_for_action(user, event, rid)
    found = (
        Delegate.objects.select_related("registration__event")
        .filter(pk=pk, registration=registration)
        .first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        raise Http404("No such delegate.")
    return found


def own_registrations(user: AnyUser, event: Event) -> list[Registration]:
    """The user's organisations' registrations at ``event``."""
    orgs = event_organisations(user)
    if not orgs:
        return []
    return list(
        Registration.objects.filter(event=event, organisation_id__in=orgs).select_related("organisation")
    )


def access_meeting(user: AnyUser, event: Event, pk: int | str) -> Meeting:
    found = (
        Meeting.objects.select_related(
            "first__organisation", "second__organisation", "slot", "table", "event", "request"
        )
        .filter(pk=pk, event=event)
        .first()
        if str(pk).isdigit()
        else None
    )
    if found is None or not can_view_meeting(user, found):
        raise Http404("No such meeting.")
    return found
