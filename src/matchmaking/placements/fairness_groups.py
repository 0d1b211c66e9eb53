"""The groups of a round's fairness report: stored as codes (organisations by name), shown in the
reader's language. Reports stored before the codes hold English labels; those are read too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matchmaking.participants.models import AgeGroup, Gender

FEWER, OTHERS = "fewer-opportunities", "others"
NOT_STATED, UNKNOWN_AGE = "not-stated", "unknown"

AUDITS = {
    "fewer_opportunities": _("By fewer opportunities"),
    "age_group": _("By age band"),
    "gender": _("By gender (self-declared)"),
    "organisation": _("By organisation"),
}

_LABELS = {
    "fewer_opportunities": {FEWER: _("fewer opportunities"), OTHERS: _("others")},
    "age_group": {
        AgeGroup.YOUNG.value: AgeGroup.YOUNG.label,
        AgeGroup.ADULT.value: AgeGroup.ADULT.label,
        UNKNOWN_AGE: AgeGroup.UNKNOWN.label,
    },
    "gender": {
        Gender.WOMAN.value: Gender.WOMAN.label,
        Gender.MAN.value: Gender.MAN.label,
        Gender.NON_BINARY.value: Gender.NON_BINARY.label,
        NOT_STATED: Gender.NOT_STATED.label,
    },
}
# Reports stored with English labels: label → code.
_LEGACY = {
    "fewer opportunities": FEWER,
    "others": OTHERS,
    "Young person": AgeGroup.YOUNG.value,
    "Adult": AgeGroup.ADULT.value,
    "Not known": UNKNOWN_AGE,
    "Woman": Gender.WOMAN.value,
    "Man": Gender.MAN.value,
    "Non-binary": Gender.NON_BINARY.value,
    "Not stated": NOT_STATED,
}


def group_code(audit: str, value: str | None) -> str | None:
    """The code a participant's group is stored under (organisations: their name)."""
    if audit == "age_group":
        return value or None
    if audit == "gender":
        return value or NOT_STATED
    return value


def stored_code(audit: str, group: str) -> str:
    """The code of a stored group, whether the report stored the code or (before) an English label."""
    labels = _LABELS.get(audit)
    if labels is None or group in labels:
        return group
    return _LEGACY.get(group, group)


def group_label(audit: str, group: str) -> str:
    """A stored group in the active language (an organisation's name as it is)."""
    labels = _LABELS.get(audit)
    if labels is None:
        return group
    return str(labels.get(stored_code(audit, group), group))


def audit_label(audit: str) -> str:
    return str(AUDITS.get(audit, audit))
