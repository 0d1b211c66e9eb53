"""Read paths for offers and requests: what the caller may see, filtered, with what lists show."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet

from matchmaking.mobility import search
from matchmaking.mobility.access import can_post_opportunities
from matchmaking.mobility.models import Opportunity, SavedSearch, Suggestion, SuggestionRun
from matchmaking.organisations.access import can_view_organisation
from matchmaking.organisations.models import Organisation
from matchmaking.permissions.roles import AnyUser, is_coordinator, is_member, roles_of, signed_in
from matchmaking.taxonomies.code_lists import WithTerms, by_code, by_position
from matchmaking.taxonomies.models import Term


@dataclass(frozen=True)
class OpportunityFilters:
    query: str = ""
    direction: str = ""
    type: str = ""
    topic: str = ""
    target_group: str = ""
    language: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    funding: str = ""
    support: str = ""
    available_from: date | None = None
    available_to: date | None = None
    mine: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OpportunityFilters:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names and v not in (None, "")}
        for name in ("available_from", "available_to"):
            if isinstance(values.get(name), str):
                try:
                    values[name] = date.fromisoformat(values[name])
                except ValueError:
                    values.pop(name)
        if "q" in data and "query" not in values:
            values["query"] = data["q"] or ""
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in ("", None, False):
                out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


def _with_list_data(qs: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return qs.select_related("organisation", "organisation__kind", "type").prefetch_related(
        Prefetch("topics", queryset=Term.objects.order_by("position")),
        Prefetch("languages", queryset=Term.objects.order_by("code")),
    )


def visible_opportunities(*, user: AnyUser) -> QuerySet[Opportunity]:
    """Open opportunities of active organisations, plus every opportunity of the user's organisations."""
    if not is_member(user):
        return Opportunity.objects.none()
    own = list(roles_of(user).keys())
    if is_coordinator(user):
        return Opportunity.objects.all()
    # The organisations that may not be seen, as a small set tested against each row's organisation:
    # an OR of two id sets made SQLite fetch every listing of every organisation and sort them all for a
    # page of 20 (60 ms at 30,000); a test of each row's organisation (EXISTS) stops after the page but
    # made the page's count look up 30,000 organisations (26 ms). The hidden ones are the few not
    # active, so the list's index (status, earliest, key, organisation) answers both in order.
    hidden = Organisation.objects.exclude(status=Organisation.Status.ACTIVE).exclude(pk__in=own)
    return Opportunity.objects.exclude(organisation_id__in=hidden.values("pk")).filter(
        Q(status=Opportunity.Status.OPEN) | Q(organisation_id__in=own)
    )


def filter_opportunities(qs: QuerySet[Opportunity], f: OpportunityFilters) -> QuerySet[Opportunity]:
    if f.query:
        qs = qs.filter(search.matching(f.query))
    simple = {
        "direction": "direction",
        "type": "type__code",
        "country": "organisation__country",
        "region": "organisation__region__code",
        "kind": "organisation__kind__code",
        "funding": "funding",
    }
    for name, lookup in simple.items():
        value = getattr(f, name)
        if value:
            qs = qs.filter(**{lookup: value})
    # Code lists by subquery: no join repeats a row, so the list needs no DISTINCT or second pass.
    lists = {"topic": "topics__code", "target_group": "target_groups__code", "language": "languages__code"}
    for name, lookup in lists.items():
        value = getattr(f, name)
        if value:
            qs = qs.filter(pk__in=Opportunity.objects.filter(**{lookup: value}).values("pk"))
    if f.support:
        qs = qs.filter(support_offered__icontains=f'"{f.support}"')
    if f.available_from:
        qs = qs.filter(Q(latest__isnull=True) | Q(latest__gte=f.available_from))
    if f.available_to:
        qs = qs.filter(Q(earliest__isnull=True) | Q(earliest__lte=f.available_to))
    return qs


