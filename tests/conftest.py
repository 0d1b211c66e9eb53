"""Shared fixtures. Engine and other pure tests use none of these and need no database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def coordinator(db):
    from matchmaking.organisations.models import Role
    from tests.factories import OrganisationFactory, member, term

    secretariat = OrganisationFactory(
        key="network-secretariat", name="Network secretariat", kind=term("organisation-kinds", "network")
    )
    return member(Role.COORDINATOR, secretariat, email="coordinator@example.org")


@pytest.fixture
def org_admin(db):
    from matchmaking.organisations.models import Role
    from tests.factories import member

    return member(Role.ORG_ADMIN, email="admin@example.org")


@pytest.fixture
def staff(db):
    from matchmaking.organisations.models import Role
    from tests.factories import member

    return member(Role.STAFF, email="staff@example.org")


# Fixtures that give a test the database; a test that uses one (or the django_db mark) is tagged
# "database", so `make unit` runs the others without one and CI runs the tagged ones on PostgreSQL.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache, so rate limits counted by one test never refuse another."""
    from django.core.cache import cache

    from matchmaking.taxonomies import code_lists

    cache.clear()
    # The code lists this process keeps may hold terms an earlier test made and rolled back.
    code_lists.forget()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's default language: a request or a test that activated another
    language in this thread must not change what the next test reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
