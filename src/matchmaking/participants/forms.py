"""Forms for participants: they validate input and hand plain values to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import Form, choice_field, country_choices, term_choices
from matchmaking.participants.models import (
    ClockStart,
    Consent,
    Gender,
    ParticipantLanguage,
    ParticipantSkill,
    SkillSource,
    SupportRequirement,
)
from matchmaking.taxonomies.codelists import BARRIERS

DATE = forms.DateInput(attrs={"type": "date"})


class ProfileForm(Form):
    reference = forms.CharField(label=_("Reference in your case system"), max_length=60, required=False)
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)
    clock_start = forms.ChoiceField(
        label=_("The Youth Guarantee clock starts when the person"), choices=ClockStart.choices
    )
    clock_start_on = forms.DateField(
        label=_("Date the clock starts"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty to start it on the registration date."),
    )
    home_country = forms.ChoiceField(label=_("Country of residence"), required=False)
    region = forms.CharField(label=_("Region (NUTS 2 code)"), max_length=5, required=False)
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DATE)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DATE)
    willing_to_go_abroad = forms.BooleanField(label=_("Willing to go abroad"), required=False)
    support_requirements = forms.MultipleChoiceField(
        label=_("Practical support needed"),
        required=False,
        choices=SupportRequirement.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "State what is needed, never a diagnosis. Placements that cannot offer it are not proposed."
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender (self-declared, optional)"),
        required=False,
        choices=Gender.choices,
        help_text=_(
            "Only as the person states it, or 'Not stated'. Used for anonymous monitoring and fairness "
            "reports only, never for matching."
        ),
    )
    fewer_opportunities = forms.BooleanField(
        label=_("Fewer opportunities"),
        required=False,
        help_text=_("Used for support planning and anonymous monitoring only, never for matching."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "home_country").choices = country_choices()

    def profile(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("region", None)
        return data


class IdentityForm(Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DATE,
        help_text=_("Only used to tell whether the Youth Guarantee's 4-month limit applies."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NewParticipantForm(IdentityForm, ProfileForm):
    pass


class LanguageForm(Form):
    code = forms.ChoiceField(label=_("Language"))
    level = forms.ChoiceField(label=_("Level (CEFR)"), choices=ParticipantLanguage.Level.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "code").choices = term_choices("languages")


class SkillSearchForm(Form):
    q = forms.CharField(label=_("Search ESCO skills"), max_length=200, required=False)


class StoryForm(Form):
    section = forms.ChoiceField(label=_("Part of the interview"), choices=SkillSource.choices)
    story = forms.CharField(
        label=_("What the person tells you, in their words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SkillForm(Form):
    uri = forms.CharField(widget=forms.HiddenInput, max_length=200)
    label = forms.CharField(widget=forms.HiddenInput, max_length=300)
    how = forms.ChoiceField(label=_("Learnt"), choices=ParticipantSkill.How.choices)
    source = forms.ChoiceField(label=_("Where"), choices=SkillSource.choices)
    validated = forms.BooleanField(label=_("Validated"), required=False)
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=2000)


class ConsentForm(Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    organisation = forms.ChoiceField(
        label=_("Organisation (for sharing only)"),
        required=False,
    )
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "organisation").choices = [("", _("None")), *organisations]


class BarriersForm(Form):
    barriers = forms.MultipleChoiceField(
        label=_("Reasons for fewer opportunities (Erasmus+ categories)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only with the participant's consent for this purpose. Never used for matching."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "barriers").choices = term_choices(BARRIERS)


class GroupMemberForm(Form):
    email = forms.EmailField(label=_("Email of the professional"))
    organisation = forms.ChoiceField(label=_("Their organisation"))
    role = forms.CharField(label=_("Role in the group"), max_length=100, required=False)
    can_view_personal = forms.BooleanField(label=_("May see personal details"), required=False)

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "organisation").choices = organisations


class EndMemberForm(Form):
    reason = forms.CharField(label=_("Reason for leaving the group"), max_length=200)


class EraseForm(Form):
    confirm = forms.CharField(
        label=_("Type the pseudonym to confirm"),
        max_length=12,
        help_text=_("Erasure cannot be undone. Only anonymous statistics are kept."),
    )


class CaseloadFilterForm(Form):
    q = forms.CharField(label=_("Pseudonym or reference"), required=False, max_length=60)
    mine = forms.BooleanField(label=_("Only my participants"), required=False)
    clock = forms.ChoiceField(
        label=_("Youth Guarantee clock"),
        required=False,
        choices=[("", _("Any")), ("overdue", _("Overdue")), ("running", _("Running"))],
    )
