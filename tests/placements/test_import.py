"""Bulk import of participants and placements: a real CSV parser, every refusal naming the row, the
field and the value, and limits checked before the whole file is read."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from matchmaking.organisations.models import Role
from matchmaking.participants.models import Participant, ParticipantIdentity
from matchmaking.placements import importing
from matchmaking.placements.models import Placement
from tests.factories import member

SKILL = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"
UNKNOWN_SKILL = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"


def _import(actor, kind: str, text: str, filename: str = "p.csv") -> importing.ImportReport:
    return importing.import_file(actor=actor, kind=kind, filename=filename, content=text.encode())


def _refused(actor, kind: str, text: str | bytes, filename: str = "p.csv") -> list[str]:
    content = text.encode() if isinstance(text, str) else text
    with pytest.raises(importing.ImportFailedError) as caught:
        importing.import_file(actor=actor, kind=kind, filename=filename, content=content)
    return caught.value.errors


def _mentions(error: str, *parts: str) -> bool:
    return all(part in error for part in parts)


def _host(world):
    return member(Role.STAFF, world.home, email="hoststaff@example.org")


# --- CSV parsing ------------------------------------------------------------------------------------


def test_doubled_quotes_are_one_quote_and_quoted_delimiters_do_not_shift_columns(world):
    text = (
        'reference,organisation,given_name,family_name,phone\nQ-1,boras,"Anna ""Nina""","Berg, Lund",0701\n'
    )
    _import(world.worker, "participants", text)
    identity = ParticipantIdentity.objects.get(participant__reference="Q-1")
    assert identity.given_name == 'Anna "Nina"'
    assert identity.family_name == "Berg, Lund"
    assert identity.phone == "0701"


def test_semicolon_file_with_quotes_and_a_bom(world):
    text = (
        "\ufeffreference;organisation;given_name;family_name;languages\n"
        'Q-2;boras;"Anna ""Nina""";"Berg; Lund";"sv:B1;en:A2"\n'
        "Q-3;boras;Bo;Ek;sv:C1\n"
    )
    report = _import(world.worker, "participants", text)
    assert report.created == 2
    identity = ParticipantIdentity.objects.get(participant__reference="Q-2")
    assert (identity.given_name, identity.family_name) == ('Anna "Nina"', "Berg; Lund")
    assert Participant.objects.get(reference="Q-2").languages.count() == 2


def test_the_dialect_is_sniffed_on_several_lines_not_the_header_alone(world):
    # The header has no quotes; the rows below hold the quoted cells and the lists.
    rows = "".join(f'R-{i},boras,"Name ""{i}""","Ek, {i}",sv:B1;en:A2\n' for i in range(5))
    _import(world.worker, "participants", "reference,organisation,given_name,family_name,languages\n" + rows)
    identity = ParticipantIdentity.objects.get(participant__reference="R-3")
    assert (identity.given_name, identity.family_name) == ('Name "3"', "Ek, 3")


# --- Validation naming row, field and value ---------------------------------------------------------


def test_a_date_of_birth_in_the_future_is_refused(world):
    text = (
        "reference,organisation,given_name,date_of_birth\nD-1,boras,Ali,2000-01-01\nD-2,boras,Bo,2199-01-01\n"
    )
    (error,) = _refused(world.worker, "participants", text)
    assert _mentions(error, "Row 3", "date_of_birth", "2199-01-01")
    assert not Participant.objects.filter(reference__startswith="D-").exists()


@pytest.mark.parametrize("born", ["1850-06-01", "2024-01-01"])
def test_an_implausible_age_is_refused(world, born):
    text = f"reference,organisation,given_name,date_of_birth\nD-3,boras,Ali,{born}\n"
    (error,) = _refused(world.worker, "participants", text)
    assert _mentions(error, "Row 2", "date_of_birth", born)


def test_an_unknown_esco_skill_is_refused(world):
    text = f"reference,organisation,given_name,skills_informal\nS-1,boras,Ali,{SKILL};{UNKNOWN_SKILL}\n"
    (error,) = _refused(world.worker, "participants", text)
    assert _mentions(error, "Row 2", "skills_informal", UNKNOWN_SKILL)
    assert not Participant.objects.filter(reference="S-1").exists()


def test_an_unknown_esco_skill_of_a_placement_is_refused(world):
    text = f"key,host,title,seats,country,required_skills\nk-1,boras,Kitchen,1,SE,{UNKNOWN_SKILL}\n"
    (error,) = _refused(_host(world), "placements", text)
    assert _mentions(error, "Row 2", "required_skills", UNKNOWN_SKILL)


def test_a_nul_character_is_refused(world):
    text = "reference,organisation,given_name\nN-1,boras,Ali\nN-2,boras,A\x00li\n"
    (error,) = _refused(world.worker, "participants", text)
    assert _mentions(error, "Row 3", "given_name", "\\x00")
    assert "\x00" not in error
    assert not Participant.objects.filter(reference__startswith="N-").exists()


