"""Organisation list pages (the list and its search, members, applications to join, the audit trail) run
as many SQL queries with 12 rows as with 2."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.core.models import AuditEvent
from matchmaking.organisations.models import JoinApplication, Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, member
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db

PROFILE = {"name": "Applicant", "country": "PT", "kind": "municipality"}


def _organisations(n: int) -> list[str]:
    for i in range(len(_organisations.made), n):
        org = OrganisationFactory(
            name=f"Harbour town {i:02d}",
            expertise=["early-outreach", "skills-mapping"],
            languages=["en", "es"],
        )
        _organisations.made.append(org.name)
    return list(_organisations.made[:n])


@pytest.fixture(autouse=True)
def _fresh():
    _organisations.made = []


def test_organisation_list(client, staff):
    client.force_login(staff)
    assert_same_queries(client, reverse("organisations:organisation-list"), _organisations)


def test_organisation_search(client, staff):
    client.force_login(staff)
    assert_same_queries(client, reverse("organisations:organisation-list") + "?q=harbour", _organisations)


def test_organisation_search_htmx(client, staff):
    client.force_login(staff)
    url = reverse("organisations:organisation-list") + "?q=harbour&country=SE"
    assert_same_queries(client, url, _organisations, HTTP_HX_REQUEST="true")


def test_organisation_members(client, org_admin):
    organisation = Membership.objects.get(user=org_admin).organisation
    client.force_login(org_admin)

    def grow(n: int) -> list[str]:
        while organisation.memberships.exclude(user=org_admin).count() < n:
            MembershipFactory(organisation=organisation, role=Role.STAFF)
        return [m.user.email for m in organisation.memberships.exclude(user=org_admin)]

    assert_same_queries(client, reverse("organisations:organisation-members", args=[organisation.key]), grow)


def test_application_list(client, coordinator):
    client.force_login(coordinator)

    def grow(n: int) -> list[str]:
        while JoinApplication.objects.count() < n:
            i = JoinApplication.objects.count()
            JoinApplication.objects.create(
                profile={**PROFILE, "name": f"Applicant town {i:02d}"},
                contact_name="A",
                contact_email=f"a{i}@example.org",
            )
        return [str(a) for a in JoinApplication.objects.all()]

    assert_same_queries(client, reverse("organisations:application-list"), grow)


def test_application_list_of_decided_ones(client, coordinator):
    client.force_login(coordinator)
    decided_by = member(Role.COORDINATOR, email="decider@example.org")

    def grow(n: int) -> list[str]:
        while JoinApplication.objects.count() < n:
            i = JoinApplication.objects.count()
            JoinApplication.objects.create(
                profile={**PROFILE, "name": f"Approved town {i:02d}"},
                contact_name="A",
                contact_email=f"a{i}@example.org",
                status=JoinApplication.Status.APPROVED,
                decided_by=decided_by,
                organisation=OrganisationFactory(),
            )
        return [str(a) for a in JoinApplication.objects.all()]

    assert_same_queries(client, reverse("organisations:application-list") + "?status=approved", grow)


def test_audit_trail(client, org_admin):
    organisation = Membership.objects.get(user=org_admin).organisation
    client.force_login(org_admin)
    actor = UserFactory()

    def grow(n: int) -> list[str]:
        events = AuditEvent.objects.filter(organisation_id=organisation.pk)
        while events.count() < n:
            AuditEvent.objects.create(
                actor=actor,
                actor_label=actor.email,
                action="organisation.update",
                object_type="organisations.organisation",
                object_id=str(organisation.pk),
                object_label=f"Change number {events.count():02d}",
                organisation_id=organisation.pk,
                before={"city": "A"},
                after={"city": "B"},
            )
        return [e.object_label for e in events if e.object_label.startswith("Change number")]

    assert_same_queries(client, reverse("organisations:audit-trail", args=[organisation.key]), grow)
