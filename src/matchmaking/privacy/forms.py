"""The purpose of an export, chosen by the person who takes it and written to the access log."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import Form

# Code → what the person who exports the data tells the log. The code is what the log stores.
EXPORT_PURPOSES = (
    ("right-of-access", _("The person asked for a copy of their data (right of access)")),
    ("data-portability", _("The person asked to take their data to another service (data portability)")),
    ("case-transfer", _("The case moves to another service, with the person's written agreement")),
)


class ExportForm(Form):
    purpose = forms.ChoiceField(
        label=_("Why is the data exported?"), choices=EXPORT_PURPOSES, widget=forms.RadioSelect
    )