def opportunity_list(*, user: AnyUser, filters: OpportunityFilters | None = None) -> QuerySet[Opportunity]:
    f = filters or OpportunityFilters()
    qs = visible_opportunities(user=user)
    if f.mine:
        qs = qs.filter(organisation_id__in=list(roles_of(user).keys()))
    else:
        qs = qs.filter(status=Opportunity.Status.OPEN)
    # Read in date order along the index on status, earliest and key, one page at a time; the page's
    # code lists come with ``opportunity_pages``.
    return (
        filter_opportunities(qs, f)
        .select_related("organisation", "organisation__kind", "type")
        .order_by("earliest", "key")
    )


def opportunity_pages(found: QuerySet[Opportunity], *, target_groups: bool = False) -> WithTerms[Opportunity]:
    """``found`` for a paginator: each page's listings with their topics and languages (and target
    groups), from the kept code lists."""
    relations = {"topics": by_position, "languages": by_code}
    if target_groups:
        relations["target_groups"] = by_position
    return WithTerms(found, **relations)


def opportunity_detail(*, opportunity: Opportunity) -> Opportunity:
    return (
        _with_list_data(Opportunity.objects.filter(pk=opportunity.pk)).prefetch_related("target_groups").get()
    )


def organisation_opportunities(*, user: AnyUser, organisation: Organisation) -> QuerySet[Opportunity]:
    return _with_list_data(visible_opportunities(user=user).filter(organisation=organisation))


def saved_searches(*, user: AnyUser) -> QuerySet[SavedSearch]:
    person = signed_in(user)
    if person is None or not is_member(person):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=person)


def suggestions_for(*, opportunity: Opportunity) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(opportunity=opportunity).select_related(
        "organisation", "organisation__kind", "their_opportunity", "their_opportunity__type"
    )


@dataclass(frozen=True)
class SuggestionFilters:
    country: str = ""
    kind: str = ""
    type: str = ""
    language: str = ""
    available_from: date | None = None
    available_to: date | None = None


def filter_suggestions(qs: QuerySet[Suggestion], f: SuggestionFilters) -> QuerySet[Suggestion]:
    if f.country:
        qs = qs.filter(organisation__country=f.country)
    if f.kind:
        qs = qs.filter(organisation__kind__code=f.kind)
    if f.type:
        qs = qs.filter(their_opportunity__type__code=f.type)
    if f.language:
        qs = qs.filter(
            Q(their_opportunity__languages__code=f.language)
            | Q(their_opportunity__isnull=True, organisation__languages__code=f.language)
        )
    if f.available_from:
        qs = qs.filter(
            Q(their_opportunity__latest__isnull=True) | Q(their_opportunity__latest__gte=f.available_from)
        )
    if f.available_to:
        qs = qs.filter(
            Q(their_opportunity__earliest__isnull=True) | Q(their_opportunity__earliest__lte=f.available_to)
        )
    return qs.distinct()


_IS_INVITATION = ExpressionWrapper(Q(their_opportunity__isnull=True), output_field=BooleanField())


def suggestion_list(
    *, opportunity: Opportunity, filters: SuggestionFilters | None = None
) -> QuerySet[Suggestion]:
    qs = filter_suggestions(
        Suggestion.objects.filter(opportunity=opportunity), filters or SuggestionFilters()
    )
    return (
        Suggestion.objects.filter(pk__in=qs.values("pk"))
        .select_related(
            "organisation", "organisation__kind", "their_opportunity", "their_opportunity__type",
            "their_opportunity__organisation",
        )
        # Partner suggestions and "organisations you could invite" are each ranked from 1: partners
        # first, then invitations, each by rank (the primary key settles nothing else can).
        .annotate(is_invitation=_IS_INVITATION)
        .order_by("is_invitation", "rank", "pk")
    )  # fmt: skip


