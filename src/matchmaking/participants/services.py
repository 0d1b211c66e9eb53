"""Write paths for participants: the record, identifying details, languages, skills, consent, group.

Every function is keyword-only, atomic, checks permission, writes an audit row, and logs any change of
personal data in the access log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.access_log import access_log_record
from matchmaking.core.audit import audit_record
from matchmaking.core.models import PersonalDataAccess
from matchmaking.engine.languages import cefr_rank
from matchmaking.organisations.models import Organisation
from matchmaking.participants.access import can_create_participant, can_edit_participant
from matchmaking.participants.consent import (  # noqa: F401 - part of this module's interface
    consent_active,
    consent_give,
    consent_revoke,
    group_member_add,
    group_member_end,
    group_member_update,
)
from matchmaking.participants.esco_lookup import esco_version, is_skill_uri, skill_label
from matchmaking.participants.models import (
    AgeGroup,
    ClockStart,
    Consent,
    Gender,
    Participant,
    ParticipantIdentity,
    ParticipantLanguage,
    ParticipantSkill,
    SupportRequirement,
)
from matchmaking.permissions.roles import CASELOAD_ROLES, role_in
from matchmaking.taxonomies.codelists import BARRIERS, codes
from matchmaking.taxonomies.models import Region

PROFILE_FIELDS = (
    "reference",
    "registered_on",
    "clock_start",
    "clock_start_on",
    "home_country",
    "available_from",
    "available_until",
    "willing_to_go_abroad",
    "support_requirements",
    "occupation_interests",
    "fewer_opportunities",
    "gender",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def age_group_for(date_of_birth: date | None, on: date) -> str:
    """Young (under the Youth Guarantee age limit on ``on``) or adult; '' when the birth date is unknown."""
    if date_of_birth is None:
        return AgeGroup.UNKNOWN
    age = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    return AgeGroup.YOUNG if age < settings.YOUTH_GUARANTEE_AGE_LIMIT else AgeGroup.ADULT


def _clean_profile(profile: dict[str, Any]) -> dict[str, Any]:
    data = {k: profile[k] for k in PROFILE_FIELDS if k in profile}
    unknown = set(data.get("support_requirements") or []) - set(SupportRequirement.values)
    if unknown:
        raise ValidationError(
            {"support_requirements": _("Unknown support requirement: %s") % ", ".join(unknown)}
        )
    if (
        data.get("available_from")
        and data.get("available_until")
        and data["available_until"] < data["available_from"]
    ):
        raise ValidationError({"available_until": _("The end of availability is before its start.")})
    if "gender" in data and (data["gender"] or "") not in Gender.values:
        raise ValidationError({"gender": _("Unknown gender: choose from the list or 'Not stated'.")})
    if "gender" in data:
        data["gender"] = data["gender"] or ""
    if "clock_start" in data and data["clock_start"] not in ClockStart.values:
        raise ValidationError({"clock_start": _("Unknown clock start.")})
    if "home_country" in data:
        data["home_country"] = (data["home_country"] or "").upper()
    return data


@transaction.atomic
def participant_create(
    *,
    actor: User | None,
    organisation: Organisation,
    profile: dict[str, Any],
    identity: dict[str, Any] | None = None,
    key_worker: User | None = None,
    region: str | None = None,
    path: str = "",
) -> Participant:
    """A new participant in ``organisation``'s caseload (the actor becomes key worker by default)."""
    _require(actor is None or can_create_participant(actor, organisation))
    data = _clean_profile(profile)
    data.setdefault("registered_on", timezone.localdate())
    participant = Participant(organisation=organisation, key_worker=key_worker or actor, **data)
    participant.region = Region.objects.filter(code=region).first() if region else None
    participant.save()
    if identity:
        _write_identity(participant, identity)
    audit_record(
        actor=actor,
        action="participant.create",
        obj=participant,
        after=_snapshot(participant, PROFILE_FIELDS),
        organisation_id=organisation.pk,
    )
    access_log_record(
        user=actor,
        subject=participant,
        fields=["profile", *sorted(identity or {})],
        purpose="registration",
        kind=PersonalDataAccess.CHANGE,
        path=path,
    )
    return participant


def _write_identity(participant: Participant, identity: dict[str, Any]) -> ParticipantIdentity:
    record, _created = ParticipantIdentity.objects.get_or_create(
        participant=participant, defaults={"given_name": identity.get("given_name") or "?"}
    )
    for name in (*ParticipantIdentity.PERSONAL_FIELDS, "preferred_language"):
        if name in identity:
            setattr(record, name, identity[name] or ("" if name != "date_of_birth" else None))
    record.full_clean(exclude=["participant"])
    record.save()
    on = participant.clock_start_on or participant.registered_on
    participant.age_group = age_group_for(record.date_of_birth, on)
    participant.save(update_fields=["age_group", "updated_at"])
    return record


