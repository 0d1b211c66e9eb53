"""The audit trail: every state change is recorded here, in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from matchmaking.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | frozenset):
        return (
            sorted(_plain(v) for v in value)
            if isinstance(value, set | frozenset)
            else [_plain(v) for v in value]
        )
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def changed_values(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, so the trail reads as a list of real changes."""
    keys = [k for k in after if _plain(before.get(k)) != _plain(after.get(k))]
    return {k: _plain(before.get(k)) for k in keys}, {k: _plain(after.get(k)) for k in keys}


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    organisation_id: int | None = None,
) -> AuditEvent:
    """Write one audit event; call it inside the service's transaction."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        organisation_id=organisation_id,
        before=_plain(before or {}),
        after=_plain(after or {}),
        reason=reason,
    )


# Every action code written to the trail, as words (a test keeps this list complete).
ACTION_LABELS = {
    # Organisations and members
    "organisation.created": _("Organisation created"),
    "organisation.updated": _("Profile changed"),
    "organisation.status_changed": _("Membership status changed"),
    "organisations.introduced": _("Organisations introduced to each other"),
    "application.submitted": _("Application submitted"),
    "application.approved": _("Application approved"),
    "application.refused": _("Application refused"),
    "invitation.created": _("Invitation sent"),
    "invitation.accepted": _("Invitation accepted"),
    "membership.added": _("Member added"),
    "membership.role_changed": _("Role changed"),
    "membership.removed": _("Member removed"),
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    # Offers, requests and searches
    "opportunity.created": _("Offer or request created"),
    "opportunity.updated": _("Offer or request changed"),
    "opportunity.status": _("Offer or request opened or closed"),
    "opportunity.expired": _("Offer or request expired"),
    "saved-search.created": _("Search saved"),
    "saved-search.deleted": _("Saved search deleted"),
    # Exchanges
    "exchange.proposed": _("Exchange proposed"),
    "exchange.updated": _("Exchange changed"),
    "exchange.change-proposed": _("Change of dates or group size proposed"),
    "exchange.change-accepted": _("Proposed change accepted"),
    "exchange.change-refused": _("Proposed change refused"),
    "exchange.accept": _("Exchange accepted"),
    "exchange.decline": _("Exchange declined"),
    "exchange.plan": _("Exchange moved to planning"),
    "exchange.confirm": _("Exchange confirmed"),
    "exchange.start": _("Exchange started"),
    "exchange.complete": _("Exchange completed"),
    "exchange.report": _("Exchange report written"),
    "exchange.cancel": _("Exchange cancelled"),
    "exchange.expired": _("Exchange proposal expired"),
    "exchange.imported": _("Exchange imported"),
    "exchange.message": _("Message sent"),
    "conversation.message": _("Message sent to a partner organisation"),
    "exchange.programme-saved": _("Programme item saved"),
    "exchange.programme-removed": _("Programme item removed"),
    "exchange.visitor-saved": _("Visitor saved"),
    "exchange.visitor-removed": _("Visitor removed"),
    "exchange.feedback": _("Feedback given"),
    "exchange.quote-added": _("Quote added"),
    "exchange.quote-consent": _("Consent to a quote changed"),
    "exchange.reciprocal-draft": _("Return visit drafted"),
    # Good-practice library
    "story.created": _("Story created"),
    "story.updated": _("Story changed"),
    "story.approved": _("Story approved"),
    "story.published": _("Story published"),
    "story.withdrawn": _("Story withdrawn"),
    # Participants
    "participant.create": _("Participant registered"),
    "participant.update": _("Participant's profile changed"),
    "participant.identity-update": _("Participant's identity changed"),
    "participant.key-worker": _("Key worker changed"),
    "participant.barriers": _("Barriers changed"),
    "participant.language": _("Language saved"),
    "participant.language-remove": _("Language removed"),
    "participant.occupation-interest": _("Occupations of interest changed"),
    "participant.erase": _("Participant's personal data erased"),
    "skill.add": _("Skill added"),
    "skill.update": _("Skill changed"),
    "skill.remove": _("Skill removed"),
    "skill.reject-suggestion": _("Suggested skill rejected"),
    "consent.give": _("Consent given"),
    "consent.revoke": _("Consent withdrawn"),
    "group.add": _("Added to the group"),
    "group.access": _("Group access changed"),
    "group.end": _("Left the group"),
    # Pathways
    "goal.create": _("Goal added"),
    "step.create": _("Step added"),
    "step.update": _("Step changed"),
    "meeting.record": _("Meeting recorded"),
    "assessment.record": _("Assessment recorded"),
    "offer.record": _("Offer recorded"),
    "outcome.record": _("Outcome recorded"),
    "retention-check.record": _("Follow-up check recorded"),
    "referral.send": _("Referral sent"),
    "referral.update": _("Referral changed"),
    "referral.answer": _("Referral answered"),
    "referral.withdraw": _("Referral withdrawn (consent revoked)"),
    "support-service.create": _("Support service added"),
    # Placements and allocation rounds
    "placement.create": _("Placement created"),
    "placement.update": _("Placement changed"),
    "waiting-list.add": _("Added to the waiting list"),
    "waiting-list.remove": _("Removed from the waiting list"),
    "round.create": _("Allocation round created"),
    "round.propose": _("Allocation round computed"),
    "round.confirm": _("Allocation round confirmed"),
    "round.cancel": _("Allocation round computation cancelled"),
    "round.reclaim": _("Allocation round computation restarted"),
    "proposal.accept": _("Proposal accepted"),
    "proposal.decline": _("Proposal declined"),
    "proposal.override": _("Proposal changed by a reviewer"),
    "assignment.propose": _("Person proposed to a host"),
    "assignment.hold": _("Proposal put on hold for an interview"),
    "assignment.accept": _("Person accepted for a placement"),
    "assignment.decline": _("Person declined for a placement"),
    "assignment.withdraw": _("Proposal to a host withdrawn"),
    "assignment.start": _("Placement started"),
    "assignment.attendance": _("Attendance noted"),
    "assignment.end": _("Placement ended"),
    "proposal.contest": _("Proposal contested"),
    "proposal.offer": _("Freed seat offered"),
    "proposal.hold-expired": _("Held seat released"),
    "contest.answer": _("Contest answered"),
    # Monitoring
    "target.set": _("Target set"),
    "target.removed": _("Target removed"),
    "learners.set": _("Learner numbers entered"),
    "learners.imported": _("Learner numbers imported"),
    "indicators.exported": _("Indicators exported"),
    "mobilities.exported": _("Mobilities exported"),
    # Networking events
    "event.created": _("Event created"),
    "event.updated": _("Event changed"),
    "event.state": _("Event status changed"),
    "event.session-added": _("Session added"),
    "event.session-removed": _("Session removed"),
    "event.table-added": _("Table added"),
    "event.table-removed": _("Table removed"),
    "event.registered": _("Registered for the event"),
    "event.registration-updated": _("Registration changed"),
    "event.delegate-blocked-slots": _("Slots a delegate cannot meet in changed"),
    "event.withdrawn": _("Registration withdrawn"),
    "event.delegate-added": _("Delegate added"),
    "event.delegate-removed": _("Delegate removed"),
    "event.availability": _("Availability changed"),
    "event.request": _("Meeting requested"),
    "event.request-answered": _("Meeting request answered"),
    "event.request-withdrawn": _("Meeting request withdrawn"),
    "event.schedule-requested": _("Meeting schedule requested"),
    "event.schedule-computed": _("Meeting schedule computed"),
    "event.reminders": _("Reminders sent"),
    "event.check-in": _("Checked in"),
    "event.meeting-marked": _("Meeting marked"),
    "event.feedback": _("Event feedback given"),
    "event.follow-up": _("Event follow-up recorded"),
    "event.meeting-to-exchange": _("Meeting turned into an exchange"),
    "event.meeting-placed": _("Meeting placed by hand"),
}


def action_label(action: str) -> str:
    """An action code as words in the reader's language (an unknown code as plain words)."""
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    return action.replace(".", ": ").replace("_", " ").replace("-", " ").capitalize()


