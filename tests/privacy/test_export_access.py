"""The person's full export (identity, barriers, notes, access log) goes to the organisation holding the
case only, whoever else may see the record; the service refuses it as the page does."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchmaking.core.models import PersonalDataAccess
from matchmaking.privacy import services as privacy

pytestmark = pytest.mark.django_db


def _with_personal_rights(world):
    member = world.person.group.get(user=world.helper)
    member.can_view_personal = True
    member.save()


def test_group_member_of_another_organisation_cannot_export_even_with_personal_rights(client, world):
    _with_personal_rights(world)
    client.force_login(world.helper)
    url = reverse("privacy:export", args=[world.person.pseudonym])
    assert client.get(url).status_code == 404
    assert client.post(url, {"purpose": "right-of-access"}).status_code == 404
    with pytest.raises(PermissionDenied):
        privacy.participant_export(actor=world.helper, participant=world.person, purpose="right-of-access")
    assert not PersonalDataAccess.objects.filter(kind="export").exists()
    # The participant page offers no export either.
    page = client.get(world.person.get_absolute_url()).content.decode()
    assert url not in page


def test_coordinator_cannot_export(client, world, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("privacy:export", args=[world.person.pseudonym])).status_code == 404


@pytest.mark.parametrize("user", ["worker", "admin"])
def test_the_holding_organisation_exports(client, world, user):
    client.force_login(getattr(world, user))
    url = reverse("privacy:export", args=[world.person.pseudonym])
    assert url in client.get(world.person.get_absolute_url()).content.decode()
    response = client.post(url, {"purpose": "data-portability"})
    assert response["Content-Type"] == "application/json"


def test_an_unknown_purpose_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as refused:
        privacy.participant_export(actor=world.worker, participant=world.person, purpose="curiosity")
    assert "purpose" in refused.value.message_dict
