"""Demo pathways: a directory of support services, action plans with steps in every status, follow-up
meetings, self-assessments over time, referrals in every status (with the consent behind each), offers,
outcomes with retention checks, drop-outs. Deterministic; replaced on every run."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from matchmaking.organisations.models import Organisation
from matchmaking.participants.clock import add_months
from matchmaking.participants.models import Consent, Participant
from matchmaking.pathways.models import (
    Goal,
    Meeting,
    Offer,
    Outcome,
    Referral,
    RetentionCheck,
    SelfAssessment,
    Step,
    SupportService,
)

SEED = 20260503
SERVICES = [
    ("Borås youth health clinic", "health", "SE", ["sv", "en"], "boras-working-life"),
    ("Mind the Step – mental health first line", "mental-health", "SE", ["sv", "en", "ar"], None),
    ("Västra Götaland addiction outpatient team", "addiction", "SE", ["sv"], "vastra-gotaland-region"),
    ("Borås housing advice", "housing", "SE", ["sv", "en"], "boras-working-life"),
    ("Open preschool Norrby", "childcare", "SE", ["sv", "so", "ar"], None),
    (
        "Swedish for immigrants (SFI) Gothenburg",
        "language",
        "SE",
        ["sv", "en", "ar"],
        "gothenburg-adult-education",
    ),
    ("Debt counselling Borås", "debt", "SE", ["sv"], None),
    ("NAV social services Bergen", "social", "NO", ["nb", "en"], "nav-vestland"),
    ("Bergen legal aid office", "legal", "NO", ["nb", "en"], None),
    ("Norwegian for adults, Bergen", "language", "NO", ["nb", "en"], "bergen-adult-learning"),
    ("Vestland youth housing", "housing", "NO", ["nb"], "vestland-county-council"),
    (
        "Trauma counselling Stuttgart",
        "mental-health",
        "DE",
        ["de", "en", "ar", "tr"],
        "stuttgart-integration-unit",
    ),
    ("Suchtberatung Stuttgart", "addiction", "DE", ["de", "tr"], None),
    ("Schuldnerberatung Stuttgart", "debt", "DE", ["de"], None),
    (
        "Kita-Lotsen Stuttgart (childcare guides)",
        "childcare",
        "DE",
        ["de", "en"],
        "stuttgart-integration-unit",
    ),
    ("VHS German job language courses", "language", "DE", ["de", "en"], "vhs-stuttgart"),
    ("Second-chance legal advice Neckar", "legal", "DE", ["de"], "neckar-second-chance"),
    ("Wohnungsnotfallhilfe Stuttgart", "housing", "DE", ["de", "en"], None),
    ("CAP de salut – youth health Barcelona", "health", "ES", ["ca", "es"], None),
    ("Girona social services one-stop shop", "social", "ES", ["ca", "es", "fr"], "girona-diversity-platform"),
    ("Housing First Barcelona", "housing", "ES", ["ca", "es", "en"], None),
    ("Dublin City addiction service", "addiction", "IE", ["en"], None),
    ("Citizens information – debt and money advice", "debt", "IE", ["en"], None),
    ("Cork ETB English language classes", "language", "IE", ["en"], "cork-etb"),
]
STEPS = [
    ("Update the CV with the skills mapped", "own-activity"),
    ("Hygiene certificate course", "training"),
    ("Apply to three kitchens", "job-search"),
    ("Meeting with the employer mentor", "meeting"),
    ("Language course, level B1", "language"),
    ("Start the work placement", "placement"),
    ("Appointment at the health centre", "treatment"),
    ("Visit the job fair", "job-search"),
]
NOTES = [
    "Talked about what went well in the first weeks; more confident on the phone now.",
    "Childcare arranged, so mornings are possible. Agreed to try the bakery placement.",
    "Missed the last appointment because of a housing problem; referred to housing advice.",
    "Motivational interview: wants to work with people, prefers small teams.",
]


def clear() -> None:
    Referral.objects.filter(participant__is_demo=True).delete()
    SupportService.objects.filter(is_demo=True).exclude(referrals__participant__is_demo=False).delete()


@transaction.atomic
def demo_extend(*, today: date) -> str:
    rng = random.Random(SEED)
    services = []
    for name, category, country, languages, org_key in SERVICES:
        organisation = Organisation.objects.filter(key=org_key).first() if org_key else None
        services.append(
            SupportService.objects.create(
                name=name,
                category=category,
                country=country,
                languages=languages,
                organisation=organisation,
                region=organisation.region if organisation else None,
                contact="info@example.org",
                is_demo=True,
            )
        )
    people = list(
        Participant.objects.filter(is_demo=True)
        .select_related("organisation", "key_worker")
        .order_by("pseudonym")
    )
    counts = {"steps": 0, "referrals": 0, "outcomes": 0}
    goals, steps, meetings, assessments = [], [], [], []
    for n, person in enumerate(people):
        if n % 5 == 4:
            continue  # some people have no plan yet
        goal = Goal(
            participant=person,
            title=rng.choice(
                [
                    "Find work in hospitality",
                    "Get a first job in care",
                    "Finish vocational training",
                    "Improve the local language for work",
                ]
            ),
            created_by=person.key_worker,
        )
        goals.append(goal)
        for k, (title, kind) in enumerate(rng.sample(STEPS, k=rng.randint(2, 4))):
            status = ["done", "in-progress", "planned", "cancelled"][(n + k) % 4]
            steps.append(
                Step(
                    goal=goal,
                    title=title,
                    type=kind,
                    status=status,
                    owner=person.organisation,
                    due_on=today + timedelta(days=rng.randint(-60, 90)),
                    agreed_with_participant=rng.random() < 0.7,
                    created_by=person.key_worker,
                )
            )
        for k in range(rng.randint(1, 3)):
            meetings.append(
                Meeting(
                    participant=person,
                    held_on=today - timedelta(days=20 * k + rng.randint(1, 15)),
                    organisation=person.organisation,
                    notes=rng.choice(NOTES),
                    recorded_by=person.key_worker,
                )
            )
        level = rng.randint(2, 5)
        for k in range(rng.randint(2, 6)):
            level = max(1, min(10, level + rng.choice([-1, 0, 1, 1, 2])))
            assessments.append(
                SelfAssessment(
                    participant=person,
                    recorded_on=today - timedelta(days=30 * (6 - k)),
                    motivation=level,
                    confidence=max(1, level - rng.randint(0, 2)),
                    readiness=max(1, level - rng.randint(0, 3)),
                    wellbeing=min(10, level + rng.randint(0, 2)),
                    recorded_by=person.key_worker,
                )
            )
    Goal.objects.bulk_create(goals)
    for step in steps:
        step.goal_id = step.goal.pk
    Step.objects.bulk_create(steps)
    Meeting.objects.bulk_create(meetings)
    SelfAssessment.objects.bulk_create(assessments)
    counts["steps"] = len(steps)
    counts["referrals"] = _referrals(rng, people, services, today)
    counts["outcomes"] = _outcomes(rng, people, today)
    return (
        f"{len(services)} support services, {len(goals)} plans, {counts['steps']} steps, "
        f"{counts['referrals']} referrals, {counts['outcomes']} outcomes"
    )


def _referrals(
    rng: random.Random, people: list[Participant], services: list[SupportService], today: date
) -> int:
    by_country: dict[str, list[SupportService]] = {}
    for service in services:
        by_country.setdefault(service.country, []).append(service)
    statuses = ["sent", "accepted", "refused", "completed", "sent"]
    made = 0
    for n, person in enumerate(people[::4]):
        options = by_country.get(person.home_country) or services
        service = options[n % len(options)]
        if service.organisation_id:
            consent = Consent.objects.create(
                participant=person,
                purpose=Consent.Purpose.SHARING,
                organisation=service.organisation,
                given_on=today - timedelta(days=40),
            )
        else:
            support = person.consents.filter(purpose=Consent.Purpose.SUPPORT).first()
            if support is None:
                continue
            consent = support
        status = statuses[n % len(statuses)]
        sent = today - timedelta(days=rng.randint(3, 60))
        Referral.objects.create(
            participant=person,
            service=service,
            consent=consent,
            status=status,
            sent_on=sent,
            sent_by=person.key_worker,
            reason=rng.choice(
                [
                    "Needs stable housing before starting",
                    "Childcare for the morning shift",
                    "Talk about stress and sleep",
                    "Debt letters piling up",
                ]
            ),
            refusal_reason="No capacity this month; please refer again in June."
            if status == "refused"
            else "",
            remind_on=sent + timedelta(days=14) if status == "sent" else None,
        )
        made += 1
    # One person revoked the consent to share with a service: its referral was withdrawn.
    revoked = (
        Referral.objects.filter(
            participant__in=people,
            status=Referral.Status.SENT,
            consent__purpose=Consent.Purpose.SHARING,
            consent__organisation__isnull=False,
        )
        .select_related("consent")
        .order_by("pk")
        .first()
    )
    if revoked is not None:
        revoked.consent.revoked_on = today - timedelta(days=2)
        revoked.consent.save(update_fields=["revoked_on"])
        revoked.status = Referral.Status.WITHDRAWN
        revoked.remind_on = None
        revoked.save(update_fields=["status", "remind_on"])
    return made


def _outcomes(rng: random.Random, people: list[Participant], today: date) -> int:
    exits = [
        "job-regular",
        "job-social-economy",
        "education",
        "apprenticeship",
        "traineeship",
        "other",
        "none",
    ]
    made = 0
    for n, person in enumerate(people[7::9]):
        exit_on = today - timedelta(days=rng.choice([20, 100, 200, 380]))
        exit_type = exits[n % len(exits)]
        dropped = exit_type in ("none", "other") and n % 2 == 0
        outcome = Outcome.objects.create(
            participant=person,
            exit_type=exit_type,
            exit_on=exit_on,
            dropped_out=dropped,
            drop_out_reasons=rng.sample(["health", "housing", "childcare", "legal", "motivation"], k=2)
            if dropped
            else [],
            recorded_by=person.key_worker,
        )
        if exit_type != "none":
            for months in RetentionCheck.MONTHS:
                due = add_months(exit_on, months)
                done = due <= today and rng.random() < 0.6
                RetentionCheck.objects.create(
                    outcome=outcome,
                    months=months,
                    due_on=due,
                    done_on=due if done else None,
                    still_there=(rng.random() < 0.8) if done else None,
                )
            if exit_type in (
                "job-regular",
                "job-social-economy",
                "apprenticeship",
                "traineeship",
                "education",
            ):
                kind = {"job-regular": "job", "job-social-economy": "job", "education": "education"}.get(
                    exit_type, exit_type
                )
                Offer.objects.create(
                    participant=person,
                    type=kind,
                    offered_on=exit_on - timedelta(days=10),
                    organisation=person.organisation,
                )
        person.status, person.exited_on = Participant.Status.EXITED, exit_on
        person.save(update_fields=["status", "exited_on"])
        made += 1
    return made
