"""Skills mapping: a guided interview, ESCO suggestions from free text, autocomplete, accept or reject."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import HtmxHttpRequest
from matchmaking.participants import esco_lookup, forms, selectors, services
from matchmaking.participants.access import access_participant_for_edit
from matchmaking.participants.models import SkillSource
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


@login_required
@require_http_methods(["GET", "POST"])
def skills(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    """The interview page; posting a story shows ESCO suggestions to accept or reject."""
    participant = access_participant_for_edit(request.user, pseudonym)
    selectors.participant_profile_read(user=request.user, participant=participant, path=request.path)
    story = forms.StoryForm(request.POST or None, initial={"section": request.GET.get("section", "work")})
    suggestions: list[esco_lookup.EscoItem] = []
    section = request.GET.get("section", SkillSource.WORK)
    if request.method == "POST" and story.is_valid():
        section = story.cleaned_data["section"]
        held = set(participant.skills.values_list("uri", flat=True))
        suggestions = [
            s for s in esco_lookup.suggest_skills(story.cleaned_data["story"]) if s.uri not in held
        ]
        if not suggestions:
            messages.info(request, _("No ESCO skill matched; try other words or search below."))
    context = {
        "participant": participant,
        "interview": INTERVIEW,
        "story": story,
        "suggestions": suggestions,
        "section": section,
        "default_how": _default_how(section),
        "sources": SkillSource.choices,
        "search": forms.SkillSearchForm(),
        "skills": participant.skills.all(),
        "occupations": participant.occupation_interests,
        "esco_version": esco_lookup.esco_version(),
    }
    return render(request, "participants/skills.html", context)


@login_required
@require_GET
def skill_search(request: HtmxHttpRequest, pseudonym: str) -> HttpResponse:
    """Autocomplete (htmx): ESCO skills or occupations whose text matches what is typed."""
    participant = access_participant_for_edit(request.user, pseudonym)
    query = request.GET.get("q", "")[:200]
    kind = "occupation" if request.GET.get("kind") == "occupation" else "skill"
    found = (
        esco_lookup.search_occupations(query) if kind == "occupation" else esco_lookup.search_skills(query)
    )
    section = request.GET.get("section", SkillSource.WORK)
    section = section if section in SkillSource.values else SkillSource.WORK
    context = {
        "participant": participant,
        "suggestions": found,
        "section": section,
        "default_how": _default_how(section),
        "sources": SkillSource.choices,
        "kind": kind,
        "query": query,
    }
    template = "participants/partials/suggestions.html"
    if not request.htmx:
        context.update(
            {
                "skills": participant.skills.all(),
                "interview": INTERVIEW,
                "story": forms.StoryForm(),
                "search": forms.SkillSearchForm(request.GET),
                "occupations": participant.occupation_interests,
                "esco_version": esco_lookup.esco_version(),
            }
        )
        template = "participants/skills.html"
    return render(request, template, context)


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
        messages.success(request, _("Added: %s") % skill.label)
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
