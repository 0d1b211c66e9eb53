"""API list endpoints run as many SQL queries with 12 rows as with 2: organisations, opportunities and their
suggestions, exchanges with their visitors and programme, stories, participants, placements, rounds and a
round's proposals, an exchange's thread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.exchanges.models import Exchange, State
from matchmaking.exchanges.services import message_post
from matchmaking.library.models import Story
from matchmaking.mobility import matching
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation, Role
from matchmaking.participants.models import Participant
from matchmaking.placements import rounds
from matchmaking.placements.models import Placement, Round
from tests.api_auth import bearer
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, item, opportunity, pair, topics, visitor_of
from tests.factories_participants import HYGIENE, case_worker, participant, placement
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db

# Each person read through the API gets its own entry in the personal-data access log.
LOGGED = 'INSERT INTO "core_personaldataaccess"'
COUNTRIES = ["PT", "IT", "FR", "DE", "NO", "FI", "DK", "NL", "BE", "AT", "PL", "IE"]


@pytest.fixture
def world():
    host, _, offer, _, host_user, _ = pair()
    return {"host": host, "offer": offer, "host_user": host_user}


def _partners(world):
    def grow(n: int) -> list[str]:
        while Organisation.objects.filter(name__startswith="Partner town").count() < n:
            i = Organisation.objects.filter(name__startswith="Partner town").count()
            org = OrganisationFactory(name=f"Partner town {i:02d}", country=COUNTRIES[i])
            org.interests.set(topics("early-outreach"))
            opportunity(org, direction="request", description=f"Harbour visit {i:02d}")
        matching.refresh([world["offer"]])
        return [o.name for o in Organisation.objects.filter(name__startswith="Partner town")]

    return grow


def test_organisations(client, world):
    assert_same_queries(client, "/api/organisations", _partners(world), **bearer(world["host_user"]))


def test_opportunities(client, world):
    grow = _partners(world)

    def keys(n: int) -> list[str]:
        grow(n)
        return [
            o.key
            for o in Opportunity.objects.filter(direction="request", organisation__name__startswith="Partner")
        ]

    assert_same_queries(client, "/api/opportunities", keys, **bearer(world["host_user"]))


def test_suggestions(client, world):
    grow = _partners(world)

    def keys(n: int) -> list[str]:
        grow(n)
        return [o.key for o in Organisation.objects.filter(name__startswith="Partner town")]

    url = f"/api/opportunities/{world['offer'].key}/suggestions"
    assert_same_queries(client, url, keys, **bearer(world["host_user"]))


def _exchanges(world, state: str = State.PLANNING):
    host = world["host"]

    def grow(n: int) -> list[str]:
        while Exchange.objects.filter(host=host).count() < n:
            i = Exchange.objects.filter(host=host).count()
            visitor = OrganisationFactory(name=f"Visiting town {i:02d}")
            start = timezone.localdate() + timedelta(days=20 + 7 * i)
            exchange(host, visitor, state=state, start=start)
        return [e.title for e in Exchange.objects.filter(host=host)]

    return grow


def test_exchanges(client, world):
    assert_same_queries(client, "/api/exchanges", _exchanges(world), **bearer(world["host_user"]))


def test_visitors_and_programme_of_an_exchange(client, world):
    visitor = OrganisationFactory(name="Visiting town")
    ex = exchange(world["host"], visitor, state=State.PLANNING, days=5)

    def grow(n: int) -> list[str]:
        while ex.visitors.count() < n:
            i = ex.visitors.count()
            someone = visitor_of(ex, name=f"Visitor number {i:02d}")
            programme = item(ex, day=ex.start + timedelta(days=i % 5), activity=f"Activity number {i:02d}")
            programme.visitors.add(someone)
        return [v.name for v in ex.visitors.all()] + [p.activity for p in ex.programme.all()]

    def visitors(n: int) -> list[str]:
        return [text for text in grow(n) if text.startswith("Visitor")]

    def programme(n: int) -> list[str]:
        return [text for text in grow(n) if text.startswith("Activity")]

    auth = bearer(world["host_user"])
    assert_same_queries(client, f"/api/exchanges/{ex.pk}/visitors", visitors, one_per_row=LOGGED, **auth)
    ex.visitors.all().delete()
    ex.programme.all().delete()
    assert_same_queries(client, f"/api/exchanges/{ex.pk}/programme", programme, **auth)


def test_stories(client, world):
    grow_exchanges = _exchanges(world, State.REPORTED)

    def grow(n: int) -> list[str]:
        grow_exchanges(n)
        for ex in Exchange.objects.filter(story__isnull=True):
            story = Story.objects.create(
                exchange=ex,
                slug=f"story-{ex.pk}",
                title=f"Story of exchange {ex.pk}",
                summary="What the visitors learnt.",
                status=Story.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            story.topics.set(topics("early-outreach"))
        return [s.title for s in Story.objects.all()]

    assert_same_queries(client, "/api/stories", grow)


@pytest.fixture
def caseload(coordinator):
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    host = OrganisationFactory(key="hotel", name="Hotel Göta", country="SE")
    return {"home": home, "host": host, "worker": case_worker(home), "coordinator": coordinator}


def test_participants(client, caseload):
    def grow(n: int) -> list[str]:
        while Participant.objects.count() < n:
            participant(caseload["home"], key_worker=caseload["worker"], skills=[HYGIENE])
        return [p.pseudonym for p in Participant.objects.all()]

    assert_same_queries(client, "/api/participants", grow, one_per_row=LOGGED, **bearer(caseload["worker"]))


def test_participants_for_the_coordinator(client, caseload):
    """The coordinator holds nobody: whether a follow-up group gives more is read for the page at once,
    not asked of each person."""

    def grow(n: int) -> list[str]:
        while Participant.objects.count() < n:
            participant(caseload["home"], key_worker=caseload["worker"], skills=[HYGIENE])
        return [p.pseudonym for p in Participant.objects.all()]

    assert_same_queries(
        client, "/api/participants", grow, one_per_row=LOGGED, **bearer(caseload["coordinator"])
    )


def test_placements(client, caseload):
    def grow(n: int) -> list[str]:
        while Placement.objects.count() < n:
            placement(
                caseload["host"], title=f"Kitchen job {Placement.objects.count():02d}", required=[HYGIENE]
            )
        return [p.title for p in Placement.objects.all()]

    assert_same_queries(client, "/api/placements", grow, **bearer(caseload["worker"]))


def _round(caseload, size: int, name: str) -> Round:
    people = [
        participant(caseload["home"], key_worker=caseload["worker"], skills=[HYGIENE]) for _ in range(size)
    ]
    places = [
        placement(caseload["host"], key=f"{name}-{i}", required=[HYGIENE]) for i in range(max(1, size // 2))
    ]
    found = rounds.round_create(
        actor=caseload["coordinator"], name=name, method="stable", participants=people, placements=places
    )
    return rounds.round_propose(actor=caseload["coordinator"], allocation_round=found)


def test_rounds(client, caseload):
    def grow(n: int) -> list[str]:
        while Round.objects.count() < n:
            _round(caseload, 1, f"Round number {Round.objects.count():02d}")
        return [r.name for r in Round.objects.all()]

    assert_same_queries(client, "/api/rounds", grow, **bearer(caseload["coordinator"]))


def test_proposals_of_a_round(client, caseload):
    made: list[Round] = []

    def grow(n: int) -> list[str]:
        made.append(_round(caseload, n, f"round-{n}"))
        return [p.participant.pseudonym for p in made[-1].proposals.select_related("participant")]

    assert_same_queries(
        client, lambda: f"/api/rounds/{made[-1].pk}/proposals", grow, **bearer(caseload["coordinator"])
    )


def test_conversations(client, world):
    from matchmaking.exchanges.conversations import conversation_start

    def grow(n: int) -> list[str]:
        while Organisation.objects.filter(name__startswith="Writing town").count() < n:
            i = Organisation.objects.filter(name__startswith="Writing town").count()
            other = OrganisationFactory(name=f"Writing town {i:02d}")
            conversation_start(
                actor=world["host_user"], organisation=world["host"], other=other,
                subject=f"Subject number {i:02d}", body="Hello",
            )  # fmt: skip
        return [f"Subject number {i:02d}" for i in range(n)]

    assert_same_queries(client, "/api/conversations", grow, **bearer(world["host_user"]))


def test_messages_and_changes_of_an_exchange(client, world):
    from matchmaking.exchanges.models import ExchangeChange, Message

    visitor = OrganisationFactory(name="Visiting town")
    ex = exchange(world["host"], visitor, state=State.PLANNING)

    def messages(n: int) -> list[str]:
        while ex.messages.count() < n:
            author = world["host_user"] if ex.messages.count() % 2 else None
            Message.objects.create(
                exchange=ex,
                organisation=world["host"],
                author=author,
                body=f"Message number {ex.messages.count():02d}",
            )
        return [m.body for m in ex.messages.all()]

    def changes(n: int) -> list[str]:
        while ex.changes.count() < n:
            i = ex.changes.count()
            side = world["host"] if i % 2 else visitor
            ExchangeChange.objects.create(
                exchange=ex,
                proposed_by=side,
                values={"group_size": {"old": 2, "new": i + 3}},
                state=ExchangeChange.State.REFUSED,
                answer_reason=f"Reason number {i:02d}",
            )
        return [c.answer_reason for c in ex.changes.all()]

    auth = bearer(world["host_user"])
    assert_same_queries(client, f"/api/exchanges/{ex.pk}/messages", messages, **auth)
    assert_same_queries(client, f"/api/exchanges/{ex.pk}/changes", changes, **auth)


def test_events(client, world):
    from matchmaking.events.models import Event, EventState
    from tests.factories_events import event, register

    def grow(n: int) -> list[str]:
        while Event.objects.count() < n:
            found = event(
                world["host"],
                state=EventState.REGISTRATION_OPEN,
                title=f"Matchmaking day {Event.objects.count():02d}",
            )
            register(found, OrganisationFactory())
        return list(Event.objects.values_list("title", flat=True))

    assert_same_queries(client, "/api/events", grow, **bearer(world["host_user"]))


def test_the_thread_of_an_exchange(client, world):
    visitor = OrganisationFactory(name="Writing town")
    ex = exchange(world["host"], visitor)
    people = [world["host_user"], member(Role.STAFF, visitor)]

    def grow(n: int) -> list[str]:
        while ex.messages.count() < n:
            i = ex.messages.count()
            message_post(actor=people[i % 2], exchange=ex, body=f"Message number {i:02d}")
        return [m.body for m in ex.messages.all()]

    assert_same_queries(client, f"/api/exchanges/{ex.pk}/messages", grow, **bearer(world["host_user"]))
