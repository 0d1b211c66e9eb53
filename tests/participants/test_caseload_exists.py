"""``caseload_exists`` asks each source of a caseload on its own; it must agree with the caseload itself
for every way of working on someone's case, and for none."""

from __future__ import annotations

import pytest

from matchmaking.participants.access import caseload_exists, caseload_participants
from matchmaking.participants.models import Consent, Participant
from matchmaking.permissions.roles import Role
from tests.factories import OrganisationFactory, member
from tests.factories_participants import case_worker, consent, group_member, participant

pytestmark = pytest.mark.django_db


def _agree(user) -> bool:
    expected = caseload_participants(user).exists()
    assert caseload_exists(user) is expected
    return expected


def test_a_holding_organisations_case_worker_has_a_caseload():
    service = OrganisationFactory()
    participant(service)
    assert _agree(case_worker(service))


def test_an_organisation_holding_nobody_gives_no_caseload():
    assert not _agree(member(Role.ORG_ADMIN, OrganisationFactory()))
    assert not _agree(case_worker(OrganisationFactory()))


def test_the_key_worker_of_someone_elsewhere_has_a_caseload():
    worker = case_worker(OrganisationFactory())
    participant(OrganisationFactory(), key_worker=worker)
    assert _agree(worker)


def test_a_follow_up_group_gives_a_caseload_only_with_consent_standing():
    service, partner = OrganisationFactory(), OrganisationFactory()
    person = participant(service)
    worker = case_worker(partner)
    group_member(person, worker, partner)
    assert not _agree(worker)
    consent(person, Consent.Purpose.SHARING, organisation=partner)
    assert _agree(worker)


def test_erased_people_are_nobodys_caseload():
    service = OrganisationFactory()
    worker = case_worker(service)
    person = participant(service, key_worker=worker)
    group_member(person, worker, service)
    Participant.objects.filter(pk=person.pk).update(status=Participant.Status.ERASED)
    assert not _agree(worker)


def test_staff_without_caseload_rights_have_none():
    service = OrganisationFactory()
    participant(service)
    assert not _agree(member(Role.STAFF, service))
