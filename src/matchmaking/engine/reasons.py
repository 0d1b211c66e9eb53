"""Reasons in plain language, kept as a message template plus parameters.

Every score, exclusion and audit flag is explained by ``Reason`` objects. The English ``text`` is
ready to show; ``code``, ``template`` and ``params`` let the web app translate the same sentence
later (the template is the message id, the parameters fill it in) and let tests check the facts
rather than the wording. Lists of codes stay codes in ``params``; the ``text`` shows their labels.

Every kind of sentence is declared once, at module level, with ``reason_template(code, template)``;
the declarations fill ``TEMPLATES``, which the web app's catalogue of translated sentences is checked
against (same codes, same templates, same slots).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from string import Formatter
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
    parts: tuple[Reason, ...] = ()

    @classmethod
    def of(cls, code: str, template: str, labels: Labeller | None = None, **params: ParamValue) -> Reason:
        """Build a reason and render its English text (code lists shown with ``labels``)."""
        return cls(code, template, dict(params), render(template, params, labels or plain_label))

    def with_parts(self, parts: tuple[Reason, ...]) -> Reason:
        """The same reason, keeping the reasons a slot of it quotes (so they can be translated too).

        Examples
        --------
        >>> inner = Reason.of("abroad", "In {country}", country="SE")
        >>> outer = Reason.of("why", "Because: {why}", why=inner.text).with_parts((inner,))
        >>> outer.as_dict()["parts"][0]["code"]
        'abroad'
        """
        return Reason(self.code, self.template, self.params, self.text, parts)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: lists instead of tuples."""
        return self._json(with_text=True)

    def as_stored(self) -> dict[str, Any]:
        """The form kept in rows written by the hundred thousand (partner suggestions): ``as_dict``
        without the English ``text``, which a reader renders again from the template and parameters
        in its own language. A third of such a row's bytes, written and parsed for nothing.

        Examples
        --------
        >>> Reason.of("abroad", "In {country}", country="SE").as_stored()
        {'code': 'abroad', 'template': 'In {country}', 'params': {'country': 'SE'}}
        """
        return self._json(with_text=False)

    def _json(self, *, with_text: bool) -> dict[str, Any]:
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        found: dict[str, Any] = {"code": self.code, "template": self.template, "params": params}
        if with_text:
            found["text"] = self.text
        if self.parts:
            found["parts"] = [p._json(with_text=with_text) for p in self.parts]
        return found

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


@dataclass(frozen=True)
class ReasonTemplate:
    """One kind of sentence the engine writes: its code and its English template with ``{slots}``.

    Examples
    --------
    >>> gap = ReasonTemplate("skill-gap", "Missing: {skills}")
    >>> gap.slots
    ('skills',)
    >>> gap.of(skills=("food-hygiene",)).text
    'Missing: food hygiene'
    """

    code: str
    template: str
    _made: dict[tuple[Any, ...], Reason] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def slots(self) -> tuple[str, ...]:
        """The names of the template's slots, in order of first appearance."""
        names = (name for _, name, _, _ in Formatter().parse(self.template) if name)
        return tuple(dict.fromkeys(names))

    def of(self, labels: Labeller | None = None, **params: ParamValue) -> Reason:
        """A reason of this kind (see ``Reason.of``).

        A reason is immutable, and a refresh writes the same few (shared languages and topics, "new
        partner", the same free dates) for hundreds of thousands of pairs: each is made once per
        parameters and labels and then shared (at most ``MADE_PER_TEMPLATE`` kept per kind; the
        labels, a network's, are part of the key, so a network read again makes its own)."""
        key = (labels, *params.items(), *map(type, params.values()))
        try:
            found = self._made.get(key)
        except TypeError:  # labels (a bound method of a dict, say) or a value that cannot be a key
            return Reason.of(self.code, self.template, labels, **params)
        if found is None:
            if len(self._made) >= MADE_PER_TEMPLATE:
                self._made.clear()
            found = self._made[key] = Reason.of(self.code, self.template, labels, **params)
        return found


MADE_PER_TEMPLATE = 4096


TEMPLATES: dict[tuple[str, str], ReasonTemplate] = {}
"""Every declared kind of sentence, by (code, English template); filled as the modules are imported."""


def reason_template(code: str, template: str) -> ReasonTemplate:
    """Declare one kind of sentence (at module level) and register it in ``TEMPLATES``.

    Examples
    --------
    >>> found = reason_template("example", "An example about {topic}")
    >>> TEMPLATES[("example", "An example about {topic}")] is found
    True
    >>> del TEMPLATES[("example", "An example about {topic}")]
    """
    return TEMPLATES.setdefault((code, template), ReasonTemplate(code, template))
