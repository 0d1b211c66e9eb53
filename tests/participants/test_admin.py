"""No Django admin page shows participants' personal details: the identity model is not registered, and
nothing a coordinator can open in the admin carries a name, contact detail or date of birth."""

from __future__ import annotations

from datetime import date

from django.contrib import admin
from django.urls import reverse

from matchmaking.participants import services
from matchmaking.participants.models import ParticipantIdentity
from matchmaking.pathways import services as pathway_services
from matchmaking.pathways.models import SupportService
from matchmaking.privacy import services as privacy
from tests.factories_participants import consent

SECRETS = (
    "Zelda",
    "Secret-Name",
    "zelda.private@example.org",
    "+46 70 123 45 67",
    "Hidden Street 12",
    "1999-03-04",
)


def _app_models(response) -> list[tuple[str, str]]:
    return [
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    ]


def test_admin_index_lists_no_participant_identity_model(client, world, coordinator):
    assert ParticipantIdentity not in admin.site._registry
    client.force_login(coordinator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    listed = _app_models(response)
    assert listed  # the admin does list the foundation's models
    assert ("participants", "ParticipantIdentity") not in listed
    assert not [name for _app, name in listed if "identity" in name.lower()]
    # Nothing of the participants area is registered with identifying fields.
    for model in admin.site._registry:
        assert model._meta.app_label != "participants" or model is not ParticipantIdentity
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) is not ParticipantIdentity, model


def test_no_admin_page_shows_personal_details(client, world, coordinator):
    w = world
    services.identity_update(
        actor=w.worker,
        participant=w.person,
        identity={
            "given_name": "Zelda",
            "family_name": "Secret-Name",
            "email": "zelda.private@example.org",
            "phone": "+46 70 123 45 67",
            "address": "Hidden Street 12",
            "date_of_birth": date(1999, 3, 4),
        },
    )
    privacy.participant_export(actor=w.worker, participant=w.person, purpose="right-of-access")
    consent(w.person, "sharing", w.other)
    service = SupportService.objects.create(
        name="Housing", category="housing", organisation=w.other, country="NO"
    )
    pathway_services.referral_send(actor=w.worker, participant=w.person, service=service, reason="A flat")

    client.force_login(coordinator)
    visited = 0
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        pages = [reverse("admin:{}_{}_changelist".format(*info))]
        pages += [
            reverse("admin:{}_{}_change".format(*info), args=[pk])
            for pk in model.objects.order_by("-pk").values_list("pk", flat=True)[:5]
        ]
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 302, 403), url
            text = response.content.decode()
            visited += response.status_code == 200
            for secret in SECRETS:
                assert secret not in text, f"{secret!r} shown on {url}"
    assert visited > 10  # the access log and audit trail pages about the person were opened too
