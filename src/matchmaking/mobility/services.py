"""Write paths for offers and requests (opportunities) and saved searches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record, changed_values
from matchmaking.core.notifications import notify
from matchmaking.core.tasks import enqueue_on_commit
from matchmaking.mobility import tasks
from matchmaking.mobility.access import can_edit_opportunity, can_post_opportunities
from matchmaking.mobility.models import ActivityType, Direction, Funding, Opportunity, SavedSearch, Support
from matchmaking.mobility.search import refresh_opportunity_search
from matchmaking.organisations.models import Membership, Organisation
from matchmaking.permissions.roles import AnyUser, is_member, signed_in
from matchmaking.taxonomies.activity_durations import duration_problem
from matchmaking.taxonomies.models import LANGUAGES_SCHEME
from matchmaking.taxonomies.selectors import terms_by_code

TERM_LISTS = {"topics": "practice-topics", "target_groups": "target-groups", "languages": LANGUAGES_SCHEME}
_SCALARS = ("direction", "earliest", "latest", "duration_days", "group_size", "description")
_EXTRA = ("funding", "activity_code", "support_offered", "support_notes")

# Which status changes people may make, and the words for them.
STATUS_CHANGES: dict[str, tuple[str, ...]] = {
    Opportunity.Status.DRAFT: (Opportunity.Status.OPEN, Opportunity.Status.CLOSED),
    Opportunity.Status.OPEN: (Opportunity.Status.PAUSED, Opportunity.Status.CLOSED),
    Opportunity.Status.PAUSED: (Opportunity.Status.OPEN, Opportunity.Status.CLOSED),
    Opportunity.Status.CLOSED: (Opportunity.Status.OPEN,),
    Opportunity.Status.EXPIRED: (Opportunity.Status.OPEN,),
}


def opportunity_data(opportunity: Opportunity) -> dict[str, Any]:
    """The opportunity as plain codes (the interchange format's fields without ids)."""
    return {
        "type": opportunity.type.code,
        "direction": opportunity.direction,
        "topics": sorted(t.code for t in opportunity.topics.all()),
        "target_groups": sorted(t.code for t in opportunity.target_groups.all()),
        "languages": sorted(t.code for t in opportunity.languages.all()),
        "earliest": opportunity.earliest,
        "latest": opportunity.latest,
        "duration_days": opportunity.duration_days,
        "group_size": opportunity.group_size,
        "description": opportunity.description,
    }


def opportunity_full_data(opportunity: Opportunity) -> dict[str, Any]:
    """Everything an edit form or the API shows: the interchange fields plus funding and support."""
    return {
        **opportunity_data(opportunity),
        "funding": opportunity.funding,
        "activity_code": opportunity.activity_code,
        "support_offered": list(opportunity.support_offered),
        "support_notes": opportunity.support_notes,
        "status": opportunity.status,
    }


def _apply(opportunity: Opportunity, data: dict[str, Any]) -> None:
    window_before = opportunity.latest
    if "type" in data:
        opportunity.type = terms_by_code(scheme="opportunity-types", codes=[data["type"]], field="type")[0]
    for name in (*_SCALARS, *_EXTRA):
        if name in data:
            value = data[name]
            if value is None and name in ("description", "support_notes", "funding", "activity_code"):
                value = ""
            setattr(opportunity, name, value)
    if opportunity.direction not in Direction.values:
        raise ValidationError({"direction": _("Choose offer or request.")})
    if opportunity.funding not in Funding.values:
        raise ValidationError({"funding": _("Choose one of the funding options.")})
    if opportunity.activity_code not in ActivityType.values:
        raise ValidationError({"activity_code": _("Choose one of the Erasmus+ activity types.")})
    unknown = [s for s in opportunity.support_offered or [] if s not in Support.values]
    if unknown:
        raise ValidationError({"support_offered": _("Unknown support: %(s)s") % {"s": ", ".join(unknown)}})
    if opportunity.earliest and opportunity.latest and opportunity.latest < opportunity.earliest:
        raise ValidationError({"latest": _("The latest date is before the earliest date.")})
    if opportunity.earliest and opportunity.latest:
        window = (opportunity.latest - opportunity.earliest).days + 1
        if opportunity.duration_days > window:
            raise ValidationError(
                {
                    "duration_days": _("%(d)s days do not fit in the date window.")
                    % {"d": opportunity.duration_days}
                }
            )
    problem = duration_problem(opportunity.activity_code, opportunity.duration_days)
    if problem:
        raise ValidationError({"duration_days": problem})
    if (
        "latest" in data
        and opportunity.latest
        and opportunity.latest < timezone.localdate()
        and opportunity.latest != window_before
    ):
        raise ValidationError(
            {"latest": _("The latest date, %(date)s, is in the past.") % {"date": opportunity.latest}}
        )
    opportunity.full_clean(exclude=["topics", "target_groups", "languages", "created_by"])
    opportunity.save()
    for name, scheme in TERM_LISTS.items():
        if name in data:
            getattr(opportunity, name).set(terms_by_code(scheme=scheme, codes=data[name] or [], field=name))
    refresh_opportunity_search([opportunity.pk])


def new_opportunity_key(organisation: Organisation, direction: str, type_code: str) -> str:
    base = slugify(f"{organisation.key}-{direction}-{type_code}")[:80]
    key, n = base, 1
    while Opportunity.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def _changed(opportunity: Opportunity, *, created: bool = False) -> None:
    """After any change: refresh the suggestions it affects in the background; alert saved searches
    for new ones."""

    tasks.schedule_refresh(opportunities=[opportunity.key])
    if created and opportunity.status == Opportunity.Status.OPEN:
        enqueue_on_commit(tasks.saved_search_alerts, opportunity.pk)


@transaction.atomic
def opportunity_create(
    *, actor: AnyUser, organisation: Organisation, data: dict[str, Any], key: str | None = None
) -> Opportunity:
    if actor is not None and not can_post_opportunities(actor, organisation):
        raise PermissionDenied
    status = data.get("status", Opportunity.Status.OPEN)
    if status not in (Opportunity.Status.OPEN, Opportunity.Status.DRAFT):
        raise ValidationError({"status": _("A new offer or request is either open or a draft.")})
    key = key or new_opportunity_key(organisation, data.get("direction", ""), data.get("type", ""))
    opportunity = Opportunity(key=key, organisation=organisation, created_by=signed_in(actor), status=status)
    _apply(opportunity, data)
    audit_record(
        actor=actor,
        action="opportunity.created",
        obj=opportunity,
        after=opportunity_full_data(opportunity),
        organisation_id=organisation.pk,
    )
    _changed(opportunity, created=True)
    return opportunity


@transaction.atomic
def opportunity_update(*, actor: AnyUser, opportunity: Opportunity, data: dict[str, Any]) -> Opportunity:
    if actor is not None and not can_edit_opportunity(actor, opportunity):
        raise PermissionDenied
    data = {k: v for k, v in data.items() if k != "status"}
    before = opportunity_full_data(opportunity)
    _apply(opportunity, data)
    old, new = changed_values(before, opportunity_full_data(opportunity))
    if new:
        audit_record(
            actor=actor,
            action="opportunity.updated",
            obj=opportunity,
            before=old,
            after=new,
            organisation_id=opportunity.organisation_id,
        )
        _changed(opportunity)
    return opportunity


@transaction.atomic
def opportunity_set_status(
    *, actor: AnyUser, opportunity: Opportunity, status: str, reason: str = ""
) -> Opportunity:
    """Publish, pause, reopen or close; a change not in ``STATUS_CHANGES`` is refused with a message."""
    if actor is not None and not can_edit_opportunity(actor, opportunity):
        raise PermissionDenied
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if status not in STATUS_CHANGES.get(opportunity.status, ()):
        raise ValidationError(
            _("A %(current)s offer or request cannot become %(new)s.")
            % {
                "current": opportunity.get_status_display().lower(),
                "new": dict(Opportunity.Status.choices).get(status, status).lower(),
            }
        )
    if status == Opportunity.Status.OPEN and opportunity.latest and opportunity.latest < timezone.localdate():
        raise ValidationError(_("The date window is over; change the dates before opening it again."))
    before = opportunity.status
    was_draft = before == Opportunity.Status.DRAFT
    opportunity.status = status
    if status == Opportunity.Status.OPEN:
        opportunity.reminded_at = None
    opportunity.save(update_fields=["status", "reminded_at", "updated_at"])
    audit_record(
        actor=actor,
        action="opportunity.status",
        obj=opportunity,
        before={"status": before},
        after={"status": status},
        reason=reason,
        organisation_id=opportunity.organisation_id,
    )
    _changed(opportunity, created=was_draft and status == Opportunity.Status.OPEN)
    return opportunity


# --- Saved searches --------------------------------------------------------------------------------


@transaction.atomic
def saved_search_create(
    *, actor: AnyUser, name: str, filters: dict[str, Any], alerts: bool = True
) -> SavedSearch:
    person = signed_in(actor)
    if person is None or not is_member(person):
        raise PermissionDenied
    clean = {k: v for k, v in filters.items() if v not in ("", None, [], False)}
    search = SavedSearch.objects.create(
        user=person, name=name.strip()[:120] or _("My search"), filters=clean, alerts=alerts
    )
    audit_record(actor=actor, action="saved-search.created", obj=search, after={"filters": clean})
    return search


@transaction.atomic
def saved_search_delete(*, actor: AnyUser, search: SavedSearch) -> None:
    if search.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    audit_record(actor=actor, action="saved-search.deleted", obj=search, before={"filters": search.filters})
    search.delete()


# --- Expiry (the periodic job) -----------------------------------------------------------------------


def _members(organisation_id: int) -> list[User]:
    return [m.user for m in Membership.objects.filter(organisation_id=organisation_id).select_related("user")]


@transaction.atomic
def opportunity_expire(*, opportunity: Opportunity) -> Opportunity:
    """The date window is over: the offer or request expires and its organisation is told."""
    before = opportunity.status
    opportunity.status = Opportunity.Status.EXPIRED
    opportunity.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=None,
        action="opportunity.expired",
        obj=opportunity,
        before={"status": before},
        after={"status": opportunity.status},
        reason="window over",
        organisation_id=opportunity.organisation_id,
    )
    notify(
        memberships=Membership.objects.filter(organisation_id=opportunity.organisation_id).select_related(
            "user"
        ),
        involved=[opportunity.created_by],
        kind="mobility.expired",
        params={"type": opportunity.type.code, "date": opportunity.latest},
        url=opportunity.get_absolute_url(),
    )
    return opportunity


@transaction.atomic
def opportunity_remind_expiry(*, opportunity: Opportunity, now: datetime) -> Opportunity:
    """Remind the organisation, once, that the date window ends soon."""
    opportunity.reminded_at = now
    opportunity.save(update_fields=["reminded_at"])
    notify(
        memberships=Membership.objects.filter(organisation_id=opportunity.organisation_id).select_related(
            "user"
        ),
        involved=[opportunity.created_by],
        kind="mobility.expiring",
        params={"type": opportunity.type.code, "date": opportunity.latest},
        url=opportunity.get_absolute_url(),
    )
    return opportunity
