"""Read paths for participants, always scoped to the person asking; identity reads are access-logged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict, overload

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from matchmaking.accounts.models import User
from matchmaking.core.access_log import access_log_record
from matchmaking.core.models import PersonalDataAccess
from matchmaking.organisations.models import Organisation
from matchmaking.participants.access import (
    can_see_personal_details,
    caseload_exists,
    caseload_participants,
    visible_participants,
)
from matchmaking.participants.clock import Clock, youth_guarantee_clock
from matchmaking.participants.clock_sql import with_clock
from matchmaking.participants.models import Participant, ParticipantIdentity, ParticipantLanguage
from matchmaking.permissions.roles import PERSONAL_DATA_ROLES, AnyUser, caseload_organisations
from matchmaking.taxonomies.models import Term

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass(frozen=True)
class CaseloadFilters:
    query: str = ""
    mine: bool = False
    status: str = Participant.Status.ACTIVE
    clock: str = ""  # "overdue" or "running"


class FirstOffer(TypedDict):
    first_offer_on: date | None
    clock_started_on: date
    clock_due_on: date
    clock_stopped_on: date | None
    clock_running: bool
    clock_overdue: bool
    clock_days_left: int


# A participant of the caseload, with the date of the first offer made to the person and the clock.
CaseloadParticipant: TypeAlias = "WithAnnotations[Participant, FirstOffer]"

# ``participant_clock`` reads the first offer itself unless the caller has it (even when there is none).
Unset = Literal["unset"]


@dataclass
class CaseloadRow:
    participant: Participant
    clock: Clock | None
    open_steps: int


def caseload(
    *, user: AnyUser, filters: CaseloadFilters | None = None, network: bool = False
) -> QuerySet[CaseloadParticipant]:
    """The caseload, oldest registration first, each person with the first offer and the Youth Guarantee
    clock computed in the database (``clock_sql.with_clock``), so the clock filters every row.

    ``network``: every pseudonymous profile the user may see (coordinators: the whole network's
    matching profiles), not only the people whose case the user works on."""
    filters = filters or CaseloadFilters()
    found = visible_participants(user) if network else caseload_participants(user)
    if filters.mine:
        found = found.filter(
            Q(key_worker=user) | Q(group__user=user, group__ended_on__isnull=True)
        ).distinct()
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.query:
        found = found.filter(Q(pseudonym__icontains=filters.query) | Q(reference__iexact=filters.query))
    annotated = with_clock(found.select_related("organisation", "key_worker"), today=timezone.localdate())
    if filters.clock == "overdue":
        annotated = annotated.filter(clock_overdue=True)
    elif filters.clock == "running":
        annotated = annotated.filter(clock_running=True)
    return annotated.order_by("registered_on", "pseudonym")


def caseload_by_clock(
    *, user: AnyUser, filters: CaseloadFilters | None = None
) -> QuerySet[CaseloadParticipant]:
    """The caseload, overdue clocks first, then by the days left (fewest first), over every row."""
    return _in_clock_order(caseload(user=user, filters=filters), filters)


def _in_clock_order(
    found: QuerySet[CaseloadParticipant], filters: CaseloadFilters | None
) -> QuerySet[CaseloadParticipant]:
    if filters is not None and filters.clock == "overdue":
        return _overdue_in_clock_order(found)
    return found.order_by("-clock_overdue", "clock_days_left", "registered_on", "pseudonym")


def _overdue_in_clock_order(found: QuerySet[CaseloadParticipant]) -> QuerySet[CaseloadParticipant]:
    """The overdue people of a caseload in the clock order, read along the running clocks' index
    (``participant_overdue_idx``) and stopping after the page: an overdue clock has the due date less
    today left, so the due date orders them as the days left do. The stored columns are tested beside
    the computed flag so the index can serve the test; counts keep the flag alone, which another index
    covers (docs/benchmarks.md)."""
    return found.filter(
        clock_overdue=True, clock_stopped_on__isnull=True, clock_due_on__lt=timezone.localdate()
    ).order_by("clock_due_on", "registered_on", "pseudonym")


def caseload_ids_by_clock(*, user: AnyUser, filters: CaseloadFilters | None = None) -> QuerySet[Any]:
    """The ids of ``caseload_by_clock``, in its order, to page through: SQLite sorts the narrow rows of
    ids several times faster than whole rows (56 against 298 ms for 10,000 people, docs/benchmarks.md);
    ``caseload_people`` then reads the page's 50."""
    return caseload_by_clock(user=user, filters=filters).values_list("pk", flat=True)


