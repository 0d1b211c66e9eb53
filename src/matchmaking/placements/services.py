"""Write paths for placements and their waiting lists."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.accounts.models import User
from matchmaking.core.audit import audit_record
from matchmaking.core.notifications import notify
from matchmaking.engine.languages import cefr_rank
from matchmaking.organisations.models import Organisation
from matchmaking.participants.access import can_edit_participant
from matchmaking.participants.esco_lookup import esco_version
from matchmaking.participants.models import Participant, SupportRequirement
from matchmaking.placements.access import can_publish_placement
from matchmaking.placements.models import (
    LabourMarket,
    Placement,
    PlacementKind,
    PlacementLanguage,
    PlacementSkill,
    Scheme,
    WaitingListEntry,
)
from matchmaking.placements.seats import seats_held
from matchmaking.taxonomies.models import Region

FIELDS = (
    "title",
    "occupation_uri",
    "occupation_label",
    "description",
    "seats",
    "start",
    "end",
    "country",
    "city",
    "support_offered",
    "labour_market",
    "kind",
    "scheme",
    "status",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def validate_placement(data: dict[str, Any]) -> dict[str, list[str]]:
    """Field → problems, for the form, the importer and the API alike."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (data.get("title") or "").strip():
        add("title", _("A title is needed."))
    seats = data.get("seats")
    if not isinstance(seats, int) or seats < 1 or seats > 1000:
        add("seats", _("Seats must be a whole number from 1 to 1000."))
    if data.get("start") and data.get("end") and data["end"] < data["start"]:
        add("end", _("The placement ends before it starts."))
    if len(data.get("country") or "") != 2:
        add("country", _("Give the country as a two-letter code, e.g. SE."))
    if data.get("status", Placement.Status.OPEN) not in Placement.Status.values:
        add("status", _("Use open or closed."))
    if data.get("labour_market", LabourMarket.REGULAR) not in LabourMarket.values:
        add("labour_market", _("Use regular, social-economy or training."))
    if data.get("kind", PlacementKind.TRAINEESHIP) not in PlacementKind.values:
        add("kind", _("Use traineeship, job, training, apprenticeship or work-trial."))
    if data.get("scheme", "") not in Scheme.values:
        add("scheme", _("Use no programme, esf or erasmus-vet."))
    unknown = set(data.get("support_offered") or []) - set(SupportRequirement.values)
    if unknown:
        add("support_offered", _("Unknown support: %s") % ", ".join(sorted(unknown)))
    uri = data.get("occupation_uri") or ""
    if uri and not uri.startswith("http://data.europa.eu/esco/occupation/"):
        add("occupation_uri", _("The occupation must be an ESCO occupation URI."))
    for skill in [*data.get("required_skills", []), *data.get("desired_skills", [])]:
        if not str(skill.get("uri", "")).startswith("http://data.europa.eu/esco/skill/"):
            add("skills", _("Not an ESCO skill URI: %s") % skill.get("uri", ""))
    for language in data.get("languages", []):
        try:
            cefr_rank(language.get("level", ""))
        except ValueError:
            add("languages", _("Not a CEFR level: %s") % language.get("level", ""))
    return errors


