"""The round-create form at size: people and placements are found by a filter, and either picked from
the first matches or taken all at once ("everyone matching"), so the page never lists everyone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.placements.forms import RoundForm

SHOWN = 100  # matches listed to pick from; "everyone matching" takes them all


class RoundScopeForm(RoundForm):
    """``RoundForm`` whose participant and placement choices are the current filter's first matches
    (and whatever was posted, checked again by the view), with "everyone matching" for each side."""

    people_query = forms.CharField(
        label=_("Find participants"),
        required=False,
        max_length=100,
        help_text=_("Part of a pseudonym or of an organisation's name; empty finds everyone."),
    )
    all_participants = forms.BooleanField(
        label=_("Everyone matching the search (not only those ticked)"), required=False
    )
    places_query = forms.CharField(
        label=_("Find placements"),
        required=False,
        max_length=100,
        help_text=_("Part of a title, an identifier or a host's name; empty finds every open placement."),
    )
    all_placements = forms.BooleanField(
        label=_("Every placement matching the search (not only those ticked)"), required=False
    )

    field_order = [
        "name",
        "method",
        "floor",
        "min_fit",
        "people_query",
        "all_participants",
        "participants",
        "places_query",
        "all_placements",
        "placements",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].required = False
        self.fields["placements"].required = False
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("all_participants") and not data.get("participants"):
            self.add_error("participants", _("Tick participants, or take everyone matching the search."))
        if not data.get("all_placements") and not data.get("placements"):
            self.add_error("placements", _("Tick placements, or take every placement matching the search."))
        return data