class ClockOrderedIds(Sequence[int]):
    """The caseload's ids in the clock order, for a paginator, with the counts already made. The overdue
    people come first, so a page among them is read along the running clocks' index and stops after its
    rows; a page past them sorts the whole caseload by the days left."""

    def __init__(self, *, overdue_first: QuerySet[Any], everyone: QuerySet[Any], total: int, overdue: int):
        self.overdue_first, self.everyone, self.total, self.overdue = overdue_first, everyone, total, overdue

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, int):
            position = range(self.total)[index]  # IndexError past the end, negatives from the end
            return self[position : position + 1][0]
        start, stop, step = index.indices(self.total)
        if stop <= start:
            return []
        source = self.overdue_first if stop <= self.overdue else self.everyone
        return list(source[start:stop])[::step]


def caseload_ids_in_pages(
    *, user: AnyUser, filters: CaseloadFilters | None = None, total: int, overdue: int
) -> ClockOrderedIds:
    """``caseload_ids_by_clock`` for a paginator, given ``caseload_counts``."""
    filters = filters or CaseloadFilters()
    found = caseload(user=user, filters=filters)
    return ClockOrderedIds(
        overdue_first=_overdue_in_clock_order(found).values_list("pk", flat=True),
        everyone=_in_clock_order(found, filters).values_list("pk", flat=True),
        total=total,
        overdue=overdue,
    )


def caseload_people(*, ids: Sequence[int]) -> list[CaseloadParticipant]:
    """The people of ``ids`` (a page of ``caseload_ids_by_clock``, so already scoped to the user), in
    that order, each with the clock."""
    found = with_clock(
        Participant.objects.filter(pk__in=ids).select_related("organisation", "key_worker"),
        today=timezone.localdate(),
    )
    by_id = {p.pk: p for p in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def caseload_overdue_count(*, user: AnyUser, filters: CaseloadFilters | None = None) -> int:
    """How many people of the (filtered) caseload have an overdue clock, counted over every row."""
    return caseload(user=user, filters=filters).filter(clock_overdue=True).count()


def caseload_counts(*, user: AnyUser, filters: CaseloadFilters | None = None) -> tuple[int, int]:
    """How many people the (filtered) caseload has, and how many of them have an overdue clock, in one
    pass over the rows (two counts read a caseload of 100,000 twice: 120–140 ms each on SQLite)."""
    found = caseload(user=user, filters=filters).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(clock_overdue=True))
    )
    return int(found["total"]), int(found["overdue"])


def caseload_rows_of(participants: Iterable[CaseloadParticipant]) -> list[CaseloadRow]:
    """One row per person shown (a page of the caseload): the clock and the open steps of the plan."""
    today = timezone.localdate()
    shown = list(participants)
    prefetch_related_objects(shown, Prefetch("goals__steps"))
    return [
        CaseloadRow(
            p,
            participant_clock(p, today, first_offer_on=p.first_offer_on),
            sum(
                1
                for goal in p.goals.all()
                for step in goal.steps.all()
                if step.status in ("planned", "in-progress")
            ),
        )
        for p in shown
    ]


def caseload_rows(
    *, user: AnyUser, filters: CaseloadFilters | None = None, limit: int = 500
) -> list[CaseloadRow]:
    """The first ``limit`` people of the caseload, overdue clocks first."""
    if not caseload_exists(user):
        # The overdue people are read along the network's running clocks, testing whose caseload each
        # is in; for an empty caseload (a hosting organisation's) that walked every overdue person of the
        # network (56 ms at 35,000 on SQLite) to find none.
        return []
    ids = list(caseload_ids_by_clock(user=user, filters=filters)[:limit])
    return caseload_rows_of(caseload_people(ids=ids))


