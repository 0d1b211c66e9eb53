"""Every kind of notification: who may receive it, how it is delivered by default, and its sentences.

A notification is stored as its kind's code and the parameters that fill its sentences (names as plain
text, codes, dates as ISO strings) and rendered when it is shown or emailed, in the reader's language.
The sentences are ``gettext_lazy`` templates with ``%(name)s`` slots. Values are shown as the change
history shows them (``core/audit.py``): a parameter listed in ``choices`` becomes the label of that
model field's choice, dates are localised, numbers too; a parameter listed in ``terms`` is a code-list
code, shown as the code list's label in the reader's language.

``AUDIENCE`` roles are the membership roles of the organisations a notification is about (a member
with another role never receives it); ``involvement`` names the one person a notification may also go
to because of what they did or look after (the key worker, who sent a referral, who proposed). The
matrix kind × role is this module's ``KINDS``; ``docs/notifications.md`` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matchmaking.core.audit import _field, _model, value_text

# Membership roles (the codes of ``permissions.roles.Role``; core sits below that layer).
COORDINATOR, ORG_ADMIN, STAFF, CASE_WORKER = "coordinator", "org-admin", "staff", "case-worker"
ROLES = (COORDINATOR, ORG_ADMIN, STAFF, CASE_WORKER)
ROLE_LABELS = {
    COORDINATOR: _("Network coordinator"),
    ORG_ADMIN: _("Organisation administrator"),
    STAFF: _("Staff member"),
    CASE_WORKER: _("Case worker"),
}

# How a person wants a kind of notification delivered.
IN_APP, IMMEDIATE, DIGEST = "in-app", "immediate", "digest"
DELIVERY_CHOICES = [
    (IN_APP, _("In the app only")),
    (IMMEDIATE, _("Email at once")),
    (DIGEST, _("Daily digest email")),
]


@dataclass(frozen=True)
class Group:
    """Kinds a person sets a preference for together."""

    code: str
    label: Promise
    default: str


GROUPS = {
    g.code: g
    for g in (
        Group("decisions", _("Decisions waiting for your answer"), IMMEDIATE),
        Group("messages", _("Messages from partners"), IMMEDIATE),
        Group("exchanges", _("Changes to your exchanges"), DIGEST),
        Group("events", _("Events and meetings"), DIGEST),
        Group("caseload", _("Participants you follow"), DIGEST),
        Group("reminders", _("Reminders"), DIGEST),
        Group("network", _("Your organisation and the network"), DIGEST),
        Group("alerts", _("Saved-search alerts"), IN_APP),
    )
}


@dataclass(frozen=True)
class Kind:
    code: str
    group: str
    title: Promise | Mapping[str, Promise]
    """The subject line; a mapping chooses by the ``variant`` parameter."""
    roles: frozenset[str] = frozenset()
    """The membership roles (of the organisations concerned) that receive it."""
    involvement: str = ""
    """The person who also receives it because of their part in the matter ("" for nobody)."""
    body: Promise | None = None
    choices: Mapping[str, str] = field(default_factory=dict)
    """parameter → "app_label.model.field" whose choice label shows the stored code."""
    terms: frozenset[str] = frozenset()
    """Parameters holding code-list codes."""
    prefer_involved: bool = False
    """With the involved person known and active, staff members of the organisation are left out
    (its administrators still hear)."""


ORG = frozenset({ORG_ADMIN, STAFF})
ADMINS = frozenset({ORG_ADMIN})
CASELOAD = frozenset({ORG_ADMIN, CASE_WORKER})
COORDINATORS = frozenset({COORDINATOR})
EVENTS = frozenset({ORG_ADMIN, STAFF, COORDINATOR})
NOBODY: frozenset[str] = frozenset()

_EXCHANGE_DATES = _("Dates: %(start)s to %(end)s.")
_TRANSITIONS = {
    "accept": _("%(org)s accepted the exchange %(title)s"),
    "decline": _("%(org)s declined the exchange %(title)s"),
    "plan": _("%(org)s started planning the exchange %(title)s"),
    "confirm": _("%(org)s confirmed the exchange %(title)s"),
    "start": _("The exchange %(title)s has started"),
    "complete": _("The exchange %(title)s is completed"),
    "report": _("The exchange %(title)s is reported"),
    "cancel": _("%(org)s cancelled the exchange %(title)s"),
}

_KINDS = [
    # Exchanges: the staff and administrators of the organisations involved, never case workers.
    Kind("exchange.proposed", "decisions", _("%(org)s would like an exchange with you: %(title)s"), ORG,
         "proposer", body=_EXCHANGE_DATES),
    *(
        Kind(f"exchange.{action}", "decisions" if action == "accept" else "exchanges", title, ORG, "proposer",
             body=_EXCHANGE_DATES, prefer_involved=action in ("accept", "decline"))
        for action, title in _TRANSITIONS.items()
    ),
    Kind("exchange.expired", "exchanges", _("Your proposal to %(org)s expired without an answer: %(title)s"),
         ORG, "proposer", body=_("You can contact another suggested partner, or propose again."),
         prefer_involved=True),
    Kind("exchange.feedback", "reminders", _("How did the visit %(title)s go? Please give your feedback and "
         "write the report."), ORG, body=_EXCHANGE_DATES),
    Kind("exchange.message", "messages", _("%(org)s wrote about %(title)s"), ORG, "proposer"),
    Kind("conversation.message", "messages", _("%(org)s wrote to you: %(title)s"), ORG),
    Kind("exchange.updated", "exchanges", _("%(org)s changed the dates or group size of %(title)s"), ORG,
         "proposer", body=_("Dates: %(start)s to %(end)s, %(group_size)s visitors.")),
    Kind("exchange.change-proposed", "decisions", _("%(org)s proposes a change to %(title)s"), ORG,
         "proposer", body=_("Proposed: %(start)s to %(end)s, %(group_size)s visitors. Accept or refuse it "
                            "on the exchange page; until then the agreed values stay.")),
    Kind("exchange.change-accepted", "exchanges", _("%(org)s accepted your change to %(title)s"), ORG,
         body=_("Dates: %(start)s to %(end)s, %(group_size)s visitors.")),
    Kind("exchange.change-refused", "exchanges", _("%(org)s refused your change to %(title)s"), ORG,
         body=_("The agreed values stay: %(start)s to %(end)s, %(group_size)s visitors.")),
    Kind("exchange.follow-up", "reminders", _("Six months after your exchange %(title)s: did cooperation "
         "follow?"), ORG, body=_("Tell us in one click on the exchange page.")),
    # Offers, requests and saved searches.
    Kind("mobility.expired", "exchanges", _("Your %(type)s has expired"), ORG, "author", prefer_involved=True,
         terms=frozenset({"type"}),
         body=_("Its date window ended on %(date)s. Change the dates to open it again.")),
    Kind("mobility.expiring", "reminders", _("Your %(type)s expires on %(date)s"), ORG, "author",
         prefer_involved=True,
         terms=frozenset({"type"}),
         body=_("Extend the dates if you are still looking for partners, or close it.")),
    Kind("mobility.saved-search", "alerts", _("New match for your search “%(name)s”"), NOBODY, "searcher",
         body=_("%(org)s posted a new %(type)s."), terms=frozenset({"type"})),
    Kind("story.approval", "decisions", _("Please approve the story: %(title)s"), ORG),
    Kind("story.published", "exchanges", _("Your story is published: %(title)s"), ORG),
    # Events.
    Kind("event.registration-open", "events", _("Registration is open: %(event)s"), EVENTS,
         body=_("Dates: %(start)s to %(end)s.")),
    Kind("event.requests-open", "events", _("Meeting requests are open: %(event)s"), EVENTS),
    Kind("event.scheduled", "events", _("Your agenda is ready: %(event)s"), EVENTS),
    Kind("event.registered", "events", _("%(org)s registered for %(event)s"), EVENTS),
    Kind("event.request", "decisions", _("%(org)s would like to meet you at %(event)s"), EVENTS),
    Kind("event.request-answered", "events", {
        "accepted": _("%(org)s accepted your meeting request at %(event)s"),
        "declined": _("%(org)s declined your meeting request at %(event)s"),
    }, EVENTS),
    Kind("event.request-reminder", "reminders",
         _("%(org)s is waiting for your answer to a meeting request at "
         "%(event)s"), EVENTS),
    Kind("event.availability-reminder", "reminders", _("Tell us when you are free to meet at %(event)s"),
         EVENTS),
    Kind("event.agenda-reminder", "reminders", _("Your agenda for %(event)s is ready; have a look"), NOBODY,
         "delegate"),
    Kind("event.schedule-computed", "events", {
        "done": _("The schedule of %(event)s is ready to review"),
        "failed": _("The schedule of %(event)s could not be made"),
    }, EVENTS),
    Kind("event.follow-up", "reminders", _("Six months after %(event)s: what came of your meetings?"),
         EVENTS),
    # Participants and placements: the key worker and the host's placement contacts, nobody else.
    Kind("participant.group", "caseload", _("You have joined the follow-up group of %(participant)s"), NOBODY,
         "group-member"),
    Kind("round.confirmed", "decisions", {
        "host": _("New participants proposed for %(placement)s: please accept or decline each proposal"),
        "worker": _("Allocation round confirmed: %(round)s"),
    }, ORG, "key-worker"),
    Kind("round.unplaced", "caseload", _("%(participant)s was not placed in %(round)s"), NOBODY, "key-worker",
         body=_("Where a placement the person could take is full, you can put them on its waiting list.")),
    Kind("placement.waiting-list", "caseload", _("A seat is free on %(placement)s for %(participant)s"),
         NOBODY,
         "key-worker"),
    Kind("proposal.decided", "caseload", {
        "accepted": _("%(org)s accepted %(participant)s for %(placement)s"),
        "declined": _("%(org)s declined %(participant)s for %(placement)s"),
    }, NOBODY, "key-worker"),
    Kind("assignment.host", "decisions", {
        "proposed": _("%(participant)s is proposed for %(placement)s: please answer"),
        "withdrawn": _("The proposal of %(participant)s for %(placement)s was withdrawn"),
    }, ORG),
    Kind("assignment.changed", "caseload", {
        "on-hold": _("%(org)s put %(participant)s on hold for an interview for %(placement)s"),
        "accepted": _("%(org)s accepted %(participant)s for %(placement)s"),
        "declined": _("%(org)s declined %(participant)s for %(placement)s"),
        "started": _("%(participant)s started at %(placement)s"),
        "completed": _("%(participant)s completed %(placement)s"),
        "ended-early": _("The placement of %(participant)s at %(placement)s ended early"),
    }, NOBODY, "key-worker"),
    Kind("proposal.contest", "decisions", _("A proposal in %(round)s is contested"), NOBODY, "round-owner"),
    Kind("proposal.contest-answer", "caseload", _("Your contest has been answered: %(outcome)s"), NOBODY,
         "contest-raiser", choices={"outcome": "placements.contest.outcome"}),
    Kind("referral.sent", "decisions", _("New referral to %(service)s"), CASELOAD),
    Kind("referral.answer", "caseload", _("%(service)s answered the referral of %(participant)s: %(status)s"),
         NOBODY, "referrer", choices={"status": "pathways.referral.status"}),
    Kind("referral.update", "caseload", _("Referral to %(service)s: %(status)s"), NOBODY, "referrer",
         choices={"status": "pathways.referral.status"}),
    Kind("referral.withdrawn", "decisions",
         _("The referral of %(participant)s to %(service)s is withdrawn: the person revoked their consent"),
         CASELOAD),
    Kind("referral.reminder", "reminders", _("No answer yet from %(service)s about %(participant)s"), NOBODY,
         "referrer"),
    Kind("retention-check.due", "reminders", _("%(months)s-month follow-up due for %(participant)s"), NOBODY,
         "key-worker"),
    Kind("youth-guarantee.overdue", "caseload",
         _("%(participant)s has had no offer within %(months)s months"),
         NOBODY, "key-worker"),
    Kind("worklist.due", "reminders", {
        "one": _("1 item is due on your worklist"),
        "many": _("%(count)s items are due on your worklist"),
    }, NOBODY, "worklist-owner",
         body=_("Youth Guarantee deadlines passed: %(breached)s, within 30 days: %(deadlines)s; follow-ups "
                "after exit: %(retention)s; referrals without an answer: %(referrals)s; plan steps overdue: "
                "%(steps)s.")),
    # The organisation and the network.
    Kind("organisation.status_changed", "network", _("%(org)s: membership %(status)s"), ADMINS,
         choices={"status": "organisations.organisation.status"}),
    Kind("application.submitted", "decisions", _("%(org)s applies to join the network"), COORDINATORS),
    Kind("invitation.accepted", "network", _("%(email)s joined %(org)s"), NOBODY, "inviter"),
    Kind("organisations.introduced", "network", _("The network coordinator suggests you meet %(org)s"), ORG),
]  # fmt: skip

KINDS: dict[str, Kind] = {k.code: k for k in _KINDS}

INVOLVEMENT_LABELS = {
    "proposer": _("who proposed"),
    "searcher": _("who saved the search"),
    "author": _("who posted it"),
    "delegate": _("the delegate"),
    "group-member": _("the new group member"),
    "key-worker": _("the key worker"),
    "round-owner": _("who made the round"),
    "contest-raiser": _("who contested"),
    "referrer": _("who sent the referral"),
    "worklist-owner": _("the case worker whose worklist it is"),
    "inviter": _("who invited"),
}


def kind_of(code: str) -> Kind | None:
    return KINDS.get(code)


def receives(kind: str, role: str) -> bool:
    """Whether a member with ``role`` in an organisation concerned receives ``kind`` (the matrix)."""
    found = KINDS.get(kind)
    return found is not None and role in found.roles


def group_of(kind: str) -> Group:
    found = KINDS.get(kind)
    return GROUPS[found.group if found else "network"]


def _term_label(code: str) -> str:
    return _term_label_in((get_language() or "en").split("-")[0], code)


@lru_cache(maxsize=1024)
def _term_label_in(lang: str, code: str) -> str:
    """A code-list label, kept for the life of the process (the code lists change with a deployment)."""
    try:
        model = apps.get_model("taxonomies", "Term")
    except LookupError:  # pragma: no cover - the code lists are always installed
        return code
    stored = model.objects.filter(code=code).values_list("labels", flat=True).first()
    labels: dict[str, str] = stored if isinstance(stored, dict) else {}
    return str(labels.get(lang) or labels.get("en") or code).lower()


EXCHANGE_TITLE = _("%(type)s: %(visitor)s visits %(host)s")
"""An exchange's usual title (``exchanges.models.TITLE``), for a ``title`` parameter stored as its parts."""


