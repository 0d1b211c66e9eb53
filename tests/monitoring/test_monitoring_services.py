"""Targets and learner counts: the coordinator's, audited; a bad file names the row and changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from matchmaking.core.models import AuditEvent
from matchmaking.monitoring import services
from matchmaking.monitoring.models import LearnerCount, Target
from matchmaking.taxonomies.models import Region

pytestmark = pytest.mark.django_db


def test_the_2030_targets_are_there_from_the_start(db):
    assert {(t.indicator, t.source): t.value for t in Target.objects.filter(year=2030)} == {
        ("vet-learners-on-mobility", "partnership"): Decimal("20.00"),
        ("vet-learners-on-mobility", "council"): Decimal("12.00"),
        ("fewer-opportunities-share", "partnership"): Decimal("20.00"),
        ("higher-education-graduates-mobility", "council"): Decimal("23.00"),
    }


def test_every_council_target_cites_the_recommendation(db):
    council = Target.objects.filter(source="council")
    assert council.count() == 2
    for target in council:
        assert "Europe on the Move" in target.reference
        assert "C/2024/3364" in target.reference


def test_a_new_reference_replaces_the_old_and_an_empty_one_keeps_it(coordinator):
    services.target_set(
        actor=coordinator, indicator=VET, year=2027, source="council", value=Decimal("10"), reference="A text"
    )
    services.target_set(actor=coordinator, indicator=VET, year=2027, source="council", value=Decimal("11"))
    target = Target.objects.get(year=2027)
    assert (target.value, target.reference) == (Decimal("11"), "A text")


VET = "vet-learners-on-mobility"


def test_the_coordinator_sets_and_removes_a_target(coordinator):
    services.target_set(actor=coordinator, indicator=VET, year=2026, source="partnership", value=Decimal("8"))
    assert Target.objects.get(year=2026).value == Decimal("8")
    assert AuditEvent.objects.filter(action="target.set").exists()
    services.target_set(actor=coordinator, indicator=VET, year=2026, source="partnership", value=None)
    assert not Target.objects.filter(year=2026).exists()
    with pytest.raises(ValidationError):
        services.target_set(
            actor=coordinator,
            indicator="exchanges-by-type",
            year=2026,
            source="partnership",
            value=Decimal("8"),
        )
    with pytest.raises(ValidationError):
        services.target_set(
            actor=coordinator, indicator=VET, year=2026, source="council", value=Decimal("120")
        )


def test_only_the_coordinator_sets_targets_and_learner_counts(org_admin):
    with pytest.raises(PermissionDenied):
        services.target_set(
            actor=org_admin, indicator=VET, year=2026, source="partnership", value=Decimal("8")
        )
    with pytest.raises(PermissionDenied):
        services.learner_counts_import(
            actor=org_admin, filename="l.csv", content=b"year,region,learners\n2026,SE23,5\n"
        )


def test_learner_counts_are_imported_from_csv(coordinator):
    LearnerCount.objects.create(year=2026, region=Region.objects.get(code="SE23"), learners=1)
    content = b"year;region;organisation;learners;source\n2026;SE23;;240;SCB\n2026;ES51;;1800;Idescat\n"
    assert services.learner_counts_import(actor=coordinator, filename="learners.csv", content=content) == 2
    assert dict(LearnerCount.objects.values_list("region__code", "learners")) == {"SE23": 240, "ES51": 1800}


def test_learner_counts_are_imported_from_xlsx(coordinator):
    book = Workbook()
    sheet = book.active
    sheet.append(["year", "organisation", "learners"])
    sheet.append([2026, "network-secretariat", 35])
    buffer = io.BytesIO()
    book.save(buffer)
    assert (
        services.learner_counts_import(actor=coordinator, filename="l.xlsx", content=buffer.getvalue()) == 1
    )
    assert LearnerCount.objects.get().organisation.key == "network-secretariat"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("2026,XX99,,10", ["Row 3", "XX99"]),
        ("1850,ES51,,10", ["Row 3", "1850"]),
        ("2026,ES51,,many", ["Row 3", "many"]),
        ("2026,,,10", ["Row 3", "region or an organisation"]),
        ("2026,SE23,,10", ["Row 3", "row 2"]),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(coordinator, line, words):
    content = f"year,region,organisation,learners\n2026,SE23,,240\n{line}\n".encode()
    with pytest.raises(ValidationError) as caught:
        services.learner_counts_import(actor=coordinator, filename="learners.csv", content=content)
    text = " ".join(caught.value.messages)
    for word in words:
        assert word in text
    assert not LearnerCount.objects.exists()
