"""Skills mapping: a guided interview, suggestions from the person's story, search across languages,
skills from an occupation, several accepted at once, evidence and validation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import Form, HtmxHttpRequest
from matchmaking.participants import esco_lookup, forms, services, skill_suggestions
from matchmaking.participants.access import access_participant_for_edit
from matchmaking.participants.models import Participant, ParticipantSkill, SkillSource
from matchmaking.participants.record_purpose import record_open
from matchmaking.participants.views import show_error
from matchmaking.permissions.roles import AuthenticatedHttpRequest

# The guided interview: one question per part, in the order a conversation goes (seed 003: "formal and
# informal competences"; unseen skills such as care at home count).
INTERVIEW = [
    (
        SkillSource.QUALIFICATION,
        gettext_lazy("Which schools, courses or certificates have you completed?"),
        "formal",
    ),
    (
        SkillSource.WORK,
        gettext_lazy("Which jobs have you had, paid or unpaid, here or abroad? What did you do there?"),
        "informal",
    ),
    (
        SkillSource.VOLUNTEERING,
        gettext_lazy("Have you helped in an association, a club, a religious community?"),
        "informal",
    ),
    (
        SkillSource.CARE,
        gettext_lazy("Do you look after someone at home: children, parents, a sick relative?"),
        "informal",
    ),
    (
        SkillSource.HOBBY,
        gettext_lazy("What do you like doing in your free time? Sport, repairs, cooking, games?"),
        "informal",
    ),
]


def _default_how(source: str) -> str:
    return "formal" if source == SkillSource.QUALIFICATION else "informal"


class SkillsRequest(AuthenticatedHttpRequest, HtmxHttpRequest):
    """A signed-in request that may come from htmx."""


def _held(participant: Participant) -> set[str]:
    return set(participant.skills.values_list("uri", flat=True))


def _page(request: HttpRequest, participant: Participant, **parts: Any) -> dict[str, Any]:
    """Everything the skills page shows; ``parts`` replaces what a request changed."""
    section = parts.pop("section", None) or request.GET.get("section") or SkillSource.WORK
    section = section if section in SkillSource.values else SkillSource.WORK
    status = esco_lookup.model_status()
    context: dict[str, Any] = {
        "participant": participant,
        "interview": INTERVIEW,
        "story": forms.StoryForm(initial={"section": section}),
        "search": forms.SkillSearchForm(),
        "section": section,
        "default_how": _default_how(section),
        "sources": SkillSource.choices,
        "hows": ParticipantSkill.How.choices,
        "lists": {},
        "occupation": None,
        "found_occupations": None,
        "skills": participant.skills.all(),
        "validation_choices": forms.VALIDATION_CHOICES,
        "occupations": participant.occupation_interests,
        "esco_version": esco_lookup.esco_version(),
        "model_available": status.available,
    }
    context.update(parts)
    return context


def _occupation(uri: str) -> dict[str, str] | None:
    uri = uri[:200]
    return (
        {"uri": uri, "label": esco_lookup.occupation_label(uri)}
        if esco_lookup.is_occupation_uri(uri)
        else None
    )


@login_required
@require_http_methods(["GET", "POST"])
def skills(request: SkillsRequest, pseudonym: str) -> HttpResponse:
    """The interview page. Posting a story suggests skills, each with the sentence it comes from;
    ``?occupation=`` lists the skills of an occupation."""
    participant = access_participant_for_edit(request.user, pseudonym)
    if (asked := record_open(request, participant)) is not None:
        return asked
    parts: dict[str, Any] = {}
    lists: dict[str, list[skill_suggestions.Suggestion]] = {}
    occupation = _occupation(request.GET.get("occupation", ""))
    if occupation:
        lists["occupation"] = skill_suggestions.from_occupation(occupation["uri"], held=_held(participant))
        parts["occupation"] = occupation
    if request.method == "POST":
        story = forms.StoryForm(request.POST)
        parts["story"] = story
        if story.is_valid():
            parts["section"] = story.cleaned_data["section"]
            lists["story"] = skill_suggestions.from_story(
                story.cleaned_data["story"], held=_held(participant)
            )
            if not lists["story"]:
                messages.info(request, _("No ESCO skill matched; try other words or search below."))
    return render(request, "participants/skills.html", _page(request, participant, lists=lists, **parts))


@login_required
@require_GET
def skill_search(request: SkillsRequest, pseudonym: str) -> HttpResponse:
    """The search box (htmx as one types, or a plain GET): skills found across languages, each with why,
    or occupations to add as interests or to take skills from."""
    participant = access_participant_for_edit(request.user, pseudonym)
    search = forms.SkillSearchForm(request.GET)
    parts: dict[str, Any] = {"search": search, "lists": {}}
    query, kind = "", "skill"
    if search.is_valid():
        query, kind = search.cleaned_data["q"].strip(), search.cleaned_data["kind"]
    if query and kind == "occupation":
        parts["found_occupations"] = esco_lookup.search_occupations(query)
    elif query:
        parts["lists"]["search"] = skill_suggestions.from_search(query, held=_held(participant))
    parts.update(query=query, kind=kind)
    context = _page(request, participant, **parts)
    if request.htmx:
        return render(request, "participants/partials/suggestions.html", context)
    return render(request, "participants/skills.html", context)


def _say(request: SkillsRequest, notices: list[str], level: int, text: str) -> None:
    """A message: in the page's status line for htmx, else with the next page."""
    if request.htmx:
        notices.append(text)
    else:
        messages.add_message(request, level, text)


