"""The shared form kit every app's forms and views build on: a form base with accessible labels,
choices from the code lists, showing a service's validation error on a form, the query string
that keeps a filter form's values across pages, and the type of a request that may come from htmx.
It sits below the domain apps and imports none."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_htmx.middleware import HtmxDetails

from matchmaking.taxonomies import countries
from matchmaking.taxonomies.code_lists import term_choices_of
from matchmaking.taxonomies.models import Region

# A choice: the stored code and the label shown, which may be translated lazily.
Choice = tuple[str, str | Promise]


class HtmxHttpRequest(HttpRequest):
    """A request as the htmx middleware leaves it: ``request.htmx`` tells whether htmx sent it."""

    htmx: HtmxDetails


def show_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's validation error on the form, on the named field where there is one.

    Works on an unbound form too (another action on the same page failed), so the page can show it.
    """
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
        form._errors = ErrorDict(form._errors or {})  # type: ignore[attr-defined]  # private, set by full_clean()
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class Form(forms.Form):
    """Labels without a trailing colon: screen readers read the label as written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field of that name, to set its choices (``form.fields`` holds plain fields)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field


def country_choices() -> list[Choice]:
    """All countries, named in the active language."""
    return [("", _("Choose a country")), *countries.country_choices(get_language() or "en")]


def term_choices(scheme: str) -> list[Choice]:
    return list(term_choices_of(scheme))


def region_choices(country: str | None) -> list[Choice]:
    regions = Region.objects.filter(country=country) if country else Region.objects.none()
    return [("", _("No region / not listed"))] + [(r.code, f"{r.name} ({r.code})") for r in regions]


# The languages offered in the search filter: the network's working languages.
COMMON_LANGUAGES = (
    "en",
    "sv",
    "no",
    "nb",
    "nn",
    "da",
    "fi",
    "de",
    "fr",
    "nl",
    "es",
    "ca",
    "pt",
    "it",
    "pl",
    "sl",
    "el",
)


def query_without_page(request: HttpRequest) -> str:
    """The current query string without its page number, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
