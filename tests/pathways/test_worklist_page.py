"""The worklist page: who may open it, what it shows, and its SQL at two sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.pathways.models import Step
from matchmaking.permissions.roles import Role
from tests.factories import OrganisationFactory, member
from tests.list_queries import assert_same_queries
from tests.pathways.test_worklist import add_due_items, due_world

pytestmark = pytest.mark.django_db

URL = reverse("pathways:worklist")


def test_case_worker_sees_each_section_with_links_to_act(client):
    world = due_world()
    client.force_login(world["worker"])
    body = client.get(URL).content.decode()
    home = world["home"]
    for person in (home["deadlines"], home["breached"]):
        assert reverse("participants:participant-detail", args=[person.pseudonym]) in body
    assert reverse("pathways:outcome", args=[home["retention"].outcome.participant.pseudonym]) in body
    assert reverse("pathways:referrals", args=[home["referrals"].participant.pseudonym]) in body
    assert reverse("pathways:plan", args=[home["steps"].goal.participant.pseudonym]) in body
    assert "after 10 days" in body  # the setting, shown
    late = client.get(URL).context["breached"][0]
    assert late.clock_days_left < 0
    assert f"<td>{-late.clock_days_left}</td>" in body  # days overdue, as a positive number
    assert "Secret-Name" not in body


def test_the_wrong_organisation_sees_none_of_these_people(client):
    world = due_world()
    client.force_login(world["stranger"])
    body = client.get(URL).content.decode()
    home = world["home"]
    for pseudonym in (
        home["deadlines"].pseudonym,
        home["breached"].pseudonym,
        home["retention"].outcome.participant.pseudonym,
        home["referrals"].participant.pseudonym,
        home["steps"].goal.participant.pseudonym,
    ):
        assert pseudonym not in body
    assert world["other"]["steps"].goal.participant.pseudonym in body


def test_staff_and_anonymous_get_no_page(client):
    world = due_world()
    assert client.get(URL).status_code == 302
    client.force_login(member(Role.STAFF, world["home_org"]))
    assert client.get(URL).status_code == 404


def test_the_coordinator_sees_counts_and_no_pseudonym(client):
    world = due_world()
    coordinator = member(Role.COORDINATOR, OrganisationFactory(key="network", country="SE"))
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["counts"].total == 10
    for section in ("deadlines", "breached"):
        assert world["home"][section].pseudonym not in body
    assert world["home"]["steps"].goal.participant.pseudonym not in body


def test_sections_are_paginated(client):
    world = due_world()
    today = timezone.localdate()
    for i in range(26):
        add_due_items(world["home_org"], world["worker"], today, tag=str(i))
    client.force_login(world["worker"])
    response = client.get(URL)
    assert response.context["steps"].paginator.count == 27
    assert len(response.context["steps"].object_list) == 25
    second = client.get(URL + "?steps_page=2")
    assert len(second.context["steps"].object_list) == 2


def test_same_queries_with_few_and_many_items(client):
    world = due_world()
    today = timezone.localdate()
    client.force_login(world["worker"])

    def grow(n: int) -> list[str]:
        while Step.objects.filter(owner=world["home_org"]).count() < n:
            add_due_items(world["home_org"], world["worker"], today, tag=str(Step.objects.count()))
        return [s.title for s in Step.objects.filter(owner=world["home_org"])]

    assert_same_queries(client, URL, grow)


def test_dashboard_and_menu_link_to_the_worklist(client):
    world = due_world()
    client.force_login(world["worker"])
    assert client.get(reverse("web:dashboard")).content.decode().count(f'href="{URL}"') == 2
