"""The API token form: a name, a scope and a lifetime."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from matchmaking.accounts.models import ApiToken
from matchmaking.accounts.services import MAX_TOKEN_DAYS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the reporting script."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("A read-only token can read but not change anything."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        help_text=_("At most %(max)d days.") % {"max": MAX_TOKEN_DAYS},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Labels without a trailing colon: screen readers read the label as written.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.API_TOKEN_DAYS


class NotificationPreferencesForm(forms.Form):
    """One choice of delivery per group of notifications (in the app, email at once, daily digest)."""

    def __init__(self, *args: Any, initial_choices: dict[str, str], **kwargs: Any) -> None:
        from matchmaking.core.notification_kinds import DELIVERY_CHOICES, GROUPS

        super().__init__(*args, **kwargs)
        for code, group in GROUPS.items():
            self.fields[code] = forms.ChoiceField(
                label=str(group.label),  # the form is made for each request, in its language
                choices=DELIVERY_CHOICES,
                initial=initial_choices.get(code, group.default),
                widget=forms.RadioSelect,
            )

    def rows(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields]
