"""The Erasmus+-style per-mobility export: one row per mobility, the flag only (never reasons per
person), scoped to what the user may see, as CSV, XLSX, a web page and a command."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from matchmaking.cli import main
from matchmaking.core.models import AuditEvent
from matchmaking.exchanges.models import State
from matchmaking.monitoring import mobilities
from matchmaking.organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.factories_mobility import exchange, pair, visitor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    host, visitor, _offer, _request, host_user, visitor_user = pair()
    host.erasmus_id, host.city = "E10000002", "Barcelona"
    host.save()
    visitor.erasmus_id = "E10000001"
    visitor.save()
    start = timezone.localdate() + timedelta(days=30)
    ex = exchange(host, visitor, state=State.CONFIRMED, start=start, days=3, group_size=2,
                  activity_code="SM-JOB-SHDW", funding="erasmus-ka1")  # fmt: skip
    visitor_of(ex, name="Maja Lindqvist", fewer_opportunities=True)
    visitor_of(ex, name="Tove Sandberg", accompanying=True)
    proposed = exchange(host, visitor, state=State.PROPOSED, start=start)
    visitor_of(proposed, name="Not travelling yet")
    third = OrganisationFactory(name="Third", country="DE")
    other = exchange(third, visitor, state=State.AGREED, start=start + timedelta(days=200))
    visitor_of(other, name="Elsewhere")
    return {"host": host, "visitor": visitor, "ex": ex, "host_user": host_user, "visitor_user": visitor_user,
            "third": third, "start": start}  # fmt: skip


def _placement_record(sending, receiving, *, barriers):
    from matchmaking.placements.models import MobilityRecord, Proposal, Round
    from tests.factories_participants import participant, placement

    person = participant(sending, fewer_opportunities=True, barriers=barriers)
    pl = placement(receiving, key="abroad-1")
    proposal = Proposal.objects.create(
        round=Round.objects.create(name="Abroad"), participant=person, placement=pl, status="accepted"
    )
    return MobilityRecord.objects.create(
        proposal=proposal, participant=person, learner_type="vet-learner", activity_code="LM-LONG-VET",
        sending=sending, receiving=receiving, country=receiving.country, city="Bergen",
        start=date(2026, 9, 1), end=date(2026, 11, 29), fewer_opportunities=True, long_term=True,
    )  # fmt: skip


def test_coordinator_sees_every_mobility_and_flag_reasons_only_as_counts(world, coordinator):
    _placement_record(world["visitor"], world["third"], barriers=["economic", "geographical"])
    export = mobilities.mobility_export(user=coordinator)
    assert len(export.rows) == 4  # two visitors, one in another exchange, one placement; no proposals
    row = next(r for r in export.rows if r["fewer_opportunities"] == "yes" and r["source"] == "exchange")
    assert row["sending_erasmus_id"] == "E10000001"
    assert row["receiving_erasmus_id"] == "E10000002"
    assert (row["receiving_country"], row["receiving_city"]) == ("ES", "Barcelona")
    assert (row["activity_type"], row["funding"], row["duration_days"]) == ("SM-JOB-SHDW", "erasmus-ka1", 3)
    assert row["accompanying_person"] == "no"
    placement_row = next(r for r in export.rows if r["source"] == "placement")
    assert (placement_row["activity_type"], placement_row["long_term"]) == ("LM-LONG-VET", "yes")
    assert export.reasons == {"economic": 1, "geographical": 1}
    assert export.reasons_not_recorded == 1  # the exchange visitor: no reasons are ever recorded
    text = mobilities.to_csv(export).decode("utf-8-sig")
    for absent in ("economic", "geographical", "barrier", "Maja"):
        assert absent not in text
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(mobilities.COLUMNS)
    book = load_workbook(io.BytesIO(mobilities.to_xlsx(export)))
    assert book.sheetnames == ["Mobilities", "Summary"]
    assert book["Mobilities"].max_row == 5
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    # Counts below the threshold leave the tool suppressed.
    assert ["economic", "<5"] in [r[:2] for r in summary]
    assert "economic" not in [c.value for row in book["Mobilities"].iter_rows() for c in row]


def test_members_see_their_own_mobilities_and_the_host_never_the_flag(world):
    case_worker = member(Role.CASE_WORKER, world["visitor"], email="cw@example.org")
    sending = mobilities.mobility_export(user=case_worker)
    hosting = mobilities.mobility_export(user=world["host_user"])
    assert len(sending.rows) == 3
    assert {r["fewer_opportunities"] for r in sending.rows} == {"yes", "no"}
    assert len(hosting.rows) == 2  # not the exchange with the third organisation
    assert {r["fewer_opportunities"] for r in hosting.rows} == {""}
    outsider = member(Role.STAFF, OrganisationFactory(), email="out@example.org")
    assert mobilities.mobility_export(user=outsider).rows == []


def test_filters_by_period_and_organisation(world, coordinator):
    start = world["start"]
    f = mobilities.MobilityFilters(date_from=start + timedelta(days=100))
    assert len(mobilities.mobility_export(user=coordinator, filters=f).rows) == 1
    f = mobilities.MobilityFilters(organisation_id=world["third"].pk)
    assert len(mobilities.mobility_export(user=coordinator, filters=f).rows) == 1


def test_web_page_and_downloads(world, client):
    client.force_login(world["host_user"])
    page = client.get("/monitoring/mobilities/")
    assert page.status_code == 200
    assert b"download=xlsx" in page.content
    response = client.get("/monitoring/mobilities/", {"download": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 3
    assert AuditEvent.objects.filter(action="mobilities.exported").exists()
    xlsx = client.get("/monitoring/mobilities/", {"download": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["Mobilities", "Summary"]
    # Another organisation cannot be chosen: the form refuses it and the rows stay the user's own.
    other = client.get("/monitoring/mobilities/", {"organisation": world["third"].key, "download": "csv"})
    assert other["Content-Type"].startswith("text/html")
    client.logout()
    assert client.get("/monitoring/mobilities/").status_code == 302


def test_the_old_address_of_the_export_redirects_with_its_filters(world, client):
    client.force_login(world["host_user"])
    response = client.get("/exchanges/mobilities/", {"download": "csv"})
    assert response.status_code == 302
    assert response["Location"] == "/monitoring/mobilities/?download=csv"


def test_command_writes_csv_with_summary_and_xlsx(world, tmp_path, capsys):
    assert main(["export-mobilities", str(tmp_path / "m.csv")]) == 0
    assert "3 mobilities exported" in capsys.readouterr().out
    assert (tmp_path / "m-summary.csv").exists()
    assert main(["export-mobilities", str(tmp_path / "m.xlsx"), "--organisation", world["third"].key]) == 0
    assert load_workbook(tmp_path / "m.xlsx")["Mobilities"].max_row == 2
    assert main(["export-mobilities", str(tmp_path / "m.txt")]) == 2
    assert main(["export-mobilities", str(tmp_path / "m.csv"), "--from", "soon"]) == 2
    assert "--from: bad date 'soon'" in capsys.readouterr().err
    assert main(["export-mobilities", str(tmp_path / "m.csv"), "--organisation", "nobody"]) == 2


def test_staff_without_personal_data_rights_get_no_flag_and_no_reason_counts(world):
    """The probe: a staff member of the sending organisation saw "disability 1, health 1" next to the only
    flagged row. Staff now get neither the per-person flag nor reason counts."""
    _placement_record(world["visitor"], world["third"], barriers=["disability", "health"])
    staff = mobilities.mobility_export(user=world["visitor_user"])
    assert len(staff.rows) == 4
    assert {r["fewer_opportunities"] for r in staff.rows} == {""}
    assert not staff.reasons
    assert staff.reasons_not_recorded == 0
    summary = mobilities.summary_csv(staff).decode("utf-8-sig")
    assert "disability" not in summary
    assert "health" not in summary


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([12, 9, 3, 0], [12, "x", "<5", 0]),  # accompanying hidden: participants = 12 - 3 would show it
        ([12, 8, 4, 2], [12, "x", "<5", "<5"]),
        ([4, 3, 1, 1], ["<5", "<5", "<5", "<5"]),  # all three hidden: nothing to work out
        ([20, 14, 6, 7], [20, 14, 6, 7]),
        ([3, 3, 0, 3], ["<5", "<5", 0, "<5"]),  # two of the three hidden; the zero tells nothing new
    ],
)
def test_small_cells_are_suppressed_with_secondary_suppression(counts, shown):
    assert mobilities.suppress_row(counts) == shown


def test_a_suppressed_cell_cannot_be_worked_out_from_its_row():
    for total in range(21):
        for accompanying in range(total + 1):
            shown = mobilities.suppress_row([total, total - accompanying, accompanying, 0])
            hidden = [i for i in range(3) if isinstance(shown[i], str)]
            assert len(hidden) != 1, (total, accompanying, shown)