def test_an_over_long_description_is_refused_and_the_value_shortened(world):
    long = "x" * (importing.MAX_DESCRIPTION + 1)
    text = f"key,host,title,seats,country,description\nk-2,boras,Kitchen,1,SE,{long}\n"
    (error,) = _refused(_host(world), "placements", text)
    assert _mentions(error, "Row 2", "description", f"{importing.MAX_DESCRIPTION:,}")
    assert len(error) < 400
    assert not Placement.objects.exists()


def test_a_description_at_the_limit_is_accepted(world):
    description = "x" * importing.MAX_DESCRIPTION
    text = f"key,host,title,seats,country,description\nk-3,boras,Kitchen,1,SE,{description}\n"
    _import(_host(world), "placements", text)
    assert len(Placement.objects.get(key="k-3").description) == importing.MAX_DESCRIPTION


def test_an_over_long_name_is_refused_not_cut(world):
    text = f"reference,organisation,given_name\nL-1,boras,{'A' * 101}\n"
    (error,) = _refused(world.worker, "participants", text)
    assert _mentions(error, "Row 2", "given_name", "100")


def test_an_invalid_email_names_its_row(world):
    text = (
        "reference,organisation,given_name,email\nE-1,boras,Ali,ali@example.org\nE-2,boras,Bo,not-an-email\n"
    )
    (error,) = _refused(world.worker, "participants", text)
    assert _mentions(error, "Row 3", "email", "not-an-email")
    assert not Participant.objects.filter(reference__startswith="E-").exists()


def test_every_bad_row_is_named_in_one_pass(world):
    text = (
        "reference,organisation,given_name,date_of_birth,email\n"
        "M-1,boras,Ali,2199-01-01,ali@example.org\n"
        "M-2,boras,Bo,2000-01-01,bo@\n"
        "M-3,boras,Cy,2000-01-01,cy@example.org\n"
    )
    errors = _refused(world.worker, "participants", text)
    assert [e.split(",")[0] for e in errors] == ["Row 2", "Row 3"]


# --- Size and row limits ---------------------------------------------------------------------------


def test_a_file_over_the_byte_limit_is_refused_before_parsing(world, settings, monkeypatch):
    settings.IMPORT_MAX_BYTES = 1000
    monkeypatch.setattr(importing, "read_table", _fail)
    (error,) = _refused(world.worker, "participants", b"x" * 1001)
    assert "1,000" in error or "1000" in error


def test_the_upload_form_refuses_a_file_over_the_byte_limit(client, world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(world.worker)
    response = client.post(
        reverse("placements:import"),
        {"kind": "participants", "file": SimpleUploadedFile("p.csv", b"reference\n" + b"x" * 2000)},
    )
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not Participant.objects.filter(reference__startswith="x").exists()


def _fail(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the file should not have been parsed")


def _counting(function: Callable[..., Iterator[Any]], seen: list[int]) -> Callable[..., Iterator[Any]]:
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for item in function(*args, **kwargs):
            seen.append(1)
            yield item

    return wrapper


def test_a_large_xlsx_is_streamed_and_refused_at_the_row_limit(world, settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 20
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["reference", "organisation", "given_name"])
    for i in range(3000):
        sheet.append([f"X-{i}", "boras", "Ali"])
    buffer = io.BytesIO()
    book.save(buffer)
    opened: list[dict[str, Any]] = []
    real_load = importing.load_workbook

    def load(*args: Any, **kwargs: Any) -> Any:
        opened.append(kwargs)
        return real_load(*args, **kwargs)

    seen: list[int] = []
    monkeypatch.setattr(importing, "load_workbook", load)
    monkeypatch.setattr(importing, "_xlsx_rows", _counting(importing._xlsx_rows, seen))
    (error,) = _refused(world.worker, "participants", buffer.getvalue(), "p.xlsx")
    assert "20" in error
    assert opened
    assert opened[0].get("read_only") is True
    assert len(seen) <= 20 + 2  # the header, the limit, and the one row that proves it is exceeded
    assert not Participant.objects.filter(reference__startswith="X-").exists()


def test_a_csv_over_the_row_limit_stops_at_the_limit(world, settings, monkeypatch):
    settings.IMPORT_MAX_ROWS = 20
    text = "reference,organisation,given_name\n" + "".join(f"C-{i},boras,Ali\n" for i in range(3000))
    seen: list[int] = []
    monkeypatch.setattr(importing, "_csv_rows", _counting(importing._csv_rows, seen))
    (error,) = _refused(world.worker, "participants", text)
    assert "20" in error
    assert len(seen) <= 20 + 2


def test_a_large_import_takes_the_statistics_of_what_it_wrote(world, monkeypatch):
    """As for an interchange import: the planner knows the new people at once, on both databases."""
    from matchmaking.core import statistics

    written = []
    monkeypatch.setattr(statistics, "BULK_WRITE_ROWS", 2)
    monkeypatch.setattr(statistics, "after_bulk_write", lambda db, models, n: written.append((models, n)))
    rows = "".join(f"Q-{n},boras,Anna,Berg\n" for n in range(3))
    _import(world.worker, "participants", "reference,organisation,given_name,family_name\n" + rows)
    ((models, count),) = written
    assert Participant in models
    assert count == 3