# --- Changes as sentences --------------------------------------------------------------------------

# Names of the values services record that are not fields of the changed object (or whose field has no
# translated name); a field's own verbose name is used first.
KEY_LABELS = {
    "accessible": pgettext_lazy("a recorded value", "step-free access"),
    "added": pgettext_lazy("a recorded value", "added"),
    "attempts": pgettext_lazy("a recorded value", "attempts"),
    "author": pgettext_lazy("a recorded value", "author"),
    "can_view_personal": pgettext_lazy("a recorded value", "may see personal data"),
    "capacity": pgettext_lazy("a recorded value", "capacity"),
    "checked_in": pgettext_lazy("a recorded value", "checked in"),
    "consent": pgettext_lazy("a recorded value", "consent"),
    "count": pgettext_lazy("a recorded value", "number"),
    "day": pgettext_lazy("a recorded value", "day"),
    "days": pgettext_lazy("a recorded value", "days"),
    "definitions": pgettext_lazy("a recorded value", "definitions"),
    "delegate": pgettext_lazy("a recorded value", "delegate"),
    "delegates": pgettext_lazy("a recorded value", "delegates"),
    "email": pgettext_lazy("a recorded value", "email"),
    "end": pgettext_lazy("a recorded value", "end"),
    "failed": pgettext_lazy("a recorded value", "failed"),
    "fields": pgettext_lazy("a recorded value", "fields"),
    "file": pgettext_lazy("a recorded value", "file"),
    "filters": pgettext_lazy("a recorded value", "filters"),
    "floor": pgettext_lazy("a recorded value", "floor"),
    "format": pgettext_lazy("a recorded value", "format"),
    "from": pgettext_lazy("a recorded value", "from"),
    "group_size": pgettext_lazy("a recorded value", "group size"),
    "held": pgettext_lazy("a recorded value", "held"),
    "host": pgettext_lazy("a recorded value", "host"),
    "how": pgettext_lazy("a recorded value", "how"),
    "learners": pgettext_lazy("a recorded value", "learners"),
    "message": pgettext_lazy("a recorded value", "message"),
    "method": pgettext_lazy("a recorded value", "method"),
    "months": pgettext_lazy("a recorded value", "months"),
    "name": pgettext_lazy("a recorded value", "name"),
    "note": pgettext_lazy("a recorded value", "note"),
    "organisation": pgettext_lazy("a recorded value", "organisation"),
    "outcome": pgettext_lazy("a recorded value", "outcome"),
    "pairs": pgettext_lazy("a recorded value", "pairs"),
    "participant": pgettext_lazy("a recorded value", "participant"),
    "participants": pgettext_lazy("a recorded value", "participants"),
    "placement": pgettext_lazy("a recorded value", "placement"),
    "placements": pgettext_lazy("a recorded value", "placements"),
    "priority": pgettext_lazy("a recorded value", "priority"),
    "proposals": pgettext_lazy("a recorded value", "proposals"),
    "purpose": pgettext_lazy("a recorded value", "purpose"),
    "reason": pgettext_lazy("a recorded value", "reason"),
    "role": pgettext_lazy("a recorded value", "role"),
    "rows": pgettext_lazy("a recorded value", "rows"),
    "scope": pgettext_lazy("a recorded value", "scope"),
    "skill": pgettext_lazy("a recorded value", "skill"),
    "slots": pgettext_lazy("a recorded value", "time slots"),
    "start": pgettext_lazy("a recorded value", "start"),
    "state": pgettext_lazy("a recorded value", "state"),
    "status": pgettext_lazy("a recorded value", "status"),
    "task_cancelled": pgettext_lazy("a recorded value", "computation cancelled"),
    "title": pgettext_lazy("a recorded value", "title"),
    "to": pgettext_lazy("a recorded value", "to"),
    "type": pgettext_lazy("a recorded value", "type"),
    "unplaced": pgettext_lazy("a recorded value", "not placed"),
    "uri": pgettext_lazy("a recorded value", "ESCO address"),
    "user": pgettext_lazy("a recorded value", "user"),
    "validated": pgettext_lazy("a recorded value", "validated"),
    "value": pgettext_lazy("a recorded value", "value"),
    "visitor": pgettext_lazy("a recorded value", "visitor"),
    "year": pgettext_lazy("a recorded value", "year"),
}
LONG_TEXT = 160