@transaction.atomic
def participant_update(
    *,
    actor: User,
    participant: Participant,
    profile: dict[str, Any],
    region: str | None = None,
    path: str = "",
) -> Participant:
    _require(can_edit_participant(actor, participant))
    before = _snapshot(participant, PROFILE_FIELDS)
    for name, value in _clean_profile(profile).items():
        setattr(participant, name, value)
    participant.region = Region.objects.filter(code=region).first() if region else None
    if not participant.fewer_opportunities:
        participant.barriers = []
    participant.save()
    if hasattr(participant, "identity"):
        on = participant.clock_start_on or participant.registered_on
        participant.age_group = age_group_for(participant.identity.date_of_birth, on)
        participant.save(update_fields=["age_group"])
    audit_record(
        actor=actor,
        action="participant.update",
        obj=participant,
        before=before,
        after=_snapshot(participant, PROFILE_FIELDS),
        organisation_id=participant.organisation_id,
    )
    access_log_record(
        user=actor,
        subject=participant,
        fields=["profile"],
        purpose="case work",
        kind=PersonalDataAccess.CHANGE,
        path=path,
    )
    return participant


@transaction.atomic
def identity_update(
    *, actor: User, participant: Participant, identity: dict[str, Any], path: str = ""
) -> None:
    _require(can_edit_participant(actor, participant))
    _write_identity(participant, identity)
    # The audit names the fields changed, never their values: the trail is not a second copy of them.
    audit_record(
        actor=actor,
        action="participant.identity-update",
        obj=participant,
        after={"fields": sorted(identity)},
        organisation_id=participant.organisation_id,
    )
    access_log_record(
        user=actor,
        subject=participant,
        fields=sorted(identity),
        purpose="case work",
        kind=PersonalDataAccess.CHANGE,
        path=path,
    )


@transaction.atomic
def barriers_set(*, actor: User, participant: Participant, barriers: list[str], path: str = "") -> None:
    """Record the Erasmus+ barrier categories: only with explicit, current consent for this purpose."""
    _require(can_edit_participant(actor, participant))
    unknown = set(barriers) - codes(BARRIERS)
    if unknown:
        raise ValidationError(_("Unknown barrier category: %s") % ", ".join(sorted(unknown)))
    if barriers and not consent_active(participant=participant, purpose=Consent.Purpose.BARRIERS):
        raise ValidationError(
            _("The participant has not consented to recording the reasons; only the flag can be set.")
        )
    before = list(participant.barriers)
    participant.barriers = sorted(barriers)
    if barriers:
        participant.fewer_opportunities = True
    participant.save(update_fields=["barriers", "fewer_opportunities", "updated_at"])
    audit_record(
        actor=actor,
        action="participant.barriers",
        obj=participant,
        before={"count": len(before)},
        after={"count": len(barriers)},
        organisation_id=participant.organisation_id,
    )
    access_log_record(
        user=actor,
        subject=participant,
        fields=["barriers"],
        purpose="support planning",
        kind=PersonalDataAccess.CHANGE,
        path=path,
    )


@transaction.atomic
def language_set(*, actor: User, participant: Participant, code: str, level: str) -> ParticipantLanguage:
    _require(can_edit_participant(actor, participant))
    code = code.strip().lower()
    try:
        cefr_rank(level)
    except ValueError as exc:
        raise ValidationError({"level": str(exc)}) from exc
    if not code.isalpha() or len(code) not in (2, 3):
        raise ValidationError({"code": _("Use a two-letter language code, e.g. sv.")})
    language, _created = ParticipantLanguage.objects.update_or_create(
        participant=participant, code=code, defaults={"level": level.upper()}
    )
    audit_record(
        actor=actor,
        action="participant.language",
        obj=participant,
        after={code: level},
        organisation_id=participant.organisation_id,
    )
    return language


@transaction.atomic
def language_remove(*, actor: User, participant: Participant, code: str) -> None:
    _require(can_edit_participant(actor, participant))
    deleted, _n = participant.languages.filter(code=code).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="participant.language-remove",
            obj=participant,
            before={code: "removed"},
            organisation_id=participant.organisation_id,
        )


