"""Demo exchanges: one in every state, and the three exchanges of the seed stories as reported ones.

Idempotent: exchanges are found again by their title, so a second run changes nothing (except to bring
the people of the seed exchanges up to date with this file). Every person named here is invented, and
every quote is written for the demo: the demo names no real person.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from matchmaking.exchanges.models import (
    CompletionReport,
    Exchange,
    Feedback,
    Message,
    ProgrammeItem,
    State,
    Testimonial,
    Visitor,
)
from matchmaking.exchanges.services import COUNTRY_TIME_ZONES
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Organisation
from matchmaking.taxonomies.models import Term

SEED_EXCHANGES: list[dict[str, Any]] = [
    {
        "title": "Job shadowing: guidance for people with disadvantages in Stuttgart",
        "visitor": "boras-working-life",
        "host": "jobcenter-stuttgart",
        "start": date(2023, 9, 18),
        "end": date(2023, 9, 22),
        "funding": "erasmus-ka1",
        "activity": "SM-JOB-SHDW",
        "visitors": [
            ("Oskar Lindahl", "Job coach"),
            ("Visitor 2", "Counsellor"),
            ("Visitor 3", "Study adviser"),
            ("Visitor 4", "Social worker"),
            ("Visitor 5", "Team leader"),
        ],
        "summary": "Five experts from the Department of Working Life of Borås took part in a job shadowing "
        "in "
        "Stuttgart to learn how German guidance services work with people with disadvantages, and how work "
        "placements with companies and other entities are organised.",
        "outcomes": "The exchange created more curiosity and a wish to look for partnerships that strengthen "
        "the way Borås works at home.",
        "host_lessons": "Comparing systems helps both sides see their own practice\nShared network "
        "membership "
        "builds trust for exchanges",
        "visitor_lessons": "Job Centers merge municipal and state labour-market services\nThe first and "
        "second "
        "labour market are distinguished, which helps placements and partnerships\nNGOs give strong support "
        "to people at risk of offending\nYoung people furthest from work are referred from the Job Center to "
        "NGOs\nOn-the-job upskilling for people already in work",
        "quotes": [
            (
                "Oskar Lindahl",
                "visitor",
                "The week gave us new energy. We came home more curious than before and keen to find "
                "partners who can help us develop the way we work in Borås.",
            )
        ],
        "topics": [
            "social-economy-employment",
            "trauma-informed-counselling",
            "offender-reintegration",
            "on-the-job-upskilling",
        ],
    },
    {
        "title": "Job shadowing: inclusive pathways for re-engagement in education and employment",
        "visitor": "vestland-county-council",
        "host": "boras-working-life",
        "start": date(2025, 5, 12),
        "end": date(2025, 5, 13),
        "funding": "erasmus-ka1",
        "activity": "SM-JOB-SHDW",
        "visitors": [
            ("Sigrid Haugland", "Coordinator, Department of Education and Skills"),
            ("Visitor 2", "Adviser"),
            ("Visitor 3", "Adviser"),
        ],
        "summary": "Borås welcomed colleagues from Vestland County Council with a tailored programme on "
        "inclusive employment: follow-up support, multi-agency cooperation, and tools for motivation and "
        "progress tracking. The visitors observed real follow-up meetings.",
        "outcomes": "Vestland is adapting motivational interviewing and mapping and improving the "
        "information "
        "flow between organisations. A reciprocal job shadowing involving upper secondary schools "
        "is planned.",
        "host_lessons": "Sharing our work shows us what we do well\nAnother Scandinavian country structures "
        "the same work differently",
        "visitor_lessons": "Multi-competent teams meet individual needs and long-term goals\nMotivational "
        "interviewing, ACT guidance and progress work fit together\nInformation must flow across "
        "organisations",
        "quotes": [
            (
                "Sigrid Haugland",
                "visitor",
                "We have just begun working more closely with NAV at home, so we came to see how Borås "
                "does it and which of its methods we could bring back to Vestland.",
            ),
            (
                "Oskar Lindahl",
                "host",
                "It was a pleasure to welcome our colleagues from Vestland and show them how we work "
                "with people who are furthest from a job.",
            ),
        ],
        "topics": ["multi-competent-teams", "motivational-interviewing", "act-guidance", "progress-tracking"],
    },
    {
        "title": "Job shadowing: inclusive employment and skills cooperation across Europe",
        "visitor": "boras-working-life",
        "host": "soc-catalonia",
        "start": date(2026, 5, 5),
        "end": date(2026, 5, 7),
        "funding": "erasmus-ka1",
        "activity": "SM-JOB-SHDW",
        "visitors": [("Maja Lindqvist", "Youth adviser"), ("Tove Sandberg", "Job coach")],
        "summary": "Representatives of the Working Life Department of Borås connected with the Public "
        "Employment Service of Catalonia (SOC) to exchange practices on active labour-market policies, "
        "inclusion and skills development. The programme showed multi-level governance, cooperation between "
        "regional and local actors, programme monitoring and competence-based assessment; each visitor "
        "carried out individual job-shadowing activities.",
        "outcomes": "The Borås team is exploring how to adapt SOC's approach: stronger cooperation between "
        "services, inclusive employment pathways and strategic coordination.",
        "host_lessons": "Tailored mobility activities create stronger peer learning\nInternational exchanges "
        "bring new perspectives on integrated services\nComparing systems helps identify good practices\n"
        "Mobility strengthens cooperation and institutional learning",
        "visitor_lessons": "Early outreach improves support for job seekers\nSkills mapping should include "
        "formal and informal competences\nStrong local partnerships enhance labour-market inclusion\n"
        "Preventive youth work helps reduce long-term unemployment\nProject-based approaches increase "
        "flexibility and innovation\nTargeted actions can support gender balance in the labour market",
        "quotes": [
            (
                "Maja Lindqvist",
                "visitor",
                "What stayed with me was how early they reach out to people and start preparing them, "
                "long before a crisis.",
            ),
            (
                "Tove Sandberg",
                "visitor",
                "SOC gets in touch with job seekers early, so that each person's skills can be found "
                "and recognised from the start.",
            ),
            (
                "Núria Vidal Roca",
                "host",
                "Building a separate agenda for every visitor's profile took real effort, and it taught "
                "us a great deal as well.",
            ),
        ],
        "topics": [
            "early-outreach",
            "skills-mapping",
            "multi-level-governance",
            "programme-monitoring",
            "competence-based-assessment",
            "gender-balance",
        ],
    },
]

# (title, visitor, host, state, start offset in days, length, group size, reason)
LIFECYCLE = [
    (
        "Study visit: adult education and validation",
        "vhs-stuttgart",
        "boras-working-life",
        State.PROPOSED,
        40,
        2,
        2,
        "",
    ),
    (
        "Job shadowing: NAV cooperation in practice",
        "nav-vestland",
        "boras-working-life",
        State.AGREED,
        60,
        2,
        2,
        "",
    ),
    (
        "Job shadowing: counselling at the Job Center",
        "barcelona-vet-institute",
        "jobcenter-stuttgart",
        State.PLANNING,
        30,
        3,
        2,
        "",
    ),
    (
        "Study visit: one-stop shops in Catalonia",
        "gothenburg-adult-education",
        "soc-catalonia",
        State.CONFIRMED,
        15,
        2,
        2,
        "",
    ),
    (
        "Job shadowing: work and income services",
        "cork-etb",
        "rotterdam-work-income",
        State.UNDER_WAY,
        -1,
        3,
        2,
        "",
    ),
    (
        "Study visit: employment services for young people",
        "karelia-uas",
        "vantaa-employment-services",
        State.COMPLETED,
        -12,
        2,
        2,
        "",
    ),
    (
        "Study visit: apprenticeship office",
        "wup-krakow",
        "tyrol-apprenticeship-office",
        State.DECLINED,
        50,
        2,
        2,
        "We have no capacity in that period; please ask again in autumn.",
    ),
    (
        "Job shadowing: diversity recruitment",
        "milano-social-coop",
        "adecco-france-diversity",
        State.CANCELLED,
        25,
        2,
        1,
        "Our funding was not renewed this year.",
    ),
    (
        "Study visit: second-chance workshops",
        "dublin-local-employment",
        "neckar-second-chance",
        State.EXPIRED,
        45,
        2,
        2,
        "no answer in time",
    ),
]


def _org(key: str) -> Organisation | None:
    return Organisation.objects.filter(key=key).first()


def _exchange(title: str, visitor: Organisation, host: Organisation, **fields: Any) -> tuple[Exchange, bool]:
    existing = Exchange.objects.filter(given_title=title, host=host, visitor=visitor).first()
    if existing:
        return existing, False
    offer = Opportunity.objects.filter(organisation=host, direction="offer").first()
    request = Opportunity.objects.filter(organisation=visitor, direction="request").first()
    exchange = Exchange.objects.create(
        given_title=title,
        host=host,
        visitor=visitor,
        proposed_by=visitor,
        offer=offer,
        request=request,
        type=Term.objects.get(
            scheme="opportunity-types", code="job-shadowing" if "Job" in title else "study-visit"
        ),
        time_zone=COUNTRY_TIME_ZONES.get(host.country, "Europe/Brussels"),
        state_changed_at=timezone.now(),
        **fields,
    )
    Message.objects.create(
        exchange=exchange, organisation=visitor, body=f"Hello {host.name}, we would like to visit you."
    )
    return exchange, True


def _programme(exchange: Exchange, names: list[tuple[str, str]]) -> None:
    visitors = [
        Visitor.objects.create(
            exchange=exchange, name=name, role=role, learning_goals=f"What a {role.lower()} does"
        )
        for name, role in names[: exchange.group_size]
    ]
    day = exchange.start
    ProgrammeItem.objects.create(
        exchange=exchange,
        day=day,
        starts_at=time(9),
        ends_at=time(10, 30),
        activity="Welcome and introductions",
        format=ProgrammeItem.Format.MEETING,
        host_person="Host team",
        location="Main office",
    )
    for visitor in visitors:
        item = ProgrammeItem.objects.create(
            exchange=exchange,
            day=day,
            starts_at=time(11),
            ends_at=time(15),
            activity=f"Individual job shadowing: {visitor.role}",
            format=ProgrammeItem.Format.JOB_SHADOWING,
            host_person="A colleague in the same role",
        )
        item.visitors.set([visitor])


def _refresh_people(exchange: Exchange, seed: dict[str, Any]) -> None:
    """An existing demo database gets this file's invented visitors and quotes, in creation order."""
    for visitor, (name, _role) in zip(exchange.visitors.order_by("pk"), seed["visitors"], strict=False):
        if visitor.name != name:
            visitor.name = name
            visitor.save(update_fields=["name"])
    for quote, (name, _side, text) in zip(exchange.testimonials.order_by("pk"), seed["quotes"], strict=False):
        if (quote.author_name, quote.text) != (name, text):
            quote.author_name, quote.text = name, text
            quote.save(update_fields=["author_name", "text"])