def _exchange_title(parts: Mapping[str, Any]) -> str:
    label = _term_label(str(parts.get("type", "")))
    return str(EXCHANGE_TITLE) % {
        "type": label[:1].upper() + label[1:],
        "visitor": parts.get("visitor", ""),
        "host": parts.get("host", ""),
    }


def _value(kind: Kind, key: str, value: Any) -> str:
    if isinstance(value, Mapping):  # an exchange's title as its parts: written in the reader's language
        return _exchange_title(value)
    if key in kind.terms:
        return _term_label(str(value))
    if key in kind.choices:
        app_label, model, name = kind.choices[key].split(".")
        return value_text(_field(_model(f"{app_label}.{model}"), name), key, value).lower()
    if key in ("date", "start", "end") or key.endswith("_on"):
        return value_text(None, "day", value)
    return value_text(None, key, value) if isinstance(value, int | float) else str(value)


def _fill(template: Promise, kind: Kind, params: Mapping[str, Any]) -> str:
    shown = {k: _value(kind, k, v) for k, v in params.items() if k != "variant"}
    try:
        return str(template) % shown
    except (KeyError, TypeError, ValueError):
        return str(template)


def render_title(code: str, params: Mapping[str, Any]) -> str | None:
    """The subject of a notification in the active language; None when the kind is unknown."""
    kind = KINDS.get(code)
    if kind is None:
        return None
    title = kind.title
    if not isinstance(title, Promise):
        title = title.get(str(params.get("variant", ""))) or next(iter(title.values()))
    return _fill(title, kind, params)


def render_body(code: str, params: Mapping[str, Any]) -> str | None:
    """The kind's own sentence under the subject, in the active language ("" without one)."""
    kind = KINDS.get(code)
    if kind is None:
        return None
    return _fill(kind.body, kind, params) if kind.body is not None else ""


def matrix_markdown() -> str:
    """The matrix kind × role as a Markdown table, for docs/notifications.md (in English, whatever
    language is active)."""
    with translation.override("en"):
        return _matrix_markdown()


def _matrix_markdown() -> str:
    head = ["Kind", "Group", *(str(ROLE_LABELS[r]) for r in ROLES), "Involved person"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for kind in _KINDS:
        marks = ["yes" if r in kind.roles else "–" for r in ROLES]
        who = str(INVOLVEMENT_LABELS[kind.involvement]) if kind.involvement else "–"
        lines.append("| " + " | ".join([f"`{kind.code}`", kind.group, *marks, who]) + " |")
    return "\n".join(lines)
