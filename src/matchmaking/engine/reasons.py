"""Reasons in plain language, kept as a message template plus parameters.

Every score, exclusion and audit flag is explained by ``Reason`` objects. The English ``text`` is
ready to show; ``code``, ``template`` and ``params`` let the web app translate the same sentence
later (the template is the message id, the parameters fill it in) and let tests check the facts
rather than the wording. Lists of codes stay codes in ``params``; the ``text`` shows their labels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ParamValue = str | int | float | tuple[str, ...]
Labeller = Callable[[str], str]


def plain_label(code: str) -> str:
    """The label to show when no taxonomy labels are given, so that a code still reads as words.

    Parameters
    ----------
    code : str

    Returns
    -------
    str

    Examples
    --------
    >>> plain_label("work-placements")
    'work placements'
    """
    return code.replace("-", " ")


@dataclass(frozen=True)
class Reason:
    """One explanation, kept as data so it can be translated and tested, not just shown.

    Attributes
    ----------
    code : str
        Stable identifier of the kind of reason.
    template : str
        The English sentence with ``{name}`` slots (the message id for translation).
    params : Mapping
        What fills the slots; lists of codes stay codes here.
    text : str
        The rendered English sentence, code lists shown with their labels.

    Examples
    --------
    >>> reason = Reason.of("skill-gap", "Missing: {skills}", skills=("food-hygiene",))
    >>> reason.text
    'Missing: food hygiene'
    >>> reason.as_dict()["params"]
    {'skills': ['food-hygiene']}
    """

    code: str
    template: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    text: str = ""

    @classmethod
    def of(cls, code: str, template: str, labels: Labeller | None = None, **params: ParamValue) -> Reason:
        """Build a reason and render its English text (code lists shown with ``labels``)."""
        return cls(code, template, dict(params), render(template, params, labels or plain_label))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: lists instead of tuples."""
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return {"code": self.code, "template": self.template, "params": params, "text": self.text}

    def __str__(self) -> str:
        return self.text


def render(template: str, params: Mapping[str, ParamValue], labels: Labeller = plain_label) -> str:
    """Fill ``template``; tuples of codes become a comma-separated list of labels."""
    shown = {
        name: ", ".join(labels(v) for v in value) if isinstance(value, tuple) else value
        for name, value in params.items()
    }
    return template.format(**shown)


def plural(count: int, one: str, many: str) -> str:
    """``1 day`` / ``3 days``: the unit word to put after a number."""
    return one if count == 1 else many
