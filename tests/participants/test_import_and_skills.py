"""Bulk import (all or nothing, every bad row named), placements, skills mapping with ESCO suggestions."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchmaking.organisations.models import Role
from matchmaking.participants.models import Participant, ParticipantSkill
from matchmaking.placements.models import Placement
from tests.factories import member
from tests.factories_participants import HYGIENE

SKILL = "http://data.europa.eu/esco/skill/8330c86e-63cf-4be6-849f-4f77628cc5c5"

PARTICIPANTS_CSV = (
    "reference;organisation;given_name;family_name;date_of_birth;home_country;languages;skills_informal;"
    "support_requirements;willing_to_go_abroad\n"
    f"A-1;boras;Ali;Hidden;2003-04-05;SE;sv:B1;{SKILL};mentor;yes\n"
    "A-2;boras;Sara;Hidden;2001-02-03;SE;en:C1;;;no\n"
)


def _upload(client, kind, name, content):
    return client.post(
        reverse("placements:import"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_participants_import_all_rows(client, world):
    client.force_login(world.worker)
    response = _upload(client, "participants", "p.csv", PARTICIPANTS_CSV.encode())
    assert "2 new" in response.content.decode()
    ali = Participant.objects.get(reference="A-1")
    assert ali.willing_to_go_abroad
    assert ali.support_requirements == ["mentor"]
    assert ali.skills.get().how == "informal"
    assert ali.languages.get().level == "B1"
    # importing again updates, no duplicates
    response = _upload(client, "participants", "p.csv", PARTICIPANTS_CSV.encode())
    assert "2 updated" in response.content.decode()
    assert Participant.objects.filter(reference__startswith="A-").count() == 2


def test_participants_import_is_all_or_nothing_and_names_every_bad_row(client, world):
    client.force_login(world.worker)
    bad = PARTICIPANTS_CSV + "A-3;nav;Bo;X;1999-13-01;SE;sv:Z9;;;no\nA-4;boras;;X;;SE;;;teleport;no\n"
    body = _upload(client, "participants", "p.csv", bad.encode()).content.decode()
    assert "Row 4" in body
    assert "Row 5" in body
    assert "Nothing was imported" in body
    assert not Participant.objects.filter(reference__startswith="A-").exists()


def test_placements_import_from_xlsx(client, world):
    from openpyxl import Workbook

    host_user = member(Role.STAFF, world.home, email="hoststaff@example.org")
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["key", "host", "title", "seats", "country", "labour_market", "languages", "required_skills", "start"]
    )
    # a skill of the shipped ESCO: the import refuses any other URI
    sheet.append(["kit-1", "boras", "Kitchen", 2, "SE", "social-economy", "sv:A2", SKILL, "2026-09-01"])
    sheet.append(["kit-2", "boras", "Bakery", 0, "SE", "moon", "", "not-a-uri", "soon"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(host_user)
    body = _upload(client, "placements", "p.xlsx", buffer.getvalue()).content.decode()
    assert "Row 3" in body
    assert not Placement.objects.exists()
    book.active.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(client, "placements", "p.xlsx", buffer.getvalue())
    placement = Placement.objects.get(key="kit-1")
    assert placement.labour_market == "social-economy"
    assert placement.seats == 2
    assert placement.skills.get().required


def test_import_for_another_organisation_is_refused(client, world):
    client.force_login(world.stranger)
    body = _upload(client, "participants", "p.csv", PARTICIPANTS_CSV.encode()).content.decode()
    assert "Row 2" in body
    assert not Participant.objects.filter(reference="A-1").exists()


def test_garbage_files_never_500(client, world):
    client.force_login(world.worker)
    for name, content in (
        ("x.xlsx", b"not a zip"),
        ("x.csv", b"\xff\xfe\x00"),
        ("x.csv", b""),
        ("x.csv", b"a,b\n"),
        ("x.csv", b"just one line"),
        ("x.csv", b'"a;b,c\n\n"'),
    ):
        assert _upload(client, "participants", name, content).status_code == 200


def test_publish_placement_through_the_form(client, world):
    host_user = member(Role.STAFF, world.home, email="hoststaff2@example.org")
    client.force_login(host_user)
    response = client.post(
        reverse("placements:placement-create"),
        {
            "title": "Café helper",
            "occupation": "barista",
            "required_skills": "satisfy customers",
            "seats": "2",
            "country": "SE",
            "labour_market": "regular",
            "language": "sv",
            "language_level": "A2",
            "kind": "traineeship",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    placement = Placement.objects.get(title="Café helper")
    assert placement.occupation_uri.startswith("http://data.europa.eu/esco/occupation/")
    assert placement.skills.filter(required=True).exists()
    assert placement.esco_version
    client.force_login(world.stranger)
    assert client.get(reverse("placements:placement-edit", args=[placement.key])).status_code == 404
    assert client.get(placement.get_absolute_url()).status_code == 200  # published: every member sees it


def test_waiting_list_when_full(client, world):
    from tests.factories_participants import placement

    full = placement(world.other, key="full", seats=0 + 1)
    from matchmaking.placements.models import Proposal, Round

    other = Participant.objects.create(organisation=world.home, registered_on="2026-01-01")
    r = Round.objects.create(name="x")
    Proposal.objects.create(round=r, participant=other, placement=full, status="accepted")
    client.force_login(world.worker)
    client.post(reverse("placements:waiting-list", args=["full"]), {"pseudonym": world.person.pseudonym})
    assert full.waiting_list.filter(participant=world.person).exists()
    client.force_login(world.stranger)
    assert (
        client.post(
            reverse("placements:waiting-list", args=["full"]), {"pseudonym": world.person.pseudonym}
        ).status_code
        == 404
    )
    assert full.waiting_list.count() == 1


def test_skills_interview_suggests_and_records_esco_version(client, world):
    client.force_login(world.worker)
    p = world.person.pseudonym
    page = client.post(
        reverse("participants:skills", args=[p]),
        {
            "section": "care",
            "story": "I clean rooms and look after customers in my uncle's shop",
        },
    ).content.decode()
    assert "Accept:" in page
    assert "Reject:" in page
    client.post(
        reverse("participants:skill-add", args=[p]),
        {
            "uri": SKILL,
            "label": "satisfy customers",
            "how": "informal",
            "source": "care",
            "evidence": "Uncle's shop",
        },
    )
    skill = ParticipantSkill.objects.get(participant=world.person, uri=SKILL)
    assert skill.how == "informal"
    assert skill.source == "care"
    assert skill.esco_version
    assert skill.evidence
    partial = client.get(
        reverse("participants:skill-search", args=[p]), {"q": "customers"}, HTTP_HX_REQUEST="true"
    )
    assert "satisfy customers" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    occupations = client.get(
        reverse("participants:skill-search", args=[p]), {"q": "cook", "kind": "occupation"}
    )
    assert "Add interest" in occupations.content.decode()
    client.post(reverse("participants:skill-reject", args=[p]), {"uri": HYGIENE})
    from matchmaking.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="skill.reject-suggestion").exists()


def test_participants_import_reads_a_self_declared_gender(client, world):
    client.force_login(world.worker)
    rows = (
        "reference;organisation;given_name;gender\n"
        "G-1;boras;Ali;woman\nG-2;boras;Sara;\nG-3;boras;Bo;Not-Stated\n"
    )
    assert "3 new" in _upload(client, "participants", "g.csv", rows.encode()).content.decode()
    genders = dict(Participant.objects.filter(reference__startswith="G-").values_list("reference", "gender"))
    assert genders == {"G-1": "woman", "G-2": "", "G-3": ""}
    bad = _upload(client, "participants", "g.csv", (rows + "G-4;boras;Cy;robot\n").encode()).content.decode()
    assert "Row 5" in bad
    assert "gender" in bad
    assert "Nothing was imported" in bad
