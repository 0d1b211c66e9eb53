"""Every participant and pathway page: the case worker sees it, a case worker of another organisation gets
404, and a group member without personal-detail access sees only the pseudonym."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.core.models import PersonalDataAccess

PAGES = [
    "participants:participant-detail",
    "participants:participant-identity",
    "participants:identity-edit",
    "participants:participant-edit",
    "participants:languages",
    "participants:consents",
    "participants:group",
    "participants:skills",
    "participants:skill-search",
    "privacy:export",
    "privacy:access-history",
    "pathways:plan",
    "pathways:progress",
    "pathways:referrals",
    "pathways:outcome",
    "pathways:summary",
]
EDIT_PAGES = [
    "participants:identity-edit",
    "participants:participant-edit",
    "participants:languages",
    "participants:consents",
    "participants:group",
    "participants:skills",
    "participants:skill-search",
    "privacy:access-history",
]
POSTS = [
    "participants:languages",
    "participants:consents",
    "participants:group",
    "participants:key-worker",
    "participants:skill-add",
    "participants:skill-reject",
    "participants:skill-remove",
    "participants:occupation-interest",
    "privacy:erase",
    "pathways:plan",
    "pathways:progress",
    "pathways:referrals",
    "pathways:outcome",
]


@pytest.mark.parametrize("name", PAGES)
def test_case_worker_sees_every_page(client, world, name):
    client.force_login(world.worker)
    response = client.get(reverse(name, args=[world.person.pseudonym]))
    assert response.status_code == 200, name


@pytest.mark.parametrize("name", [*PAGES, "privacy:erase"])
def test_case_worker_of_another_organisation_gets_404(client, world, name):
    client.force_login(world.stranger)
    assert client.get(reverse(name, args=[world.person.pseudonym])).status_code == 404


@pytest.mark.parametrize("name", POSTS)
def test_posts_by_another_organisation_get_404(client, world, name):
    client.force_login(world.stranger)
    assert client.post(reverse(name, args=[world.person.pseudonym]), {"x": "1"}).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_group_member_without_personal_access_sees_only_the_pseudonym(client, world, name):
    client.force_login(world.helper)
    response = client.get(reverse(name, args=[world.person.pseudonym]))
    if name in EDIT_PAGES or name in ("participants:participant-identity", "privacy:export"):
        assert response.status_code == 404, name
        return
    assert response.status_code == 200, name
    body = response.content.decode()
    assert world.person.pseudonym in body
    assert "Secret-Name" not in body
    assert "alva@example.org" not in body


def test_group_member_with_personal_access_sees_details(client, world):
    member = world.person.group.get(user=world.helper)
    member.can_view_personal = True
    member.save()
    client.force_login(world.helper)
    response = client.get(reverse("participants:participant-identity", args=[world.person.pseudonym]))
    assert response.status_code == 200
    assert "Secret-Name" in response.content.decode()


def test_identity_read_is_logged_once_per_session(client, world):
    """One line per opened record per session: the second look in the same session adds nothing, a new
    session (signing in again) logs again."""
    client.force_login(world.worker)

    def reads():
        entries = PersonalDataAccess.objects.filter(subject_id=str(world.person.pk), kind="read")
        return [e for e in entries if "family_name" in e.fields and e.user == world.worker]

    before = len(reads())
    client.get(reverse("participants:participant-identity", args=[world.person.pseudonym]))
    client.get(reverse("participants:participant-identity", args=[world.person.pseudonym]))
    assert len(reads()) == before + 1
    client.logout()
    client.force_login(world.worker)
    client.get(reverse("participants:participant-identity", args=[world.person.pseudonym]))
    assert len(reads()) == before + 2


def test_staff_and_anonymous_see_no_caseload(client, world, staff):
    assert client.get(reverse("participants:caseload")).status_code == 302
    client.force_login(staff)
    assert client.get(reverse("participants:caseload")).status_code == 404


def test_caseload_lists_only_own_participants(client, world):
    client.force_login(world.stranger)
    assert world.person.pseudonym not in client.get(reverse("participants:caseload")).content.decode()
    client.force_login(world.worker)
    body = client.get(reverse("participants:caseload")).content.decode()
    assert world.person.pseudonym in body
    assert "Secret-Name" not in body


def test_register_participant_through_the_form(client, world):
    client.force_login(world.worker)
    response = client.post(
        reverse("participants:participant-create"),
        {
            "given_name": "Nils",
            "family_name": "Hidden",
            "date_of_birth": "2000-01-01",
            "registered_on": "2026-01-10",
            "clock_start": "registered",
            "home_country": "SE",
            "support_requirements": ["mentor"],
            "consent_support": "yes",
            "consent_monitoring": "no",
            "consent_barriers": "no",
            "consent_testimonials": "no",
        },
    )
    assert response.status_code == 302
    from matchmaking.participants.models import Participant

    created = Participant.objects.exclude(pk=world.person.pk).get()
    assert created.key_worker == world.worker
    assert created.support_requirements == ["mentor"]
    assert created.identity.family_name == "Hidden"
    assert created.age_group == "young"


def test_bad_input_never_500(client, world):
    client.force_login(world.worker)
    p = world.person.pseudonym
    for name, data in [
        ("participants:consents", {"revoke": "abc"}),
        ("participants:group", {"end": "x"}),
        ("participants:skill-remove", {"skill": "nope"}),
        ("participants:languages", {"code": "zz", "level": "Q9"}),
        ("participants:skill-add", {"uri": "bad", "label": "x", "how": "formal", "source": "work"}),
        ("pathways:plan", {"step": "x", "status": "done"}),
        ("pathways:referrals", {"referral": "x"}),
        ("pathways:outcome", {"check": "x"}),
        ("pathways:progress", {"assessment": "1", "motivation": "99"}),
    ]:
        assert client.post(reverse(name, args=[p]), data).status_code in (200, 302, 404), name