def demo_extend(*, today: date) -> str:
    created = 0
    for seed in SEED_EXCHANGES:
        host, visitor = _org(seed["host"]), _org(seed["visitor"])
        if host is None or visitor is None:
            continue
        exchange, new = _exchange(
            seed["title"],
            visitor,
            host,
            start=seed["start"],
            end=seed["end"],
            group_size=len(seed["visitors"]),
            funding=seed["funding"],
            activity_code=seed["activity"],
            state=State.REPORTED,
        )
        if not new:
            _refresh_people(exchange, seed)
            continue
        created += 1
        _programme(exchange, seed["visitors"])
        CompletionReport.objects.create(
            exchange=exchange,
            summary=seed["summary"],
            outcomes=seed["outcomes"],
            host_lessons=seed["host_lessons"],
            visitor_lessons=seed["visitor_lessons"],
            host_feedback=Feedback.PLANNED,
            visitor_feedback=Feedback.PLANNED,
        )
        for name, side, text in seed["quotes"]:
            Testimonial.objects.create(
                exchange=exchange,
                organisation=host if side == "host" else visitor,
                author_name=name,
                text=text,
                consent=True,
                consent_recorded_at=timezone.now(),
            )
    for title, visitor_key, host_key, state, offset, days, size, reason in LIFECYCLE:
        host, visitor = _org(host_key), _org(visitor_key)
        if host is None or visitor is None:
            continue
        start = today + timedelta(days=offset)
        exchange, new = _exchange(
            title,
            visitor,
            host,
            start=start,
            end=start + timedelta(days=days - 1),
            group_size=size,
            state=state,
            state_reason=reason,
            funding="erasmus-ka1",
            expires_at=timezone.now() + timedelta(days=14 if state == State.PROPOSED else -1),
        )
        if not new:
            continue
        created += 1
        if state in (State.PLANNING, State.CONFIRMED, State.UNDER_WAY, State.COMPLETED):
            _programme(exchange, [("Ana Demo", "Youth adviser"), ("Ben Demo", "Job coach")])
        if state == State.COMPLETED:
            CompletionReport.objects.create(
                exchange=exchange,
                summary="Two days with the employment services for young people.",
                host_lessons="Visitors' questions made us rethink our intake",
                visitor_lessons="",
            )
    created += _return_visit_draft(today)
    return f"{created} exchanges created"


def _return_visit_draft(today: date) -> int:
    """A return visit being drafted: the host of the first reported seed exchange plans to visit its
    visitors (a draft, not yet sent)."""
    first = Exchange.objects.filter(state=State.REPORTED).order_by("start", "pk").first()
    if first is None or first.reciprocals.exists():
        return 0
    start = today + timedelta(days=75)
    Exchange.objects.create(
        host=first.visitor,
        visitor=first.host,
        proposed_by=first.host,
        type=first.type,
        start=start,
        end=start + timedelta(days=first.days - 1),
        group_size=first.group_size,
        funding=first.funding,
        activity_code=first.activity_code,
        time_zone=COUNTRY_TIME_ZONES.get(first.visitor.country, "Europe/Brussels"),
        state=State.DRAFT,
        state_changed_at=timezone.now(),
        reciprocal_of=first,
    )
    return 1
