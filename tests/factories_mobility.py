"""Factories and helpers for offers, requests, exchanges and stories."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from matchmaking.exchanges.models import Exchange, ProgrammeItem, State, Visitor
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Role
from matchmaking.taxonomies.models import Term
from tests.factories import OpportunityFactory, OrganisationFactory, member, term


def topics(*codes: str) -> list[Term]:
    return list(Term.objects.filter(scheme="practice-topics", code__in=codes))


def langs(*codes: str) -> list[Term]:
    return list(Term.objects.filter(scheme="languages", code__in=codes))


def opportunity(
    organisation=None,
    *,
    direction="offer",
    topic_codes=("early-outreach",),
    languages=("en",),
    earliest=None,
    latest=None,
    status=Opportunity.Status.OPEN,
    **kwargs,
) -> Opportunity:
    today = timezone.localdate()
    opp = OpportunityFactory(
        organisation=organisation or OrganisationFactory(),
        direction=direction,
        earliest=earliest or today + timedelta(days=10),
        latest=latest or today + timedelta(days=100),
        status=status,
        description=kwargs.pop("description", "Job shadowing of early outreach to young people"),
        **kwargs,
    )
    opp.topics.set(topics(*topic_codes))
    opp.languages.set(langs(*languages))
    return opp


def pair(capacity: int = 6):
    """A host with an offer and a visiting organisation with a request, one staff member each."""
    host = OrganisationFactory(name="Host Org", country="ES", hosting_capacity=capacity)
    visitor = OrganisationFactory(name="Visitor Org", country="SE")
    host.languages.set(langs("en", "es"))
    visitor.languages.set(langs("en", "sv"))
    host.expertise.set(topics("early-outreach", "skills-mapping"))
    visitor.interests.set(topics("early-outreach"))
    offer = opportunity(host, direction="offer", group_size=6)
    request = opportunity(visitor, direction="request", group_size=3)
    host_user = member(Role.STAFF, host, email=f"host-{host.key}@example.org")
    visitor_user = member(Role.STAFF, visitor, email=f"visitor-{visitor.key}@example.org")
    return host, visitor, offer, request, host_user, visitor_user


def exchange(
    host, visitor, *, state=State.PROPOSED, start=None, days=3, group_size=2, proposed_by=None, **kwargs
) -> Exchange:
    start = start or timezone.localdate() + timedelta(days=20)
    return Exchange.objects.create(
        host=host,
        visitor=visitor,
        proposed_by=proposed_by or visitor,
        type=term("opportunity-types", "job-shadowing"),
        given_title=f"{visitor} visits {host}",
        start=start,
        end=start + timedelta(days=days - 1),
        group_size=group_size,
        state=state,
        time_zone="Europe/Madrid",
        expires_at=timezone.now() + timedelta(days=14),
        **kwargs,
    )


def visitor_of(ex: Exchange, name: str = "Maja Lindqvist", **kwargs) -> Visitor:
    return Visitor.objects.create(
        exchange=ex, name=name, role="Job coach", learning_goals="Early outreach", **kwargs
    )


def item(ex: Exchange, *, day: date | None = None, activity: str = "Welcome", **kwargs) -> ProgrammeItem:
    return ProgrammeItem.objects.create(
        exchange=ex,
        day=day or ex.start,
        starts_at=time(9, 0),
        ends_at=time(10, 30),
        activity=activity,
        **kwargs,
    )
