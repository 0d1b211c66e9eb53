"""Gender is self-declared and optional ("Not stated" by default), validated by name, shown only to those
who may see personal details, reported in the fairness report, and never part of a matching profile."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchmaking.engine import Participant as EngineParticipant
from matchmaking.participants import services
from matchmaking.participants.models import Gender
from matchmaking.placements.matching import engine_monitoring, engine_participant


def test_gender_defaults_to_not_stated(world):
    assert world.person.gender == Gender.NOT_STATED
    assert world.person.get_gender_display() == "Not stated"


def test_an_unknown_gender_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as caught:
        services.participant_update(actor=world.worker, participant=world.person, profile={"gender": "robot"})
    assert "gender" in caught.value.message_dict


def test_gender_is_saved_and_shown_to_the_case_worker(client, world):
    services.participant_update(
        actor=world.worker, participant=world.person, profile={"gender": "non-binary"}
    )
    world.person.refresh_from_db()
    assert world.person.gender == "non-binary"
    client.force_login(world.worker)
    body = client.get(reverse("participants:participant-detail", args=[world.person.pseudonym])).content
    assert b"Non-binary" in body


def test_a_member_without_personal_access_does_not_see_it(client, world):
    services.participant_update(actor=world.worker, participant=world.person, profile={"gender": "woman"})
    client.force_login(world.helper)
    body = client.get(reverse("participants:participant-detail", args=[world.person.pseudonym])).content
    assert b"Gender (self-declared)" not in body


def test_gender_never_reaches_the_engine_but_reaches_the_fairness_report(world):
    services.participant_update(actor=world.worker, participant=world.person, profile={"gender": "woman"})
    world.person.refresh_from_db()
    fields = {f.name for f in dataclasses.fields(EngineParticipant)}
    assert not {"gender", "sex"} & fields
    assert "woman" not in repr(engine_participant(world.person)).lower()
    assert engine_monitoring(world.person).groups["gender"] == "woman"  # a code, labelled where shown


def test_the_api_gives_gender_only_to_who_may_see_personal_details(client, world, coordinator):
    services.participant_update(actor=world.worker, participant=world.person, profile={"gender": "woman"})
    url = f"/api/participants/{world.person.pseudonym}"
    client.force_login(world.worker)
    assert client.get(url).json()["gender"] == "woman"
    client.force_login(coordinator)
    assert client.get(url).json()["gender"] is None