@transaction.atomic
def placement_save(
    *,
    actor: User | None,
    host: Organisation,
    data: dict[str, Any],
    placement: Placement | None = None,
    key: str | None = None,
    region: str | None = None,
    clear_region: bool = False,
    is_demo: bool = False,
) -> Placement:
    """Create or update a placement with its skills and language requirements.

    ``region`` (a NUTS code) sets the region; without one the region stays, unless ``clear_region``."""
    _require(actor is None or can_publish_placement(actor, host))
    errors = validate_placement(data)
    if placement is not None and isinstance(data.get("seats"), int):
        taken = seats_taken(placement)
        if data["seats"] < taken:
            errors.setdefault("seats", []).append(
                _("%(taken)s seats are already taken: keep at least that many.") % {"taken": taken}
            )
    if errors:
        raise ValidationError(errors)
    before = {f: getattr(placement, f) for f in FIELDS} if placement else {}
    if placement is None:
        placement = Placement(host=host, key=key or _new_key(host), created_by=actor, is_demo=is_demo)
    for name in FIELDS:
        if name in data:
            setattr(placement, name, data[name])
    placement.country = placement.country.upper()
    if clear_region:
        placement.region = None
    elif region:
        placement.region = Region.objects.filter(code=region).first()
    placement.esco_version = esco_version()
    placement.save()
    if "required_skills" in data or "desired_skills" in data:
        placement.skills.all().delete()
        rows = {
            s["uri"]: PlacementSkill(
                placement=placement, uri=s["uri"], label=s.get("label") or s["uri"], required=False
            )
            for s in data.get("desired_skills", [])
        }
        for s in data.get("required_skills", []):
            rows[s["uri"]] = PlacementSkill(
                placement=placement, uri=s["uri"], label=s.get("label") or s["uri"], required=True
            )
        PlacementSkill.objects.bulk_create(rows.values())
    if "languages" in data:
        placement.languages.all().delete()
        PlacementLanguage.objects.bulk_create(
            PlacementLanguage(placement=placement, code=lang["code"].lower(), level=lang["level"].upper())
            for lang in data["languages"]
        )
    audit_record(
        actor=actor,
        action="placement.update" if before else "placement.create",
        obj=placement,
        before=before,
        after={f: getattr(placement, f) for f in FIELDS},
        organisation_id=host.pk,
    )
    return placement


def _new_key(host: Organisation) -> str:
    number = Placement.objects.filter(host=host).count() + 1
    while Placement.objects.filter(key=f"{host.key}-p{number}").exists():
        number += 1
    return f"{host.key}-p{number}"


def seats_taken(placement: Placement) -> int:
    """Seats held by a round's proposals and by single proposals the host accepted (an accepted round
    proposal's lifecycle is counted once, through its proposal)."""
    return seats_held([placement.pk]).get(placement.pk, 0)


@transaction.atomic
def waiting_list_add(*, actor: User, placement: Placement, participant: Participant) -> WaitingListEntry:
    """Put a participant on a full placement's waiting list (first come, first offered)."""
    _require(can_edit_participant(actor, participant))
    if placement.status != Placement.Status.OPEN:
        raise ValidationError(_("This placement is closed."))
    if seats_taken(placement) < placement.seats:
        raise ValidationError(_("This placement still has free seats: propose the participant in a round."))
    if placement.waiting_list.filter(
        participant=participant, status=WaitingListEntry.Status.WAITING
    ).exists():
        raise ValidationError(_("The participant is already on the waiting list."))
    entry = WaitingListEntry.objects.create(placement=placement, participant=participant, added_by=actor)
    audit_record(
        actor=actor,
        action="waiting-list.add",
        obj=placement,
        after={"participant": participant.pseudonym},
        organisation_id=placement.host_id,
    )
    return entry


@transaction.atomic
def waiting_list_remove(*, actor: User, entry: WaitingListEntry) -> None:
    _require(can_edit_participant(actor, entry.participant))
    if entry.status != WaitingListEntry.Status.WAITING:
        raise ValidationError(_("This entry is no longer waiting."))
    entry.status = WaitingListEntry.Status.REMOVED
    entry.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="waiting-list.remove",
        obj=entry.placement,
        after={"participant": entry.participant.pseudonym},
        organisation_id=entry.placement.host_id,
    )


def waiting_list_seat_freed(*, placement: Placement) -> WaitingListEntry | None:
    """A seat came free: tell the key worker of the first person waiting (called inside a service)."""
    entry = (
        placement.waiting_list.filter(status=WaitingListEntry.Status.WAITING)
        .select_related("participant__key_worker")
        .first()
    )
    if entry is None:
        return None
    entry.status = WaitingListEntry.Status.OFFERED
    entry.save(update_fields=["status"])
    notify(
        involved=[entry.participant.key_worker],
        kind="placement.waiting-list",
        params={"placement": placement.title, "participant": entry.participant.pseudonym},
        url=placement.get_absolute_url(),
    )
    return entry
