"""Round pages at size: the proposals and the people with no suitable placement come a page at a time,
the placement of a change is found by searching the round (no list of every placement in the page), and
the round list counts each round's people and placements without joining both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.organisations.models import Role
from matchmaking.placements import rounds, selectors
from matchmaking.placements.models import Round
from matchmaking.placements.views_rounds import PROPOSALS_PER_PAGE
from tests.factories import OrganisationFactory, member
from tests.factories_participants import HYGIENE, case_worker, participant, placement
from tests.list_queries import queries_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coordinator):
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    return {
        "home": home,
        "host": host,
        "worker": case_worker(home, email="w@example.org"),
        "coordinator": coordinator,
    }


def _round(world, people: int, places: int, name: str = "Spring") -> Round:
    found = rounds.round_create(
        actor=world["coordinator"],
        name=name,
        method="stable",
        participants=[participant(world["home"], skills=[HYGIENE]) for _ in range(people)],
        placements=[
            placement(
                world["host"], key=f"{name.lower()}-{i:03d}", title=f"Kitchen job {i:03d}", required=[HYGIENE]
            )
            for i in range(places)
        ],
    )
    rounds.round_propose(actor=world["coordinator"], allocation_round=found)
    found.refresh_from_db()
    return found


def test_the_round_page_shows_one_page_of_proposals_and_no_list_of_every_placement(client, world):
    found = _round(world, PROPOSALS_PER_PAGE + 5, 30)
    client.force_login(world["coordinator"])
    first = client.get(found.get_absolute_url()).content.decode()
    second = client.get(found.get_absolute_url(), {"page": 2}).content.decode()
    assert first.count('id="ov-reason-') == PROPOSALS_PER_PAGE
    assert second.count('id="ov-reason-') == 5
    assert "Page 1 of 2" in first
    # The identifier field's suggestions come from the search endpoint, not from the page.
    assert '<datalist id="round-placement-keys"></datalist>' in first
    assert "placements/round_search.js" in first


def test_the_round_page_runs_as_many_queries_with_many_proposals_as_with_few(client, world):
    # The same shape at both sizes (everyone placed, more than one page): only the rows differ.
    sizes = (PROPOSALS_PER_PAGE + 5, 2 * PROPOSALS_PER_PAGE + 20)
    small, large = (_round(world, n, n, f"R{n}") for n in sizes)
    client.force_login(world["coordinator"])
    counts = [len(queries_on(client, found.get_absolute_url())[0]) for found in (small, large)]
    assert counts[0] == counts[1]


def test_the_round_list_counts_by_subqueries_in_one_query_whatever_the_size(client, world):
    _round(world, 4, 3, "Small")
    _round(world, 30, 12, "Large")
    found = {r.name: (r.n_participants, r.n_placements) for r in selectors.round_list()}
    assert found == {"Small": (4, 3), "Large": (30, 12)}
    sql = str(selectors.round_list().query)
    assert "JOIN" not in sql.split("FROM", 1)[1].split("WHERE", 1)[0].split("(", 1)[0]
    client.force_login(world["coordinator"])
    few, _ = queries_on(client, reverse("placements:round-list"))
    for n in range(5):
        _round(world, 2, 1, f"More{n}")
    more, body = queries_on(client, reverse("placements:round-list"))
    assert len(few) == len(more)
    assert "More4" in body


def test_the_placement_search_finds_the_rounds_placements_by_identifier_title_or_host(client, world):
    found = _round(world, 2, 25)
    other = _round(world, 1, 3, "Other")
    url = reverse("placements:round-placement-options", args=[found.pk])
    client.force_login(world["coordinator"])
    shown = client.get(url, {"q": "job 01"}).content.decode()
    assert shown.count("<option") == 10  # Kitchen job 010 … 019
    assert 'value="spring-012"' in shown
    assert client.get(url, {"q": "Hotel"}).content.decode().count("<option") == 20  # at most 20
    assert "other-" not in client.get(url, {"q": "other"}).content.decode()
    assert other.placements.count() == 3


def test_the_placement_search_is_for_coordinators_only(client, world):
    found = _round(world, 2, 3)
    url = reverse("placements:round-placement-options", args=[found.pk])
    outsider = member(
        Role.STAFF, OrganisationFactory(key="elsewhere", name="Elsewhere"), email="o@example.org"
    )
    for user in (world["worker"], outsider):
        client.force_login(user)
        assert client.get(url, {"q": "kitchen"}).status_code == 404
    client.force_login(world["coordinator"])
    assert (
        client.get(
            reverse("placements:round-placement-options", args=[found.pk + 999]), {"q": "k"}
        ).status_code
        == 404
    )


def test_the_round_form_finds_people_and_places_and_takes_everyone_matching(client, world):
    from matchmaking.placements.forms_rounds import SHOWN

    people = [participant(world["home"], skills=[HYGIENE]) for _ in range(SHOWN + 3)]
    places = [placement(world["host"], key=f"desk-{i}", title=f"Desk {i}") for i in range(4)]
    placement(world["host"], key="garden", title="Garden")
    client.force_login(world["coordinator"])
    page = client.get(reverse("placements:round-create")).content.decode()
    assert page.count('name="participants"') == SHOWN  # the first matches, not everyone
    assert f"{SHOWN + 3} participants match the search" in page
    found = client.get(reverse("placements:round-create"), {"people_query": people[0].pseudonym})
    assert found.content.decode().count('name="participants"') == 1
    response = client.post(
        reverse("placements:round-create"),
        {
            "name": "Everyone",
            "method": "stable",
            "min_fit": 20,
            "all_participants": "on",
            "places_query": "Desk",
            "all_placements": "on",
        },
    )
    assert response.status_code == 302
    made = Round.objects.get(name="Everyone")
    assert made.participants.count() == SHOWN + 3
    assert set(made.placements.values_list("key", flat=True)) == {p.key for p in places}


def test_the_round_form_needs_a_choice_and_is_for_coordinators_only(client, world):
    participant(world["home"])
    client.force_login(world["coordinator"])
    refused = client.post(reverse("placements:round-create"), {"name": "None", "method": "stable"})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) >= {"participants", "placements"}
    outsider = member(
        Role.STAFF, OrganisationFactory(key="elsewhere", name="Elsewhere"), email="o@example.org"
    )
    for user in (world["worker"], outsider):
        client.force_login(user)
        assert client.get(reverse("placements:round-create")).status_code == 404
        assert (
            client.post(reverse("placements:round-create"), {"name": "x", "method": "stable"}).status_code
            == 404
        )
