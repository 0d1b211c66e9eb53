"""The bulk write of an import: the rows, code lists and audit events the per-record services would write,
only what changed on a second import, and a record changed by someone else meanwhile is planned again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matchmaking.core.models import AuditEvent
from matchmaking.interchange import services, writing
from matchmaking.interchange.document import parse_document
from matchmaking.interchange.services import (
    interchange_import,
    known_opportunity_keys,
    known_organisation_keys,
)
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
from tests.interchange.test_interchange import OPP, ORG

pytestmark = pytest.mark.django_db


def _import(organisations=(ORG,), opportunities=(OPP,)):
    raw = {"format_version": 1, "organisations": list(organisations), "opportunities": list(opportunities)}
    document = parse_document(raw, known_organisation_keys(), known_opportunity_keys())
    return interchange_import(actor=None, document=document)


def _codes(related) -> list[str]:
    return sorted(related.values_list("code", flat=True))


def test_new_records_get_their_code_lists_and_audit_events():
    summary = _import()
    assert (summary.organisations_created, summary.opportunities_created) == (1, 1)
    organisation = Organisation.objects.get(key=ORG["id"])
    assert organisation.region.code == "SE23"
    assert _codes(organisation.languages) == sorted(ORG["languages"])
    assert _codes(organisation.expertise) == sorted(ORG["expertise"])
    opportunity = Opportunity.objects.get(key=OPP["id"])
    assert opportunity.organisation == organisation
    assert _codes(opportunity.topics) == OPP["topics"]
    assert opportunity.created_at is not None
    assert opportunity.status == Opportunity.Status.OPEN
    created = AuditEvent.objects.get(action="organisation.created")
    assert (created.object_id, created.organisation_id) == (str(organisation.pk), organisation.pk)
    assert created.actor_label == "system"
    assert created.after["interests"] == sorted(ORG["interests"])
    assert created.object_label == organisation.name
    event = AuditEvent.objects.get(action="opportunity.created")
    assert (event.object_id, event.organisation_id) == (str(opportunity.pk), organisation.pk)
    assert event.after["earliest"] == OPP["earliest"]
    assert event.object_label == str(opportunity)


def test_a_second_import_writes_only_what_changed():
    _import()
    organisation = Organisation.objects.get(key=ORG["id"])
    stamped = organisation.updated_at
    summary = _import(organisations=[dict(ORG, city="Ulricehamn", languages=["sv"])], opportunities=[OPP])
    assert (summary.organisations_updated, summary.opportunities_updated) == (1, 1)
    organisation.refresh_from_db()
    assert organisation.city == "Ulricehamn"
    assert _codes(organisation.languages) == ["sv"]
    assert _codes(organisation.target_groups) == sorted(ORG["target_groups"])  # unchanged lists stay
    assert organisation.updated_at > stamped
    updated = AuditEvent.objects.get(action="organisation.updated")
    assert updated.before == {"city": "Borås", "languages": ["en", "sv"]}
    assert updated.after == {"city": "Ulricehamn", "languages": ["sv"]}
    assert not AuditEvent.objects.filter(action="opportunity.updated").exists()  # the same as stored
    # The same file again changes nothing at all.
    events = AuditEvent.objects.count()
    _import(organisations=[dict(ORG, city="Ulricehamn", languages=["sv"])], opportunities=[OPP])
    assert AuditEvent.objects.count() == events


def test_a_record_changed_meanwhile_is_planned_again(monkeypatch):
    _import()
    real_prepare = writing.prepare
    calls = []

    def prepare_then_someone_edits(**kwargs):
        prepared = real_prepare(**kwargs)
        if not calls:  # between the first plan and its write, a coordinator edits the profile
            Organisation.objects.filter(key=ORG["id"]).update(
                city="Edited meanwhile", updated_at=timezone.now() + timedelta(seconds=1)
            )
        calls.append(prepared)
        return prepared

    monkeypatch.setattr(services.writing, "prepare", prepare_then_someone_edits)
    _import(organisations=[dict(ORG, city="Ulricehamn")], opportunities=[])
    assert len(calls) == 2
    assert Organisation.objects.get(key=ORG["id"]).city == "Ulricehamn"
    updated = AuditEvent.objects.get(action="organisation.updated")
    assert updated.before == {"city": "Edited meanwhile"}  # the second plan saw the edit


def test_the_import_sees_records_as_the_services_do():
    """The plan's own reading of a stored record equals the services' (audit diffs depend on it)."""
    from matchmaking.interchange.bulk import (
        OPPORTUNITY_TERMS,
        ORGANISATION_TERMS,
        _stored_codes,
        opportunity_values,
        organisation_values,
    )
    from matchmaking.mobility.services import opportunity_full_data
    from matchmaking.organisations.services import organisation_profile

    _import()
    organisation = Organisation.objects.get(key=ORG["id"])
    codes = _stored_codes(Organisation, ORGANISATION_TERMS, [organisation.pk])[organisation.pk]
    assert organisation_values(organisation, codes) == organisation_profile(organisation)
    opportunity = Opportunity.objects.get(key=OPP["id"])
    codes = _stored_codes(Opportunity, OPPORTUNITY_TERMS, [opportunity.pk])[opportunity.pk]
    assert opportunity_values(opportunity, codes) == opportunity_full_data(opportunity)