ValueLabel = Callable[[Any, str, Any], "str | None"]
"""A caller's words for a stored value: (the model field or None, the key, the value) → text or None."""


@dataclass(frozen=True)
class AuditChange:
    """One changed value of an audit event, in words: "Field: before → after"."""

    label: str
    before: str
    after: str
    created: bool

    def __str__(self) -> str:
        if self.created:
            return f"{self.label}: {self.after}"
        return f"{self.label}: {self.before} → {self.after}"


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def field_label(field: Any, key: str) -> str:
    """The field's translated name, else the key's, else the key as plain words (first letter capital)."""
    name = getattr(field, "verbose_name", None)
    if isinstance(name, Promise):
        return capfirst(str(name))
    if key in KEY_LABELS:
        return capfirst(str(KEY_LABELS[key]))
    return capfirst(str(name or key.replace("_", " ")))


def value_text(field: Any, key: str, value: Any, labels: ValueLabel | None = None) -> str:
    """A stored value in words: choice labels, yes/no, localised dates and numbers, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, list):
        return ", ".join(value_text(field, key, v, labels) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(None, str(k))}: {value_text(None, str(k), v, labels)}" for k, v in value.items()
        )
    if labels is not None:
        found = labels(field, key, value)
        if found is not None:
            return found
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return str(formats.number_format(value))
    text = str(value)
    if isinstance(field, models.DateTimeField | models.DateField) or key in {
        "start",
        "end",
        "day",
        "from",
        "to",
    }:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if isinstance(field, models.DateTimeField) or "T" in text:
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        return formats.date_format(moment.date(), "DATE_FORMAT")
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def audit_changes(event: AuditEvent, *, labels: ValueLabel | None = None) -> list[AuditChange]:
    """The values an event recorded, as "Field: before → after" in the reader's language.

    ``labels`` gives words for values this layer cannot name (code-list codes, countries).
    """
    model = _model(event.object_type)
    before: Mapping[str, Any] = event.before if isinstance(event.before, dict) else {}
    after: Mapping[str, Any] = event.after if isinstance(event.after, dict) else {}
    changes = []
    for key in dict.fromkeys([*before, *after]):
        field = _field(model, key)
        changes.append(
            AuditChange(
                label=field_label(field, key),
                before=value_text(field, key, before.get(key), labels),
                after=value_text(field, key, after.get(key), labels),
                created=key not in before,
            )
        )
    return changes
