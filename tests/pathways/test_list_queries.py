"""Pathway list pages (the service directory, the referrals inbox, a person's plan, follow-up meetings and
referrals) run as many SQL queries with 12 rows as with 2."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.participants.models import Consent
from matchmaking.pathways import services
from matchmaking.pathways.models import Goal, Meeting, Referral, Step, SupportService
from tests.factories import OrganisationFactory
from tests.factories_participants import case_worker, consent, participant
from tests.list_queries import assert_same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = OrganisationFactory(key="boras", name="Borås", country="SE")
    other = OrganisationFactory(key="nav", name="NAV", country="NO")
    worker = case_worker(home, email="worker@example.org")
    service_worker = case_worker(other, email="nav@example.org")
    person = participant(home, key_worker=worker)
    consent(person, Consent.Purpose.SHARING, other)
    return {
        "home": home,
        "other": other,
        "worker": worker,
        "service_worker": service_worker,
        "person": person,
    }


def _services(world):
    def grow(n: int) -> list[str]:
        while SupportService.objects.count() < n:
            i = SupportService.objects.count()
            SupportService.objects.create(
                name=f"Housing advice {i:02d}", category="housing", organisation=world["other"], country="SE"
            )
        return [s.name for s in SupportService.objects.all()]

    return grow


def test_service_directory(client, world):
    client.force_login(world["worker"])
    assert_same_queries(client, reverse("pathways:directory"), _services(world))


def _referrals(world):
    add = _services(world)

    def grow(n: int) -> list[str]:
        add(n)
        for service in SupportService.objects.exclude(referrals__isnull=False):
            services.referral_send(
                actor=world["worker"], participant=world["person"], service=service, reason="Needs a flat"
            )
        return [r.service.name for r in Referral.objects.select_related("service")]

    return grow


def test_referral_inbox(client, world):
    client.force_login(world["service_worker"])
    grow = _referrals(world)

    def shown(n: int) -> list[str]:
        grow(n)
        return [world["person"].pseudonym] * n

    assert_same_queries(client, reverse("pathways:referral-inbox"), shown)


def test_referrals_of_a_participant(client, world):
    client.force_login(world["worker"])
    url = reverse("pathways:referrals", args=[world["person"].pseudonym]) + "?country="
    assert_same_queries(client, url, _referrals(world))


def test_plan(client, world):
    client.force_login(world["worker"])
    person = world["person"]

    def grow(n: int) -> list[str]:
        while person.goals.count() < n:
            goal = Goal.objects.create(
                participant=person,
                title=f"Goal number {person.goals.count():02d}",
                created_by=world["worker"],
            )
            for owner in (world["home"], world["other"]):
                Step.objects.create(
                    goal=goal, title=f"Step with {owner.name}", owner=owner, created_by=world["worker"]
                )
        return [g.title for g in person.goals.all()]

    assert_same_queries(client, reverse("pathways:plan", args=[person.pseudonym]), grow)


def test_progress(client, world):
    client.force_login(world["worker"])
    person = world["person"]

    def grow(n: int) -> list[str]:
        while person.meetings.count() < n:
            i = person.meetings.count()
            Meeting.objects.create(
                participant=person,
                held_on=timezone.localdate() - timedelta(days=i),
                organisation=world["home"],
                recorded_by=world["worker"],
                notes=f"Meeting note {i:02d}",
            )
        return [m.notes for m in person.meetings.all()]

    assert_same_queries(client, reverse("pathways:progress", args=[person.pseudonym]), grow)
