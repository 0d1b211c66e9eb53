"""ESCO search as people type: the taxonomy's search, the participant look-up and the autocomplete page.

Three layers, each timed per call and reported as median and 95th percentile (milliseconds):

- ``taxonomies.esco``: skill and occupation search for whole words and phrases, and suggestions from
  a free-text story; plus one cold load of the data file with both indexes built;
- ``participants.esco_lookup``: every keystroke (each prefix) of a few words, as the autocomplete sends
  them;
- the skills autocomplete page (``participants:skill-search``), requested through Django's test client
  as htmx does, for a logged-in case worker, against a fresh in-memory database with the test settings.

The tests check that these searches answer correctly; timing is measured only here.

Run: .venv/bin/python benchmarks/esco_search.py
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import warnings
from collections.abc import Callable, Iterable
from datetime import date

from common import show, timed

QUERIES = ["weld", "welding", "nursing", "customer service", "teach children", "manage", "python", "fork"]
TYPED = ["customer service", "welding", "care for elderly people", "forklift", "communicate"]
TYPED_OCCUPATIONS = ["kitchen assistant", "bus driver", "welder", "nurse"]
STORIES = [
    "I cared for my grandmother and volunteered at the food bank",
    "I helped customers in a shop and handled the till",
    "I worked in a restaurant kitchen cooking and cleaning",
]


def prefixes(words: Iterable[str]) -> list[str]:
    """What the autocomplete sends while each word is typed: every prefix, one keystroke at a time."""
    return [word[:end] for word in words for end in range(1, len(word) + 1)]


def measure(call: Callable[[str], object], inputs: list[str], repeats: int) -> list[float]:
    seconds = []
    for _ in range(repeats):
        for text in inputs:
            seconds.append(timed(lambda text=text: call(text))[1])
    return seconds


def row(kind: str, seconds: list[float]) -> tuple[str, ...]:
    p95 = statistics.quantiles(seconds, n=100, method="inclusive")[94] if len(seconds) > 1 else seconds[0]
    return (
        kind,
        f"{len(seconds):,}",
        f"{statistics.median(seconds) * 1000:.2f}",
        f"{p95 * 1000:.2f}",
        f"{max(seconds) * 1000:.2f}",
    )


HEADERS = ("query kind", "calls", "median ms", "p95 ms", "max ms")


def taxonomy_rows(repeats: int) -> list[tuple[str, ...]]:
    from matchmaking.taxonomies import esco

    _, cold = timed(lambda: esco.load_esco.__wrapped__().build_indexes())
    taxonomy = esco.load_esco().build_indexes()
    return [
        ("cold load of the data file, both indexes built", "1", f"{cold * 1000:.0f}", "", ""),
        row("skills, whole words and phrases", measure(taxonomy.search_skills, QUERIES, repeats)),
        row("occupations, whole words and phrases", measure(taxonomy.search_occupations, QUERIES, repeats)),
        row("skills, every keystroke", measure(taxonomy.search_skills, prefixes(TYPED), repeats)),
        row("skills suggested from a story", measure(taxonomy.suggest_skills_from_text, STORIES, repeats)),
    ]


def lookup_rows(repeats: int) -> list[tuple[str, ...]]:
    from matchmaking.participants import esco_lookup

    esco_lookup.warm()
    return [
        row("skills, every keystroke", measure(esco_lookup.search_skills, prefixes(TYPED), repeats)),
        row(
            "occupations, every keystroke",
            measure(esco_lookup.search_occupations, prefixes(TYPED_OCCUPATIONS), repeats),
        ),
        row("skills suggested from a story", measure(esco_lookup.suggest_skills, STORIES, repeats)),
    ]


def autocomplete_rows(repeats: int) -> list[tuple[str, ...]]:
    """The autocomplete page through Django's test client: middleware, session, permission, template."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.config.settings.test")
    import django

    django.setup()
    logging.disable(logging.INFO)  # the task runner logs every suggestion refresh
    warnings.filterwarnings("ignore", "No directory at")  # static files are not collected here
    from allauth.mfa.models import Authenticator
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from matchmaking.accounts.models import User
    from matchmaking.organisations.models import Membership, Organisation, Role
    from matchmaking.participants import esco_lookup
    from matchmaking.participants.models import Participant
    from matchmaking.taxonomies.models import Term

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    organisation = Organisation.objects.create(
        key="bench",
        name="Benchmark municipality",
        kind=Term.objects.get(scheme="organisation-kinds", code="municipality"),
        country="SE",
        city="Borås",
    )
    worker = User.objects.create_user(email="worker@example.org")  # logged in directly, no password
    Membership.objects.create(user=worker, organisation=organisation, role=Role.CASE_WORKER)
    Authenticator.objects.create(
        user=worker, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    person = Participant.objects.create(
        organisation=organisation, key_worker=worker, home_country="SE", registered_on=date(2025, 1, 6)
    )
    esco_lookup.warm()  # what the server does at start-up
    client = Client()
    client.force_login(worker)
    url = reverse("participants:skill-search", args=[person.pseudonym])
    htmx = {"HTTP_HX_REQUEST": "true"}

    def get(params: dict[str, str]) -> None:
        response = client.get(url, params, **htmx)
        if response.status_code != 200:
            raise SystemExit(f"the autocomplete answered {response.status_code}")

    get({"q": "warm"})  # first request: templates compiled, session cached
    return [
        row(
            "skills, every keystroke",
            measure(lambda q: get({"q": q, "section": "work"}), prefixes(TYPED), repeats),
        ),
        row(
            "occupations, every keystroke",
            measure(lambda q: get({"q": q, "kind": "occupation"}), prefixes(TYPED_OCCUPATIONS), repeats),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5, help="times each input is searched")
    args = parser.parse_args()
    show("ESCO search (taxonomies.esco), per call", taxonomy_rows(args.repeats), HEADERS)
    show("Participant ESCO look-up (participants.esco_lookup), per call", lookup_rows(args.repeats), HEADERS)
    show(
        "Skills autocomplete page (htmx, test client), per request",
        autocomplete_rows(args.repeats),
        HEADERS,
    )


if __name__ == "__main__":
    main()