def organisation_suggestions(
    *, user: AnyUser, organisation: Organisation, filters: SuggestionFilters | None = None, limit: int = 30
) -> list[Suggestion]:
    """The best suggestion per partner organisation across all of ``organisation``'s opportunities."""
    if not can_post_opportunities(user, organisation):
        return []
    qs = filter_suggestions(
        Suggestion.objects.filter(
            opportunity__organisation=organisation,
            opportunity__status=Opportunity.Status.OPEN,
            their_opportunity__isnull=False,
        ),
        filters or SuggestionFilters(),
    )
    rows = (
        Suggestion.objects.filter(pk__in=qs.values("pk"))
        .select_related(
            "opportunity", "opportunity__type", "organisation", "organisation__kind",
            "their_opportunity", "their_opportunity__type", "their_opportunity__organisation",
        )
        .order_by("-score", "rank")
    )  # fmt: skip
    best: dict[int, Suggestion] = {}
    for row in rows:
        best.setdefault(row.organisation_id, row)
        if len(best) >= limit:
            break
    return list(best.values())


def suggestion_countries() -> list[str]:
    """Countries with an active organisation (the database's distinct values, not every row's)."""
    active = Organisation.objects.filter(status=Organisation.Status.ACTIVE).order_by()
    return sorted(active.values_list("country", flat=True).distinct())


def suggestion_run(*, opportunity: Opportunity) -> SuggestionRun | None:
    """When the opportunity's partner suggestions were last computed (None: never)."""
    return SuggestionRun.objects.filter(opportunity=opportunity).first()


def other_active_organisations(*, opportunity: Opportunity) -> QuerySet[Organisation]:
    """The active organisations besides the opportunity's own: whom one may ask "why not?" about."""
    return Organisation.objects.filter(status=Organisation.Status.ACTIVE).exclude(
        pk=opportunity.organisation_id
    )


def why_not_candidates(*, opportunity: Opportunity, query: str, limit: int = 20) -> list[Organisation]:
    """The first ``limit`` organisations one may ask "why not?" about whose name, city or key contains
    ``query`` (for the search box of the suggestions page), by name."""
    query = query.strip()
    if not query:
        return []
    found = other_active_organisations(opportunity=opportunity).filter(
        Q(name__icontains=query) | Q(city__icontains=query) | Q(key__icontains=query)
    )
    return list(found.order_by("name", "key")[:limit])


def why_not_organisation(*, user: AnyUser, opportunity: Opportunity, text: str) -> Organisation | None:
    """The organisation named in the "why not?" box: by its key, else the only one with exactly that name."""
    found = organisation_by_key(user=user, key=text.strip())
    if found is not None:
        return found
    named = list(other_active_organisations(opportunity=opportunity).filter(name__iexact=text.strip())[:2])
    if len(named) == 1 and can_view_organisation(user, named[0]):
        return named[0]
    return None


SUGGESTIONS_SHOWN = 25


def suggestions_shown(*, opportunity: Opportunity, filters: SuggestionFilters, shown: int) -> SuggestionPage:
    """The best ``shown`` partner suggestions and organisations to invite, and how many there are in all."""
    found = suggestion_list(opportunity=opportunity, filters=filters)
    partners = found.filter(their_opportunity__isnull=False)
    invites = found.filter(their_opportunity__isnull=True)
    return SuggestionPage(
        partners=list(partners[:shown]),
        invites=list(invites[:shown]),
        partner_count=partners.count(),
        invite_count=invites.count(),
        shown=shown,
    )


@dataclass(frozen=True)
class SuggestionPage:
    partners: list[Suggestion]
    invites: list[Suggestion]
    partner_count: int
    invite_count: int
    shown: int

    @property
    def more(self) -> int:
        """How many to show after "more" (0: everything is shown)."""
        if max(self.partner_count, self.invite_count) <= self.shown:
            return 0
        return self.shown + SUGGESTIONS_SHOWN


def organisation_by_key(*, user: AnyUser, key: str) -> Organisation | None:
    """The organisation with this key, if ``user`` may see it."""
    found = Organisation.objects.filter(key=key).select_related("kind").first()
    return found if found is not None and can_view_organisation(user, found) else None
