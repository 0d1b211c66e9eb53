"""Import and export of the interchange format through the ``matchmaking`` command: all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchmaking.cli import main
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation

pytestmark = pytest.mark.django_db

ORG = {
    "id": "boras-working-life",
    "name": "Borås Working Life Department",
    "kind": "municipality",
    "country": "SE",
    "region": "SE23",
    "city": "Borås",
    "languages": ["sv", "en"],
    "target_groups": ["neet-youth", "newly-arrived-migrants"],
    "expertise": ["multi-competent-teams", "motivational-interviewing"],
    "interests": ["early-outreach", "skills-mapping"],
    "hosting_capacity": 5,
    "description": "free text",
    "website": "https://www.boras.se",
    "erasmus_id": "E10000001",
    "erasmus_accreditation": "Erasmus accreditation in adult education",
}
OPP = {
    "id": "req-1",
    "organisation": "boras-working-life",
    "type": "job-shadowing",
    "direction": "request",
    "topics": ["early-outreach"],
    "target_groups": ["neet-youth"],
    "languages": ["en"],
    "earliest": "2026-05-01",
    "latest": "2026-06-30",
    "duration_days": 3,
    "group_size": 3,
    "description": "free text",
}


def _write(tmp_path: Path, doc: dict, name: str = "data.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_import_then_export_round_trips_every_field(tmp_path, capsys):
    source = {"format_version": 1, "organisations": [ORG], "opportunities": [OPP]}
    assert main(["import", str(_write(tmp_path, source))]) == 0
    out = tmp_path / "out.json"
    assert main(["export", str(out)]) == 0
    exported = json.loads(out.read_text())
    assert exported["format_version"] == 2  # a version 1 file is read, the export is the current version
    assert exported["exchanges"] == []
    assert exported["organisations"] == [{**ORG, "languages": sorted(ORG["languages"]),
                                          "target_groups": sorted(ORG["target_groups"]),
                                          "expertise": sorted(ORG["expertise"]),
                                          "interests": sorted(ORG["interests"])}]  # fmt: skip
    assert exported["opportunities"] == [OPP]
    # Importing the export again changes nothing and duplicates nothing.
    assert main(["import", str(out)]) == 0
    assert Organisation.objects.count() == 1
    assert Opportunity.objects.count() == 1


def test_file_without_version_is_version_1(tmp_path):
    assert main(["import", str(_write(tmp_path, {"organisations": [ORG]}))]) == 0
    assert Organisation.objects.filter(key="boras-working-life").exists()


@pytest.mark.parametrize(
    ("section", "change", "expected"),
    [
        (
            "organisations",
            {"kind": "town-hall"},
            "organisations[boras-working-life].kind: unknown organisation-kinds code 'town-hall'",
        ),
        (
            "organisations",
            {"country": "XX"},
            "organisations[boras-working-life].country: unknown ISO 3166-1 alpha-2 country code 'XX'",
        ),
        (
            "organisations",
            {"languages": ["sv", "xx"]},
            "organisations[boras-working-life].languages: unknown ISO 639-1 language code 'xx'",
        ),
        (
            "organisations",
            {"expertise": ["juggling"]},
            "organisations[boras-working-life].expertise: unknown practice-topics code 'juggling'",
        ),
        (
            "organisations",
            {"region": "DE11"},
            "organisations[boras-working-life].region: 'DE11' is not a NUTS 2024 level-2 region of SE",
        ),
        (
            "organisations",
            {"erasmus_id": "E123"},
            "organisations[boras-working-life].erasmus_id: 'E123' is not 'E' followed by 8 digits",
        ),
        (
            "organisations",
            {"hosting_capacity": "five"},
            "organisations[boras-working-life].hosting_capacity: bad value 'five'",
        ),
        (
            "opportunities",
            {"earliest": "2026-13-01"},
            "opportunities[req-1].earliest: bad date '2026-13-01' (expected YYYY-MM-DD)",
        ),
        (
            "opportunities",
            {"latest": "2026-04-01"},
            "opportunities[req-1].latest: 2026-04-01 is before earliest 2026-05-01",
        ),
        (
            "opportunities",
            {"organisation": "nobody"},
            "opportunities[req-1].organisation: unknown organisation 'nobody'",
        ),
        (
            "opportunities",
            {"type": "holiday"},
            "opportunities[req-1].type: unknown opportunity-types code 'holiday'",
        ),
        (
            "opportunities",
            {"direction": "sideways"},
            "opportunities[req-1].direction: unknown directions code 'sideways'",
        ),
        (
            "opportunities",
            {"colour": "red"},
            "opportunities[req-1]: unknown field(s): 'colour' was unexpected",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(tmp_path, capsys, section, change, expected):
    doc = {"organisations": [dict(ORG)], "opportunities": [dict(OPP)]}
    doc[section][0].update(change)
    assert main(["import", str(_write(tmp_path, doc))]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert expected in err
    assert Organisation.objects.count() == 0
    assert Opportunity.objects.count() == 0


def test_duplicate_ids_are_named(tmp_path, capsys):
    doc = {"organisations": [ORG, ORG], "opportunities": [OPP, OPP]}
    assert main(["import", str(_write(tmp_path, doc))]) == 1
    err = capsys.readouterr().err
    assert "organisations[boras-working-life].id: duplicate id 'boras-working-life'" in err
    assert "opportunities[req-1].id: duplicate id 'req-1'" in err


def test_one_bad_record_among_good_ones_writes_nothing(tmp_path, capsys):
    good = [dict(ORG, id=f"org-{i}") for i in range(5)]
    bad = dict(ORG, id="bad-one", target_groups=["aliens"])
    assert main(["import", str(_write(tmp_path, {"organisations": [*good, bad]}))]) == 1
    assert (
        "organisations[bad-one].target_groups: unknown target-groups code 'aliens'" in capsys.readouterr().err
    )
    assert Organisation.objects.count() == 0


def test_unsupported_version_and_broken_json(tmp_path, capsys):
    assert main(["import", str(_write(tmp_path, {"format_version": 99}))]) == 1
    assert "format_version: unsupported value 99" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert main(["import", str(broken)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.json")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_opportunities_may_refer_to_organisations_already_imported(tmp_path):
    assert main(["import", str(_write(tmp_path, {"organisations": [ORG]}, "a.json"))]) == 0
    assert main(["import", str(_write(tmp_path, {"opportunities": [OPP]}, "b.json"))]) == 0
    assert Opportunity.objects.get().organisation.key == "boras-working-life"


def test_dry_run_writes_nothing(tmp_path, capsys):
    assert main(["import", "--dry-run", str(_write(tmp_path, {"organisations": [ORG]}))]) == 0
    assert "valid" in capsys.readouterr().out
    assert Organisation.objects.count() == 0


# --- Version 2: exchanges ---------------------------------------------------------------------------

HOST = dict(
    ORG, id="soc-catalonia", name="Public Employment Service of Catalonia", kind="public-employment-service",
    country="ES", region="ES51", city="Barcelona", languages=["ca", "en", "es"], erasmus_id="E10000002",
)  # fmt: skip
OFFER = dict(
    OPP, id="offer-1", organisation="soc-catalonia", direction="offer", group_size=5,
    earliest="2026-05-01", latest="2026-06-30",
)  # fmt: skip
EXCHANGE = {
    "id": "boras-soc-2026",
    "host": "soc-catalonia",
    "visitor": "boras-working-life",
    "proposed_by": "boras-working-life",
    "offer": "offer-1",
    "request": "req-1",
    "type": "job-shadowing",
    "title": "Job shadowing: inclusive employment in Catalonia",
    "state": "reported",
    "state_reason": "",
    "start": "2026-05-05",
    "end": "2026-05-07",
    "group_size": 2,
    "funding": "erasmus-ka1",
    "activity_code": "SM-JOB-SHDW",
    "time_zone": "Europe/Madrid",
    "green_travel": True,
    "blended": False,
    "force_majeure": False,
    "visitors": [
        {
            "id": "v1", "name": "Maja Lindqvist", "email": "maja@example.org", "role": "Youth adviser",
            "learning_goals": "Early outreach", "kind": "staff", "accompanying": False,
            "fewer_opportunities": False, "start": None, "end": None,
        },
        {
            "id": "v2", "name": "Tove Sandberg", "email": "", "role": "Apprentice", "learning_goals": "",
            "kind": "apprentice", "accompanying": True, "fewer_opportunities": True,
            "start": "2026-05-06", "end": "2026-05-07",
        },
    ],
    "programme": [
        {
            "day": "2026-05-05", "starts_at": "09:00", "ends_at": "10:30", "activity": "Welcome",
            "format": "meeting", "host_person": "Host team", "location": "Main office", "notes": "",
            "visitors": [],
        },
        {
            "day": "2026-05-06", "starts_at": "11:00", "ends_at": "15:00", "activity": "Job shadowing",
            "format": "job-shadowing", "host_person": "", "location": "", "notes": "Bring a badge",
            "visitors": ["v2"],
        },
    ],
    "report": {
        "summary": "Three days in Barcelona.", "outcomes": "A reciprocal visit.",
        "host_lessons": ["Tailored agendas work"], "visitor_lessons": ["Early outreach", "Skills mapping"],
        "follow_up_actions": ["Reciprocal visit in 2027"], "host_feedback": "planned",
        "visitor_feedback": "maybe", "host_follow_up": "", "visitor_follow_up": "",
    },
}  # fmt: skip


def _v2(**sections) -> dict:
    doc = {
        "format_version": 2,
        "organisations": [ORG, HOST],
        "opportunities": [OPP, OFFER],
        "exchanges": [EXCHANGE],
    }
    doc.update(sections)
    return doc


def _sorted_org(org: dict) -> dict:
    return {k: sorted(v) if isinstance(v, list) else v for k, v in org.items()}


def test_version_2_round_trips_every_exchange_field(tmp_path, capsys):
    from matchmaking.exchanges.models import Exchange

    assert main(["import", str(_write(tmp_path, _v2()))]) == 0
    assert "exchanges: 1 created" in capsys.readouterr().out
    exchange = Exchange.objects.get(key="boras-soc-2026")
    assert exchange.visitors.count() == 2
    assert list(exchange.programme.get(activity="Job shadowing").visitors.values_list("name", flat=True)) == [
        "Tove Sandberg"
    ]
    out = tmp_path / "out.json"
    assert main(["export", str(out)]) == 0
    exported = json.loads(out.read_text())
    assert exported["format_version"] == 2
    assert exported["organisations"] == [_sorted_org(ORG), _sorted_org(HOST)]
    assert exported["opportunities"] == [OFFER, OPP]  # ordered by id
    assert exported["exchanges"] == [EXCHANGE]
    # The export imports again: it changes nothing and duplicates nothing.
    assert main(["import", str(out)]) == 0
    assert "exchanges: 0 created, 1 updated" in capsys.readouterr().out
    assert Exchange.objects.count() == 1
    again = tmp_path / "again.json"
    assert main(["export", str(again)]) == 0
    assert json.loads(again.read_text()) == exported


def test_version_2_host_and_visitor_come_from_the_offer_and_request(tmp_path):
    from matchmaking.exchanges.models import Exchange

    minimal = {"id": "x-1", "offer": "offer-1", "request": "req-1", "type": "study-visit",
               "start": "2026-05-05", "end": "2026-05-06"}  # fmt: skip
    assert main(["import", str(_write(tmp_path, _v2(exchanges=[minimal])))]) == 0
    exchange = Exchange.objects.get(key="x-1")
    assert (exchange.host.key, exchange.visitor.key, exchange.proposed_by.key) == (
        "soc-catalonia",
        "boras-working-life",
        "boras-working-life",
    )
    assert exchange.state == "proposed"
    assert exchange.time_zone == "Europe/Madrid"
    assert exchange.visitors.count() == 0


def test_version_1_file_cannot_hold_exchanges(tmp_path, capsys):
    doc = {"organisations": [ORG], "exchanges": [EXCHANGE]}
    assert main(["import", str(_write(tmp_path, doc))]) == 1
    assert 'exchanges: this section needs "format_version": 2' in capsys.readouterr().err
    assert Organisation.objects.count() == 0


def _visitor(n: int, **change) -> dict:
    return {**EXCHANGE["visitors"][n], **change}


def _item(n: int, **change) -> dict:
    return {**EXCHANGE["programme"][n], **change}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"host": "nobody", "offer": None}, "exchanges[boras-soc-2026].host: unknown organisation 'nobody'"),
        ({"offer": "no-such-offer"}, "exchanges[boras-soc-2026].offer: unknown opportunity 'no-such-offer'"),
        (
            {"offer": "req-1"},
            "exchanges[boras-soc-2026].offer: opportunity 'req-1' is 'request', not 'offer'",
        ),
        (
            {"host": "boras-working-life"},
            "exchanges[boras-soc-2026].host: 'boras-working-life' is not the organisation of the offer "
            "('soc-catalonia')",
        ),
        ({"offer": None, "host": None}, "exchanges[boras-soc-2026].host: missing"),
        ({"type": "holiday"}, "exchanges[boras-soc-2026].type: unknown opportunity-types code 'holiday'"),
        ({"state": "lost"}, "exchanges[boras-soc-2026].state: unknown code 'lost'"),
        ({"funding": "lottery"}, "exchanges[boras-soc-2026].funding: unknown code 'lottery'"),
        ({"activity_code": "SM-XYZ"}, "exchanges[boras-soc-2026].activity_code: unknown code 'SM-XYZ'"),
        ({"time_zone": "Mars/Olympus"}, "exchanges[boras-soc-2026].time_zone: unknown IANA time zone"),
        ({"start": "2026-05-32"}, "exchanges[boras-soc-2026].start: bad date '2026-05-32'"),
        ({"end": "2026-05-01"}, "exchanges[boras-soc-2026].end: 2026-05-01 is before start 2026-05-05"),
        ({"group_size": 1}, "exchanges[boras-soc-2026].group_size: 1 is less than the 2 visitors listed"),
        ({"colour": "red"}, "exchanges[boras-soc-2026]: unknown field(s): 'colour' was unexpected"),
        (
            {"visitors": [_visitor(0, kind="tourist"), _visitor(1)]},
            "exchanges[boras-soc-2026].visitors[v1].kind: unknown code 'tourist'",
        ),
        (
            {"visitors": [_visitor(0, barriers=["economic"]), _visitor(1)]},
            "exchanges[boras-soc-2026].visitors[v1]: unknown field(s): 'barriers' was unexpected",
        ),
        (
            {"visitors": [_visitor(0, start="2026-05-01"), _visitor(1)]},
            "exchanges[boras-soc-2026].visitors[v1].start: 2026-05-01 to 2026-05-07 is not within",
        ),
        (
            {"visitors": [_visitor(0, fewer_opportunities="yes"), _visitor(1)]},
            "exchanges[boras-soc-2026].visitors[v1].fewer_opportunities: bad value 'yes'",
        ),
        (
            {"visitors": [_visitor(0), _visitor(1, id="v1")]},
            "exchanges[boras-soc-2026].visitors[v1].id: duplicate id 'v1'",
        ),
        (
            {"programme": [_item(0, day="2026-06-01"), _item(1)]},
            "exchanges[boras-soc-2026].programme[#1].day: 2026-06-01 is not within the exchange's dates",
        ),
        (
            {"programme": [_item(0, ends_at="08:00"), _item(1)]},
            "exchanges[boras-soc-2026].programme[#1].ends_at: 08:00 is not after starts_at 09:00",
        ),
        (
            {"programme": [_item(0, starts_at="nine"), _item(1)]},
            "exchanges[boras-soc-2026].programme[#1].starts_at: bad time 'nine'",
        ),
        (
            {"programme": [_item(0, format="picnic"), _item(1)]},
            "exchanges[boras-soc-2026].programme[#1].format: unknown code 'picnic'",
        ),
        (
            {"programme": [_item(0), _item(1, visitors=["v9"])]},
            "exchanges[boras-soc-2026].programme[#2].visitors: unknown visitor 'v9'",
        ),
        (
            {"report": {**EXCHANGE["report"], "host_feedback": "great"}},
            "exchanges[boras-soc-2026].report.host_feedback: unknown code 'great'",
        ),
        (
            {"report": {**EXCHANGE["report"], "host_lessons": ["one\ntwo"]}},
            "exchanges[boras-soc-2026].report.host_lessons: bad value 'one\\ntwo'",
        ),
    ],
)
def test_version_2_bad_exchanges_are_named_and_nothing_is_written(tmp_path, capsys, change, expected):
    from matchmaking.exchanges.models import Exchange

    doc = _v2(exchanges=[{**EXCHANGE, **change}])
    assert main(["import", str(_write(tmp_path, doc))]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert expected in err
    assert Organisation.objects.count() == 0
    assert Exchange.objects.count() == 0


def test_version_2_database_checks_roll_everything_back(tmp_path, capsys):
    """Problems only the database can see (capacity, ownership) are named too, and nothing stays."""
    from matchmaking.exchanges.models import Exchange

    assert main(["import", str(_write(tmp_path, _v2(exchanges=[]), "base.json"))]) == 0
    assert main(["export", str(tmp_path / "before.json")]) == 0
    full = dict(HOST, hosting_capacity=1)
    current = dict(EXCHANGE, id="current", state="agreed", start="2099-05-05", end="2099-05-07",
                   visitors=[], programme=[], report=None)  # fmt: skip
    doc = _v2(organisations=[ORG, full], opportunities=[], exchanges=[current])
    assert main(["import", str(_write(tmp_path, doc))]) == 1
    err = capsys.readouterr().err
    assert "exchanges[current]: group_size:" in err
    assert Exchange.objects.count() == 0
    assert Organisation.objects.get(key="soc-catalonia").hosting_capacity == 5  # rolled back
    # An exchange file alone may refer to organisations and opportunities imported earlier,
    # and an unknown one is named.
    alone = {"format_version": 2, "exchanges": [dict(EXCHANGE, request="nope")]}
    assert main(["import", str(_write(tmp_path, alone, "alone.json"))]) == 1
    assert "exchanges[boras-soc-2026].request: unknown opportunity 'nope'" in capsys.readouterr().err
    assert (
        main(["import", str(_write(tmp_path, {"format_version": 2, "exchanges": [EXCHANGE]}, "ok.json"))])
        == 0
    )
    assert Exchange.objects.get().visitors.count() == 2


def test_document_codes_match_the_models():
    from matchmaking.exchanges.models import Feedback, FollowUp, ProgrammeItem, State, Visitor
    from matchmaking.interchange import document
    from matchmaking.mobility.models import ActivityType, Funding

    assert set(document.EXCHANGE_STATES) == set(State.values)
    assert set(document.VISITOR_KINDS) == set(Visitor.Kind.values)
    assert set(document.ITEM_FORMATS) == set(ProgrammeItem.Format.values)
    assert set(document.FEEDBACK_CODES) == set(Feedback.values)
    assert set(document.FOLLOW_UP_CODES) == set(FollowUp.values)
    assert set(document.FUNDING_CODES) | {""} == set(Funding.values)
    assert set(document.ACTIVITY_CODES) | {""} == set(ActivityType.values)
