"""Demo participants: 320 synthetic people in the caseloads of the demo employment services.

Deterministic (fixed random seed) and idempotent: the previous demo participants are replaced, so a
second ``matchmaking demo`` run leaves the same data with dates moved to today. Everyone here is
invented; the names are common first names and the pseudonyms are derived from the seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from matchmaking.accounts.models import User
from matchmaking.organisations.models import Organisation
from matchmaking.participants.clock_dates import clock_dates_refresh
from matchmaking.participants.demo_esco import demo_occupations, transversal_skills
from matchmaking.participants.esco_lookup import esco_version
from matchmaking.participants.models import (
    PSEUDONYM_ALPHABET,
    AgeGroup,
    Consent,
    FollowUpMember,
    Gender,
    Participant,
    ParticipantIdentity,
    ParticipantLanguage,
    ParticipantSkill,
    SkillSource,
    SupportRequirement,
)
from matchmaking.taxonomies.codelists import BARRIERS, codes

SEED = 20260501
# Caseload organisation → (how many participants, local language, first names, key-worker email).
CASELOADS = {
    "boras-working-life": (
        90,
        "sv",
        ["Amina", "Elias", "Sara", "Omar", "Linnea", "Yusuf", "Ebba", "Hassan"],
        "boras.caseworker@example.org",
    ),
    "nav-vestland": (
        70,
        "nb",
        ["Ingrid", "Ola", "Nora", "Ahmed", "Sofie", "Jonas", "Leyla", "Magnus"],
        "nav.caseworker@example.org",
    ),
    "jobcenter-stuttgart": (
        80,
        "de",
        ["Lena", "Mehmet", "Jonas", "Fatma", "Lukas", "Olena", "Tim", "Aylin"],
        "stuttgart.caseworker@example.org",
    ),
    "soc-catalonia": (
        50,
        "ca",
        ["Marta", "Pau", "Laia", "Youssef", "Jordi", "Nuria", "Ibrahim", "Carla"],
        "soc.admin@example.org",
    ),
    "dublin-local-employment": (30, "en", ["Aoife", "Sean", "Niamh", "Tomasz", "Ciara", "Emeka"], ""),
}
FAMILY = ["Andersson", "Berg", "Hansen", "Müller", "Puig", "Murphy", "Demir", "Novak", "Haddad", "Kowalski"]
HOME_COUNTRY = {"sv": "SE", "nb": "NO", "de": "DE", "ca": "ES", "en": "IE"}
EXTRA_LANGUAGES = [
    ("en", "B1"),
    ("en", "A2"),
    ("ar", "C2"),
    ("uk", "C2"),
    ("so", "C2"),
    ("tr", "C2"),
    ("es", "B2"),
]


def _pseudonym(rng: random.Random) -> str:
    return "P-" + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(6))


def clear() -> None:
    """Remove the previous demo participants (and, by cascade, their plans and proposals). The apps
    above (placements, pathways) clear their own demo data first."""

    Participant.objects.filter(is_demo=True).delete()


@transaction.atomic
def demo_extend(*, today: date) -> str:
    rng = random.Random(SEED)
    # Self-declared gender drawn apart, so the rest of the demo stays as it was.
    genders = random.Random(SEED + 1)
    occupations = list(demo_occupations())
    version = esco_version()
    taken = set(Participant.objects.values_list("pseudonym", flat=True))
    people, identities, languages, skills, consents, groups = [], [], [], [], [], []
    support_codes = list(SupportRequirement.values)
    for key, (count, local, names, worker_email) in CASELOADS.items():
        organisation = Organisation.objects.filter(key=key).first()
        if organisation is None:
            continue
        worker = User.objects.filter(email=worker_email).first() if worker_email else None
        for n in range(count):
            pseudonym = _pseudonym(rng)
            while pseudonym in taken:
                pseudonym = _pseudonym(rng)
            taken.add(pseudonym)
            registered = today - timedelta(days=rng.randint(5, 420))
            young = rng.random() < 0.6
            birth = registered - timedelta(days=365 * (rng.randint(17, 29) if young else rng.randint(30, 58)))
            fewer = rng.random() < 0.35
            person = Participant(
                pseudonym=pseudonym,
                reference=f"{key[:3].upper()}-{1000 + n}",
                organisation=organisation,
                key_worker=worker,
                registered_on=registered,
                age_group=AgeGroup.YOUNG if young else AgeGroup.ADULT,
                gender=genders.choices(
                    [Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.NOT_STATED], weights=[45, 45, 3, 7]
                )[0],
                home_country=HOME_COUNTRY[local],
                available_from=today + timedelta(days=rng.randint(0, 30)),
                available_until=today + timedelta(days=rng.randint(120, 400)),
                willing_to_go_abroad=rng.random() < 0.3,
                support_requirements=rng.sample(support_codes, k=rng.choice([0, 0, 0, 1, 1, 2])),
                fewer_opportunities=fewer,
                is_demo=True,
            )
            interests = rng.sample(occupations, k=rng.choice([1, 1, 2]))
            person.occupation_interests = [{"uri": o["uri"], "label": o["label"]} for o in interests]
            people.append(person)
            identities.append((person, rng.choice(names), rng.choice(FAMILY), birth))
            langs = {local: "C2" if rng.random() < 0.5 else rng.choice(["A2", "B1", "B2"])}
            for code, level in rng.sample(EXTRA_LANGUAGES, k=rng.choice([0, 1, 2])):
                langs.setdefault(code, level)
            languages.append((person, langs))
            held = {}
            for occupation in interests:
                for skill in rng.sample(
                    occupation["skills"], k=min(len(occupation["skills"]), rng.randint(1, 4))
                ):
                    held[skill["uri"]] = skill["label"]
            for skill in rng.sample(transversal_skills(), k=rng.randint(0, 2)):
                held[skill["uri"]] = skill["label"]
            skills.append((person, held, worker))
            consents.append((person, registered, fewer and rng.random() < 0.7, worker))
            if key == "boras-working-life" and n % 6 == 0:
                groups.append((person, "nav.caseworker@example.org", "nav-vestland", n % 12 == 0))
            if key == "boras-working-life" and n % 9 == 0:
                groups.append((person, "stuttgart.caseworker@example.org", "jobcenter-stuttgart", False))
    Participant.objects.bulk_create(people)
    clock_dates_refresh(participant_ids=[p.pk for p in people])
    _details(rng, identities, languages, skills, consents, groups, version, today)
    return f"{len(people)} participants"


def _details(
    rng: random.Random,
    identities: list[tuple[Participant, str, str, date]],
    languages: list[tuple[Participant, dict[str, str]]],
    skills: list[tuple[Participant, dict[str, str], User | None]],
    consents: list[tuple[Participant, date, bool, User | None]],
    groups: list[tuple[Participant, str, str, bool]],
    version: str,
    today: date,
) -> None:

    ParticipantIdentity.objects.bulk_create(
        ParticipantIdentity(
            participant=p,
            given_name=given,
            family_name=family,
            date_of_birth=birth,
            email=f"{given.lower()}.{p.pseudonym[2:].lower()}@example.org",
        )
        for p, given, family, birth in identities
    )
    ParticipantLanguage.objects.bulk_create(
        ParticipantLanguage(participant=p, code=code, level=level)
        for p, langs in languages
        for code, level in langs.items()
    )
    sources = [
        SkillSource.WORK,
        SkillSource.VOLUNTEERING,
        SkillSource.CARE,
        SkillSource.HOBBY,
        SkillSource.QUALIFICATION,
    ]
    rows = []
    for p, held, worker in skills:
        for uri, label in held.items():
            source = rng.choice(sources)
            formal = source == SkillSource.QUALIFICATION
            rows.append(
                ParticipantSkill(
                    participant=p,
                    uri=uri,
                    label=label,
                    how="formal" if formal else "informal",
                    source=source,
                    validated=formal or rng.random() < 0.2,
                    esco_version=version,
                    added_by=worker,
                    evidence=rng.choice(
                        [
                            "",
                            "Certificate seen",
                            "Told in the interview",
                            "Reference from a volunteer coordinator",
                        ]
                    ),
                )
            )
    ParticipantSkill.objects.bulk_create(rows)
    barrier_codes = sorted(codes(BARRIERS))
    consent_rows, barrier_updates = [], []
    for p, registered, barriers, worker in consents:
        consent_rows.append(
            Consent(participant=p, purpose=Consent.Purpose.SUPPORT, given_on=registered, recorded_by=worker)
        )
        consent_rows.append(
            Consent(
                participant=p,
                purpose=Consent.Purpose.MONITORING,
                given_on=registered,
                recorded_by=worker,
                revoked_on=today if rng.random() < 0.05 else None,
            )
        )
        if barriers:
            consent_rows.append(
                Consent(
                    participant=p, purpose=Consent.Purpose.BARRIERS, given_on=registered, recorded_by=worker
                )
            )
            p.barriers = sorted(rng.sample(barrier_codes, k=rng.randint(1, 2)))
            barrier_updates.append(p)
    Consent.objects.bulk_create(consent_rows)
    Participant.objects.bulk_update(barrier_updates, ["barriers"])
    members = []
    for p, email, org_key, personal in groups:
        user = User.objects.filter(email=email).first()
        organisation = Organisation.objects.filter(key=org_key).first()
        if user and organisation:
            members.append(
                FollowUpMember(
                    participant=p,
                    user=user,
                    organisation=organisation,
                    role="Mobility officer",
                    can_view_personal=personal,
                    started_on=p.registered_on,
                )
            )
            if organisation.pk != p.organisation_id:  # another organisation sees the person only so
                Consent.objects.create(
                    participant=p,
                    purpose=Consent.Purpose.SHARING,
                    organisation=organisation,
                    given_on=p.registered_on,
                )
    FollowUpMember.objects.bulk_create(members)