@login_required
@require_POST
def skills_accept(request: SkillsRequest, pseudonym: str) -> HttpResponse:
    """Add the ticked suggestions at once (or the one whose button was pressed), or turn one down; the
    rest of the list stays on the page. htmx swaps the mapped skills only; without JavaScript the page
    comes back with the rest of the list."""
    participant = access_participant_for_edit(request.user, pseudonym)
    form = forms.AcceptSkillsForm(request.POST)
    items = skill_suggestions.posted(request.POST)
    offered = {item.uri: item for item in items}
    notices: list[str] = []
    done: set[str] = set()
    if not form.is_valid():
        _say(request, notices, messages.ERROR, "; ".join(_field_errors(form)))
    elif request.POST.get("reject") in offered:
        uri = request.POST["reject"]
        services.skill_reject(actor=request.user, participant=participant, uri=uri)
        done.add(uri)
        _say(request, notices, messages.INFO, _("Not added: %s") % _shown(uri))
    else:
        single = request.POST.get("accept")
        picked = [single] if single else request.POST.getlist("pick")
        chosen = [offered[uri] for uri in dict.fromkeys(picked) if uri in offered]
        try:
            added = services.skills_add(
                actor=request.user,
                participant=participant,
                skills=[(item.uri, item.sentence) for item in chosen],
                how=form.cleaned_data["how"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            _say(request, notices, messages.ERROR, "; ".join(exc.messages))
        else:
            done.update(item.uri for item in chosen)
            labels = ", ".join(_shown(uri) for uri in [s.uri for s in added] or [i.uri for i in chosen])
            _say(request, notices, messages.SUCCESS, _("Added: %s") % labels)
    listing = form.cleaned_data.get("listing", "story") if form.is_valid() else "story"
    held = _held(participant)
    if request.htmx:
        context = _page(request, participant, notices=notices, listing=listing)
        context["removed"] = [item for item in items if item.uri in done or item.uri in held]
        return render(request, "participants/partials/accepted.html", context)
    rest = [item for item in items if item.uri not in done and item.uri not in held]
    parts: dict[str, Any] = {"lists": {listing: rest}}
    if listing == "occupation":
        parts["occupation"] = _occupation(request.POST.get("occupation", ""))
    if listing == "search":
        query = request.POST.get("q", "")[: forms.SEARCH_MAX]
        parts.update(search=forms.SkillSearchForm({"q": query}), query=query)
    section = form.cleaned_data.get("source") if form.is_valid() else None
    return render(request, "participants/skills.html", _page(request, participant, section=section, **parts))


def _field_errors(form: Form) -> list[str]:
    """Each error with the name of its field, for a message line."""
    out: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        out.extend(f"{label}: {e}" if label and not str(e).startswith(str(label)) else str(e) for e in errors)
    return out


@login_required
@require_POST
def skill_edit(request: SkillsRequest, pseudonym: str) -> HttpResponse:
    """Change a mapped skill's evidence and validation status."""
    participant = access_participant_for_edit(request.user, pseudonym)
    form = forms.SkillEditForm(request.POST)
    notices: list[str] = []
    if not form.is_valid():
        _say(request, notices, messages.ERROR, "; ".join(_field_errors(form)))
    else:
        try:
            skill = services.skill_update(
                actor=request.user,
                participant=participant,
                skill_id=form.cleaned_data["skill"],
                evidence=form.cleaned_data["evidence"].strip(),
                validated=form.cleaned_data["validated"],
            )
        except ValidationError as exc:
            _say(request, notices, messages.ERROR, "; ".join(exc.messages))
        else:
            _say(request, notices, messages.SUCCESS, _("Saved: %s") % skill.label)
    if request.htmx:
        context = _page(request, participant, notices=notices, removed=[])
        return render(request, "participants/partials/accepted.html", context)
    return redirect("participants:skills", participant.pseudonym)


@login_required
@require_POST
def skill_add(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    form = forms.SkillForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("The skill could not be added: choose a suggestion and say how it was learnt.")
        )
        return redirect("participants:skills", participant.pseudonym)
    try:
        skill = services.skill_add(actor=request.user, participant=participant, **form.cleaned_data)
    except ValidationError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Added: %s") % _shown(skill.uri))
    return redirect("participants:skills", participant.pseudonym)


@login_required
@require_POST
def skill_reject(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    services.skill_reject(actor=request.user, participant=participant, uri=request.POST.get("uri", "")[:200])
    messages.info(request, _("The suggestion was not added."))
    return redirect("participants:skills", participant.pseudonym)


@login_required
@require_POST
def skill_remove(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    try:
        services.skill_remove(
            actor=request.user, participant=participant, skill_id=int(request.POST.get("skill") or 0)
        )
    except (ValidationError, ValueError):
        messages.error(request, _("That skill is not in the profile."))
    else:
        messages.success(request, _("The skill has been removed."))
    return redirect("participants:skills", participant.pseudonym)


@login_required
@require_POST
def occupation_interest(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    participant = access_participant_for_edit(request.user, pseudonym)
    try:
        services.occupation_interest_set(
            actor=request.user,
            participant=participant,
            uri=request.POST.get("uri", "")[:200],
            label=request.POST.get("label", "")[:300],
            add=request.POST.get("action") != "remove",
        )
    except ValidationError as exc:
        show_error(request, exc)
    return redirect("participants:skills", participant.pseudonym)


def _shown(uri: str) -> str:
    """A skill as the reader sees it on the page: its label in the interface language."""
    return esco_lookup.skill_label(uri, get_language())
