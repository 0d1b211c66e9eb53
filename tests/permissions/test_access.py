"""Every view and endpoint refuses another organisation's objects with 404, never 200."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.accounts.services import api_token_create
from matchmaking.organisations.models import Invitation, Membership, Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_org():
    other = OrganisationFactory(key="other-org", name="Other organisation")
    MembershipFactory(organisation=other, role=Role.ORG_ADMIN)
    return other


def _member_views(org: Organisation) -> list[tuple[str, str]]:
    membership = Membership.objects.filter(organisation=org).first()
    return [
        ("get", reverse("organisations:organisation-edit", args=[org.key])),
        ("post", reverse("organisations:organisation-edit", args=[org.key])),
        ("get", reverse("organisations:organisation-members", args=[org.key])),
        ("post", reverse("organisations:organisation-members", args=[org.key])),
        ("post", reverse("organisations:membership-update", args=[org.key, membership.pk])),
        ("get", reverse("organisations:audit-trail", args=[org.key])),
    ]


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.STAFF, Role.CASE_WORKER])
def test_another_organisations_admin_views_are_404(client, other_org, role):
    client.force_login(member(role))
    for method, url in _member_views(other_org):
        response = getattr(client, method)(url, {"role": "staff", "email": "x@example.org"})
        assert response.status_code == 404, (method, url, response.status_code)


def test_forbidden_and_missing_look_the_same(client, other_org):
    client.force_login(member(Role.ORG_ADMIN))
    forbidden = client.get(reverse("organisations:organisation-edit", args=[other_org.key]))
    missing = client.get(reverse("organisations:organisation-edit", args=["does-not-exist"]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_staff_cannot_edit_own_organisation(client):
    user = member(Role.STAFF)
    org = user.memberships.get().organisation
    client.force_login(user)
    assert client.get(reverse("organisations:organisation-edit", args=[org.key])).status_code == 404
    assert client.get(reverse("organisations:organisation-members", args=[org.key])).status_code == 404


def test_org_admin_can_edit_own_organisation(client, org_admin):
    org = org_admin.memberships.get().organisation
    client.force_login(org_admin)
    assert client.get(reverse("organisations:organisation-edit", args=[org.key])).status_code == 200
    assert client.get(reverse("organisations:organisation-members", args=[org.key])).status_code == 200


def test_coordinator_may_edit_any_organisation(client, coordinator, other_org):
    client.force_login(coordinator)
    assert client.get(reverse("organisations:organisation-edit", args=[other_org.key])).status_code == 200


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.STAFF, Role.CASE_WORKER])
def test_only_coordinators_see_applications(client, role):
    from matchmaking.organisations.services import application_submit

    application = application_submit(
        profile={"name": "X", "kind": "ngo", "country": "SE"}, contact_name="A", contact_email="a@example.org"
    )
    client.force_login(member(role))
    assert client.get(reverse("organisations:application-list")).status_code == 404
    assert client.get(reverse("organisations:application-detail", args=[application.pk])).status_code == 404
    assert (
        client.post(
            reverse("organisations:application-detail", args=[application.pk]), {"action": "approve"}
        ).status_code
        == 404
    )


def test_suspended_organisation_is_hidden_from_members(client, other_org):
    other_org.status = Organisation.Status.SUSPENDED
    other_org.save()
    client.force_login(member(Role.STAFF))
    assert client.get(reverse("organisations:organisation-detail", args=[other_org.key])).status_code == 404


def test_anonymous_is_sent_to_login(client, other_org):
    for url in [
        reverse("web:dashboard"),
        reverse("organisations:organisation-list"),
        reverse("organisations:organisation-detail", args=[other_org.key]),
        reverse("web:notifications"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_user_without_membership_sees_no_organisations(client, other_org):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("organisations:organisation-detail", args=[other_org.key])).status_code == 404
    response = client.get(reverse("organisations:organisation-list"))
    assert other_org.name not in response.content.decode()


def test_invitation_token_of_another_is_not_guessable(client):
    assert client.get(reverse("organisations:invitation-accept", args=["nope"])).status_code == 404
    assert not Invitation.objects.exists()


# --- API ------------------------------------------------------------------------------------------


def _bearer(user) -> dict[str, str]:
    _, token = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_requires_authentication(client, other_org):
    assert client.get("/api/organisations").status_code == 401
    assert client.get(f"/api/organisations/{other_org.key}").status_code == 401
    assert client.get("/api/organisations", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_api_hides_suspended_organisation_like_a_missing_one(client, other_org):
    other_org.status = Organisation.Status.SUSPENDED
    other_org.save()
    headers = _bearer(member(Role.STAFF))
    forbidden = client.get(f"/api/organisations/{other_org.key}", **headers)
    missing = client.get("/api/organisations/nope", **headers)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_api_lists_visible_organisations(client, other_org):
    headers = _bearer(member(Role.STAFF))
    data = client.get("/api/organisations", **headers).json()
    assert other_org.key in {o["id"] for o in data}
    me = client.get("/api/me", **headers).json()
    assert list(me["memberships"].values()) == ["staff"]
