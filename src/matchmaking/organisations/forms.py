"""Forms for organisation profiles, applications to join, invitations, roles and the organisation
search. They validate input and hand plain codes to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import (
    COMMON_LANGUAGES,
    Choice,
    Form,
    choice_field,
    country_choices,
    region_choices,
    term_choices,
)
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import Role
from matchmaking.taxonomies.code_lists import terms_of
from matchmaking.taxonomies.countries import country_name
from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Region


class OrganisationProfileForm(Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"))
    country = forms.ChoiceField(label=_("Country"))
    region = forms.ChoiceField(
        label=_("Region (NUTS 2)"), required=False, help_text=_("The list follows the country you choose.")
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        help_text=_("Languages your staff can work in during a visit."),
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups you work with"), required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.MultipleChoiceField(
        label=_("What you can show (expertise)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    interests = forms.MultipleChoiceField(
        label=_("What you want to learn (interests)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hosting_capacity = forms.IntegerField(
        label=_("Hosting capacity"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=_("The most visitors you can host on any one day (0 if you do not host)."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    erasmus_id = forms.CharField(
        label=_("Erasmus+ organisation ID"),
        required=False,
        max_length=9,
        validators=[
            RegexValidator(r"^E\d{8}$", _("An Erasmus+ organisation ID is 'E' followed by 8 digits."))
        ],
        help_text=_("E followed by 8 digits, e.g. E10012345."),
    )
    erasmus_accreditation = forms.CharField(label=_("Erasmus+ accreditation"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [("", _("Choose a kind")), *term_choices("organisation-kinds")]
        choice_field(self, "country").choices = country_choices()
        country = self.data.get(self.add_prefix("country")) or self.initial.get("country")
        choice_field(self, "region").choices = region_choices(country)
        # Choosing a country reloads the region list without a page reload (htmx).
        self.fields["country"].widget.attrs.update(
            {
                "hx-get": reverse("organisations:region-options"),
                "hx-target": f"#{self.auto_id % self.add_prefix('region')}"
                if isinstance(self.auto_id, str) and self.auto_id
                else "#id_region",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )
        choice_field(self, "languages").choices = term_choices(LANGUAGES_SCHEME)
        choice_field(self, "target_groups").choices = term_choices("target-groups")
        choice_field(self, "expertise").choices = term_choices("practice-topics")
        choice_field(self, "interests").choices = term_choices("practice-topics")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        region, country = data.get("region"), data.get("country")
        if region and country and not Region.objects.filter(code=region, country=country).exists():
            self.add_error("region", _("This region is not in the chosen country."))
        return data

    def profile(self) -> dict[str, Any]:
        """The cleaned data as the plain profile the services take."""
        data = dict(self.cleaned_data)
        data["region"] = data.get("region") or None
        data["erasmus_id"] = data.get("erasmus_id") or None
        return data


class JoinApplicationForm(OrganisationProfileForm):
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_email = forms.EmailField(
        label=_("Your email"), help_text=_("You will be the organisation's administrator and log in with it.")
    )
    message = forms.CharField(
        label=_("Why do you want to join the network?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def profile(self) -> dict[str, Any]:
        data = super().profile()
        for key in ("contact_name", "contact_email", "message"):
            data.pop(key, None)
        return data


class RefuseForm(Form):
    reason = forms.CharField(
        label=_("Reason for refusing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant receives this reason by email."),
    )


class StatusForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the change history."),
    )


class InvitationForm(Form):
    email = forms.EmailField(label=_("Email of the person to invite"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        choice_field(self, "role").choices = [(r, labels[r]) for r in roles]


class RoleForm(Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        choice_field(self, "role").choices = [(r, labels[r]) for r in roles]


class AcceptInvitationForm(Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput, min_length=10)
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        if data.get("password1"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def region_filter_choices() -> list[Any]:
    """The NUTS 2 regions that have an active member organisation, grouped by country (for filters).

    Each region (a few hundred) is tested by the organisations' region index: gathering the region of
    every active organisation first cost 16 ms on each list page of a network of 10,000, 4 ms this way.
    """
    used = Organisation.objects.filter(status=Organisation.Status.ACTIVE, region=OuterRef("pk"))
    regions = Region.objects.filter(Exists(used)).order_by("country", "name")
    language = get_language() or "en"
    groups: dict[str, list[Choice]] = {}
    for region in regions:
        groups.setdefault(region.country, []).append((region.code, f"{region.name} ({region.code})"))
    named = sorted(groups.items(), key=lambda item: country_name(item[0], language))
    return [("", _("Any")), *((country_name(code, language), options) for code, options in named)]


class OrganisationSearchForm(Form):
    q = forms.CharField(label=_("Keywords"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region (NUTS 2)"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    topic = forms.ChoiceField(label=_("Practice topic"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = countries
        any_: list[Choice] = [("", _("Any"))]
        language = get_language() or "en"
        choice_field(self, "country").choices = any_ + [(c, country_name(c, language)) for c in present]
        choice_field(self, "region").choices = region_filter_choices()
        choice_field(self, "kind").choices = any_ + term_choices("organisation-kinds")
        choice_field(self, "topic").choices = any_ + term_choices("practice-topics")
        choice_field(self, "target_group").choices = any_ + term_choices("target-groups")
        used = terms_of(LANGUAGES_SCHEME, COMMON_LANGUAGES)
        choice_field(self, "language").choices = any_ + [(t.code, t.label) for t in used]


def profile_rows(profile: dict[str, Any]) -> list[tuple[str, str]]:
    """A proposed profile as (label, readable value) pairs, with code lists shown by their labels."""
    form = OrganisationProfileForm()
    rows = []
    for name, field in form.fields.items():
        value = profile.get(name)
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, list):
            text = ", ".join(str(choices.get(v, v)) for v in value)
        elif value in (None, ""):
            text = ""
        else:
            text = str(choices.get(value, value)) if choices else str(value)
        rows.append((str(field.label), text))
    return rows
