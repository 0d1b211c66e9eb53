"""Why a record is opened: the purpose the user chooses, and one access-log line per record per session.

The first time in a session that a user opens a person's record, they are asked why (a short form,
nothing chosen in advance); the answer is written to the access log with the page, once. Further tabs
of the same record in the same session write nothing more, except the first look at the identifying
details, which is written once too, with the same purpose and the fields read.

``settings.ACCESS_PURPOSE_PROMPT`` turns the question off (the purpose is then recorded as not asked);
it is on everywhere except in test suites that are not about access.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from matchmaking.core.access_log import access_log_record
from matchmaking.core.models import PersonalDataAccess
from matchmaking.participants.models import Participant

SESSION_KEY = "opened_records"
NOT_ASKED = "not-asked"

# Code → what the user tells the log. The code is what the log stores.
PURPOSES = (
    ("case-work", _("Case work with the person (meeting, plan, follow-up)")),
    ("follow-up-group", _("My part in the person's follow-up group")),
    ("matching", _("Finding a placement or opportunity for the person")),
    ("referral", _("A referral to a support service")),
    ("correction", _("Correcting or completing the record")),
    ("person-request", _("The person asked (access, correction, erasure)")),
)
PURPOSE_CODES = frozenset(code for code, _label in PURPOSES)


def prompt_on() -> bool:
    return bool(getattr(settings, "ACCESS_PURPOSE_PROMPT", True))


def _opened(request: HttpRequest) -> dict[str, dict[str, object]]:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, dict) else {}


def chosen_purpose(request: HttpRequest, participant: Participant) -> str | None:
    entry = _opened(request).get(participant.pseudonym)
    return str(entry["purpose"]) if entry else None


def _log(
    request: HttpRequest, participant: Participant, purpose: str, part: str, fields: Iterable[str]
) -> None:
    opened = _opened(request)
    entry = opened.setdefault(participant.pseudonym, {"purpose": purpose, "parts": []})
    parts = list(entry.get("parts") or [])  # type: ignore[call-overload]
    if part in parts:
        return
    access_log_record(
        user=request.user,
        subject=participant,
        fields=list(fields),
        purpose=purpose,
        kind=PersonalDataAccess.READ,
        path=request.path,
    )
    entry["parts"] = [*parts, part]
    request.session[SESSION_KEY] = opened
    request.session.modified = True


def purpose_choose(request: HttpRequest, participant: Participant, purpose: str) -> None:
    """Record the purpose the user chose for this record in this session, and the one log line."""
    opened = _opened(request)
    opened.pop(participant.pseudonym, None)
    request.session[SESSION_KEY] = opened
    _log(request, participant, purpose, "profile", ["profile"])


def record_open(
    request: HttpRequest,
    participant: Participant,
    *,
    part: str = "profile",
    fields: Iterable[str] = ("profile",),
) -> HttpResponse | None:
    """Before showing a person's data: the purpose form on the first open of the record in the session
    (a redirect to return here), otherwise the one log line of this part if not written yet."""
    purpose = chosen_purpose(request, participant)
    if purpose is None:
        if prompt_on():
            target = reverse("participants:purpose", args=[participant.pseudonym])
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        purpose = NOT_ASKED  # one line, for the part opened first
        opened = _opened(request)
        opened[participant.pseudonym] = {"purpose": purpose, "parts": []}
        request.session[SESSION_KEY] = opened
    _log(request, participant, purpose, part, fields)
    return None


def safe_next(request: HttpRequest, participant: Participant) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return participant.get_absolute_url()