@transaction.atomic
def skill_add(
    *,
    actor: User,
    participant: Participant,
    uri: str,
    label: str,
    how: str,
    source: str,
    evidence: str = "",
    validated: bool = False,
) -> ParticipantSkill:
    """Accept a skill into the profile (or update it), recording how it was learnt and the ESCO version."""
    _require(can_edit_participant(actor, participant))
    if not uri.startswith("http://data.europa.eu/esco/skill/"):
        raise ValidationError({"uri": _("Choose a skill from the ESCO suggestions.")})
    if how not in ParticipantSkill.How.values:
        raise ValidationError({"how": _("Say whether the skill was learnt formally or informally.")})
    skill, created = ParticipantSkill.objects.update_or_create(
        participant=participant,
        uri=uri,
        defaults={
            "label": label[:300],
            "how": how,
            "source": source,
            "evidence": evidence,
            "validated": validated,
            "esco_version": esco_version(),
            "added_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="skill.add" if created else "skill.update",
        obj=participant,
        after={"skill": uri, "how": how, "validated": validated},
        organisation_id=participant.organisation_id,
    )
    return skill


@transaction.atomic
def skills_add(
    *,
    actor: User,
    participant: Participant,
    skills: list[tuple[str, str]],
    how: str,
    source: str,
) -> list[ParticipantSkill]:
    """Accept several suggested skills at once, each ``(uri, evidence)``: all or none. Skills already in
    the profile are left as they are; the others are added with how and where they were learnt."""
    _require(can_edit_participant(actor, participant))
    if not skills:
        raise ValidationError({"pick": _("Tick at least one suggested skill.")})
    held = set(participant.skills.values_list("uri", flat=True))
    added = []
    for uri, evidence in skills:
        if uri in held:
            continue
        if not is_skill_uri(uri):
            raise ValidationError({"uri": _("Choose a skill from the ESCO suggestions.")})
        held.add(uri)
        added.append(
            skill_add(
                actor=actor,
                participant=participant,
                uri=uri,
                label=skill_label(uri),
                how=how,
                source=source,
                evidence=evidence[:2000],
            )
        )
    return added


@transaction.atomic
def skill_update(
    *, actor: User, participant: Participant, skill_id: int, evidence: str, validated: bool
) -> ParticipantSkill:
    """Change a mapped skill's evidence and validation status."""
    _require(can_edit_participant(actor, participant))
    skill = participant.skills.filter(pk=skill_id).first()
    if skill is None:
        raise ValidationError(_("That skill is not in the profile."))
    changed = [
        name
        for name, value in (("evidence", evidence), ("validated", validated))
        if getattr(skill, name) != value
    ]
    if not changed:
        return skill
    before = skill.validated
    skill.evidence, skill.validated = evidence, validated
    skill.save(update_fields=changed)
    # The evidence is the person's story: the trail names that it changed, not what it says.
    audit_record(
        actor=actor,
        action="skill.update",
        obj=participant,
        before={"skill": skill.uri, "validated": before},
        after={"skill": skill.uri, "validated": validated, "fields": changed},
        organisation_id=participant.organisation_id,
    )
    return skill


@transaction.atomic
def skill_remove(*, actor: User, participant: Participant, skill_id: int) -> None:
    _require(can_edit_participant(actor, participant))
    skill = participant.skills.filter(pk=skill_id).first()
    if skill is None:
        raise ValidationError(_("That skill is not in the profile."))
    audit_record(
        actor=actor,
        action="skill.remove",
        obj=participant,
        before={"skill": skill.uri},
        organisation_id=participant.organisation_id,
    )
    skill.delete()


@transaction.atomic
def skill_reject(*, actor: User, participant: Participant, uri: str) -> None:
    """A suggestion the worker and participant turned down: kept in the trail, not in the profile."""
    _require(can_edit_participant(actor, participant))
    audit_record(
        actor=actor,
        action="skill.reject-suggestion",
        obj=participant,
        after={"skill": uri},
        organisation_id=participant.organisation_id,
    )


@transaction.atomic
def key_worker_set(*, actor: User, participant: Participant, user: User) -> None:
    _require(can_edit_participant(actor, participant))
    if role_in(user, participant.organisation) not in CASELOAD_ROLES:
        raise ValidationError(_("The key worker must be a case worker of the organisation holding the case."))
    before = participant.key_worker_id
    participant.key_worker = user
    participant.save(update_fields=["key_worker", "updated_at"])
    audit_record(
        actor=actor,
        action="participant.key-worker",
        obj=participant,
        before={"key_worker": before},
        after={"key_worker": user.pk},
        organisation_id=participant.organisation_id,
    )


@transaction.atomic
def occupation_interest_set(
    *, actor: User, participant: Participant, uri: str, label: str, add: bool
) -> None:
    """Add or remove an ESCO occupation the person is interested in (it counts in matching)."""
    _require(can_edit_participant(actor, participant))
    if not uri.startswith("http://data.europa.eu/esco/occupation/"):
        raise ValidationError(_("Choose an occupation from the ESCO suggestions."))
    current = [o for o in participant.occupation_interests if o.get("uri") != uri]
    if add:
        current.append({"uri": uri, "label": label or uri})
    participant.occupation_interests = current
    participant.save(update_fields=["occupation_interests", "updated_at"])
    audit_record(
        actor=actor,
        action="participant.occupation-interest",
        obj=participant,
        after={"uri": uri, "added": add},
        organisation_id=participant.organisation_id,
    )
