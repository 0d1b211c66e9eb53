"""The good-practice library: public list and story pages, the story PDF, and drafting/approval."""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.core.throttle import over_limit
from matchmaking.exchanges.access import access_exchange_for_action, can_act_on_exchange, exchange_sides
from matchmaking.forms import Choice, Form, HtmxHttpRequest, choice_field, show_service_errors, term_choices
from matchmaking.library import selectors, services
from matchmaking.library.access import access_story, can_edit_story
from matchmaking.library.models import Story


class StorySearchForm(Form):
    q = forms.CharField(label=gettext_lazy("Keywords"), required=False)
    topic = forms.ChoiceField(label=gettext_lazy("Practice topic"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, facets: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_: list[Choice] = [("", gettext_lazy("Any"))]
        names = {c.alpha_2: c.name for c in pycountry.countries}
        choice_field(self, "topic").choices = any_ + term_choices("practice-topics")
        choice_field(self, "country").choices = any_ + [(c, names.get(c, c)) for c in facets["countries"]]
        choice_field(self, "type").choices = any_ + term_choices("opportunity-types")
        choice_field(self, "year").choices = any_ + [(y, str(y)) for y in facets["years"]]


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title", "summary", "outcomes", "host_lessons", "visitor_lessons"]
        widgets = {
            n: forms.Textarea(attrs={"rows": 4})
            for n in ["summary", "outcomes", "host_lessons", "visitor_lessons"]
        }
        help_texts = {
            "host_lessons": gettext_lazy("One per line."),
            "visitor_lessons": gettext_lazy("One per line."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


@require_GET
def story_list(request: HtmxHttpRequest) -> HttpResponse:
    form = StorySearchForm(request.GET or None, facets=selectors.story_facets())
    filters = selectors.StoryFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.StoryFilters(
            query=d["q"].strip(), topic=d["topic"], country=d["country"], type=d["type"], year=d["year"]
        )
    page = Paginator(selectors.story_list(filters=filters), 12).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query.urlencode(),
        "drafts": selectors.draft_stories(user=request.user) if request.user.is_authenticated else [],
    }
    template = "library/partials/story_results.html" if request.htmx else "library/story_list.html"
    return render(request, template, context)


def _story_context(story: Story) -> dict:
    exchange = story.exchange
    return {
        "story": story,
        "exchange": exchange,
        "quotes": selectors.quotes_for(story),
        "network_name": settings.NETWORK_NAME,
    }


@require_GET
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = access_story(request.user, slug)
    context = _story_context(story)
    sides = exchange_sides(request.user, story.exchange) if request.user.is_authenticated else set()
    context.update(
        {
            "can_edit": can_edit_story(request.user, story),
            "approved_by_me": (story.exchange.host_id in sides and story.host_approved_at)
            or (story.exchange.visitor_id in sides and story.visitor_approved_at),
            "can_withdraw": story.status == Story.Status.PUBLISHED
            and can_act_on_exchange(request.user, story.exchange),
        }
    )
    return render(request, "library/story_detail.html", context)


@require_GET
def story_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from weasyprint import HTML

    story = access_story(request.user, slug)
    if refused := over_limit(request, "pdf"):
        return refused
    html = render_to_string(
        "library/story_pdf.html", {**_story_context(story), "LANGUAGE_CODE": get_language() or "en"}
    )
    pdf = HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{story.slug}.pdf"'
    return response


@login_required
@require_POST
def story_create(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = access_exchange_for_action(request.user, pk)
    try:
        story = services.story_create(actor=request.user, exchange=exchange)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(exchange.get_absolute_url())
    messages.success(
        request, _("A draft story has been written from your report. Check it, then approve it.")
    )
    return redirect("library:story-edit", slug=story.slug)


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, slug: str) -> HttpResponse:
    story = access_story(request.user, slug)
    if not can_edit_story(request.user, story):
        raise Http404
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(actor=request.user, story=story, data=form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, _("The story has been saved. Both organisations approve it again."))
            return redirect(story.get_absolute_url())
    story.refresh_from_db()
    return render(request, "library/story_form.html", {"story": story, "form": form})


@login_required
@require_POST
def story_approve(request: HttpRequest, slug: str) -> HttpResponse:
    story = access_story(request.user, slug)
    try:
        story = services.story_approve(actor=request.user, story=story)
    except (PermissionDenied, ValidationError) as exc:
        if isinstance(exc, PermissionDenied):
            raise Http404 from exc
        messages.error(request, " ".join(exc.messages))
    else:
        if story.status == Story.Status.PUBLISHED:
            messages.success(
                request, _("Both organisations approved: the story is published in the library.")
            )
        else:
            messages.success(
                request, _("Approved. The story is published once the other organisation approves.")
            )
    return redirect(story.get_absolute_url())


@login_required
@require_POST
def story_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    story = access_story(request.user, slug)
    try:
        services.story_withdraw(actor=request.user, story=story, reason=request.POST.get("reason", "")[:500])
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The story has been taken back to draft."))
    return redirect(story.get_absolute_url())
