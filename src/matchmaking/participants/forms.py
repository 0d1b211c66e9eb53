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
from matchmaking.participants.record_purpose import PURPOSES
from matchmaking.taxonomies import skill_finder
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


YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# The purposes asked at intake, each on its own (the person may agree to some and not others).
INTAKE_PURPOSES = (
    Consent.Purpose.SUPPORT,
    Consent.Purpose.MONITORING,
    Consent.Purpose.BARRIERS,
    Consent.Purpose.TESTIMONIALS,
)


class NewParticipantForm(IdentityForm, ProfileForm):
    """Registration, with the person's consent asked per purpose and per receiving organisation:
    nothing is answered in advance."""

    def __init__(self, *args: Any, organisations: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        labels = dict(Consent.Purpose.choices)
        for purpose in INTAKE_PURPOSES:
            self.fields[f"consent_{purpose}"] = forms.ChoiceField(
                label=_("Consent: %(purpose)s") % {"purpose": labels[purpose]},
                choices=YES_NO,
                widget=forms.RadioSelect,
                help_text=_("Ask the person; they can revoke it at any time on the Consent tab."),
            )
        self.fields["consent_sharing"] = forms.MultipleChoiceField(
            label=_("Consent: sharing with these organisations (follow-up group, referrals)"),
            choices=list(organisations),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Only the organisations the person agrees to. Their staff can join the follow-up group "
                "and see the record only while this consent stands."
            ),
        )

    def consents(self) -> list[str]:
        """The purposes the person agreed to."""
        return [p for p in INTAKE_PURPOSES if self.cleaned_data.get(f"consent_{p}") == "yes"]


class LanguageForm(Form):
    code = forms.ChoiceField(label=_("Language"))
    level = forms.ChoiceField(label=_("Level (CEFR)"), choices=ParticipantLanguage.Level.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "code").choices = term_choices("languages")


# As much as the skill finder reads: a longer story or query is a form error, never cut silently.
STORY_MAX = skill_finder.MAX_STORY_CHARS
SEARCH_MAX = skill_finder.MAX_QUERY_CHARS


class SkillSearchForm(Form):
    q = forms.CharField(
        label=_("Skill or occupation"),
        max_length=SEARCH_MAX,
        required=False,
        error_messages={
            "max_length": _(
                "Skill or occupation: write at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    kind = forms.ChoiceField(
        label=_("Look for"),
        required=False,
        choices=[("skill", _("Skills")), ("occupation", _("Occupations of interest"))],
    )

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or "skill"


class StoryForm(Form):
    section = forms.ChoiceField(label=_("Part of the interview"), choices=SkillSource.choices)
    story = forms.CharField(
        label=_("What the person tells you, in their words"),
        max_length=STORY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In any of the six languages; each suggestion shows the sentence it comes from."),
        error_messages={
            "required": _("What the person tells you: write a few words of the person's story."),
            "max_length": _(
                "What the person tells you: write at most %(limit_value)d characters "
                "(it has %(show_value)d); split a long story into parts."
            ),
        },
    )


class SkillForm(Form):
    uri = forms.CharField(widget=forms.HiddenInput, max_length=200)
    label = forms.CharField(widget=forms.HiddenInput, max_length=300)
    how = forms.ChoiceField(label=_("Learnt"), choices=ParticipantSkill.How.choices)
    source = forms.ChoiceField(label=_("Where"), choices=SkillSource.choices)
    validated = forms.BooleanField(label=_("Validated"), required=False)
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=2000)


class AcceptSkillsForm(Form):
    """What applies to all the ticked suggestions at once; the ticked skills are read by the view."""

    listing = forms.ChoiceField(choices=[(name, name) for name in ("story", "search", "occupation")])
    how = forms.ChoiceField(label=_("Learnt"), choices=ParticipantSkill.How.choices)
    source = forms.ChoiceField(label=_("Where"), choices=SkillSource.choices)


VALIDATION_CHOICES = [("no", _("Not validated yet")), ("yes", _("Validated"))]


class SkillEditForm(Form):
    skill = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shows the skill: a certificate, a reference, what the person did and where."),
        error_messages={
            "max_length": _("Evidence: write at most %(limit_value)d characters (it has %(show_value)d).")
        },
    )
    validated = forms.ChoiceField(label=_("Validation status"), choices=VALIDATION_CHOICES)

    def clean_validated(self) -> bool:
        return self.cleaned_data["validated"] == "yes"


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


class PurposeForm(Form):
    """Why the record is opened; nothing is chosen in advance."""

    purpose = forms.ChoiceField(
        label=_("Why do you open this record?"), choices=PURPOSES, widget=forms.RadioSelect
    )


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