def participant_clock(
    participant: Participant, today: date, first_offer_on: date | Unset | None = "unset"
) -> Clock | None:
    if participant.status != Participant.Status.ACTIVE and first_offer_on == "unset":
        return None
    if first_offer_on == "unset":
        first_offer_on = participant.clock_stopped_on  # the first offer on or after the start, stored
    return youth_guarantee_clock(
        started_on=participant.clock_start_on or participant.registered_on,
        age_group=participant.age_group,
        first_offer_on=first_offer_on,
        today=today,
    )


def participant_identity(
    *, user: AnyUser, participant: Participant, path: str = "", purpose: str = "", logged: bool = False
) -> ParticipantIdentity | None:
    """The identifying details, if the user may see them. Every read is written to the access log,
    here or (``logged``) by the page, which writes one line per record per session with the purpose the
    user chose (``record_purpose.record_open``)."""
    if not can_see_personal_details(user, participant):
        return None
    identity = ParticipantIdentity.objects.filter(participant=participant).first()
    if identity is not None and not logged:
        access_log_record(
            user=user,
            subject=participant,
            fields=list(ParticipantIdentity.PERSONAL_FIELDS),
            purpose=purpose,
            kind=PersonalDataAccess.READ,
            path=path,
        )
    return identity


def participant_profile_read(*, user: User, participant: Participant, path: str = "") -> None:
    """Log a read of the pseudonymous profile (skills, languages, support needs, plan)."""
    access_log_record(
        user=user,
        subject=participant,
        fields=["profile"],
        purpose="case work",
        kind=PersonalDataAccess.READ,
        path=path,
    )


def access_history(*, participant: Participant) -> QuerySet[PersonalDataAccess]:
    return PersonalDataAccess.objects.filter(
        subject_type=participant._meta.label_lower, subject_id=str(participant.pk)
    )[:200]


def group_candidates(*, participant: Participant) -> QuerySet[User]:
    """Users who may join a follow-up group: holders of roles with personal-data access."""

    return (
        User.objects.filter(is_active=True, memberships__role__in=list(PERSONAL_DATA_ROLES))
        .distinct()
        .order_by("email")
    )


def caseload_organisations_of(*, user: AnyUser) -> list[Organisation]:
    """The organisations whose caseload the user works for (where new participants are registered)."""
    return list(Organisation.objects.filter(pk__in=caseload_organisations(user)))


def organisation_choices() -> list[tuple[str, str]]:
    """(key, name) of the network's active organisations, for consent and follow-up group forms."""
    return list(Organisation.objects.filter(status=Organisation.Status.ACTIVE).values_list("key", "name"))


def organisation_by_key(*, key: str) -> Organisation | None:
    return Organisation.objects.filter(key=key).first()


def organisations_by_key(*, keys: list[str]) -> list[Organisation]:
    return list(Organisation.objects.filter(key__in=keys, status=Organisation.Status.ACTIVE))


def active_user_by_email(*, email: str) -> User | None:
    """The active account with this email (any case), for adding a professional to a follow-up group."""
    return User.objects.filter(email__iexact=email, is_active=True).first()


@dataclass(frozen=True)
class SpokenLanguage:
    """One language the person speaks, named in the reader's language, with its CEFR level."""

    code: str
    name: str
    level: str
    level_label: str


def participant_languages(*, participant: Participant) -> list[SpokenLanguage]:
    """The person's own languages (not the interface's), each with its name from the languages code list."""
    rows: list[ParticipantLanguage] = list(participant.languages.all())
    names = {
        term.code: term.label for term in Term.objects.of("languages").filter(code__in=[r.code for r in rows])
    }
    return [
        SpokenLanguage(
            code=r.code, name=names.get(r.code, r.code), level=r.level, level_label=r.get_level_display()
        )
        for r in rows
    ]
