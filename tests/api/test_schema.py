"""Schemathesis over the whole OpenAPI schema: no request, however odd, gets a 5xx, and every answer is
what the schema says (a documented status code, a body that matches its schema, the declared content
type).

The WSGI app runs in this process, so the requests see this test's database. A token user who belongs
to the host of an exchange (with visitors, a programme, a report and a story) makes every call, so the
generated requests reach the real code paths as well as the 404s of other organisations' objects.

The run is deterministic (derandomized, a fixed number of examples per operation), so it says the same
thing on SQLite and on PostgreSQL; its figures are in docs/api.md.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from matchmaking.accounts.services import api_token_create
from matchmaking.exchanges import changes as exchange_changes
from matchmaking.exchanges import conversations
from matchmaking.exchanges.models import CompletionReport, State
from matchmaking.library import services as library
from matchmaking.organisations.models import Role
from tests.factories import member
from tests.factories_mobility import exchange, item, pair, visitor_of

pytestmark = pytest.mark.django_db(transaction=False)

# A longer exploration: SCHEMA_EXAMPLES=100 .venv/bin/pytest tests/api/test_schema.py -s
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMA_EXAMPLES", "12"))
CONFORMANCE = [status_code_conformance, response_schema_conformance, content_type_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Serve requests without closing the test's database connection after each one.

    A WSGI app closes old connections when a request ends (with CONN_MAX_AGE=0: always); on PostgreSQL
    that would end the test's transaction. Django's own test client disconnects the same handlers.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(_keep_the_test_connection):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def token_user():
    """The administrator of a host organisation, as in the demo: an exchange being planned (with a
    visitor, a programme item and a counter-proposal of dates waiting), one reported (with its report
    and story), a conversation with the partner."""
    host, visitor, offer, request, host_user, visitor_user = pair()
    admin = member(Role.ORG_ADMIN, host)
    ex = exchange(host, visitor, state=State.PLANNING, group_size=3)
    v = visitor_of(ex)
    agenda = item(ex)
    agreed = exchange(host, visitor, state=State.AGREED)
    later = agreed.start + timedelta(days=7)
    change = exchange_changes.exchange_update(
        actor=visitor_user, exchange=agreed, start=later, end=later + timedelta(days=2), group_size=2
    )
    done = exchange(host, visitor, state=State.REPORTED, start=timezone.localdate() - timedelta(days=30))
    visitor_of(done, name="Aino Korhonen")
    CompletionReport.objects.create(exchange=done, summary="Two days", host_lessons="One\nTwo")
    story = library.story_create(actor=host_user, exchange=done)
    conversation = conversations.conversation_start(
        actor=admin, organisation=host, other=visitor, subject="Spring visit", body="Hello"
    )
    _, token = api_token_create(user=admin, name="schema test")
    return {
        "token": token,
        # Real values for path parameters, so that generated requests also reach past the 404s.
        "real": {
            "key": [offer.key, request.key, host.key],
            "org_key": [host.key],
            "exchange_id": [ex.pk, agreed.pk, done.pk],
            "visitor_id": [v.pk],
            "item_id": [agenda.pk],
            "change_id": [change.pk],
            "answer": ["accept", "refuse"],
            "conversation_id": [conversation.pk],
            "slug": [story.slug],
            "action": ["plan", "confirm", "cancel", "accept"],
        },
        # ... and for the body fields that name organisations and listings.
        "real_body": {
            "organisation": host.key,
            "visitor": visitor.key,
            "host": host.key,
            "listing": offer.key,
            "answers": request.key,
        },
    }


def _run(operation, headers: dict[str, str], user: dict, failures: list[str], calls: Counter) -> None:
    real, real_body = user["real"], user["real_body"]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), use_real=st.booleans(), pick=st.integers(0, 10))
    def check(case, use_real, pick):
        if use_real and case.path_parameters:
            for name in case.path_parameters:
                if name in real:
                    case.path_parameters[name] = real[name][pick % len(real[name])]
        if use_real and isinstance(case.body, dict):
            case.body.update({name: value for name, value in real_body.items() if name in case.body})
        response = case.call(headers=headers)
        calls[f"{operation.method.upper()} {operation.path}"] += 1
        try:
            case.validate_response(response, checks=CONFORMANCE)
        except Exception as exc:  # schemathesis raises a group of failures; keep its first lines
            failures.append(
                f"{operation.method.upper()} {operation.path}: {' '.join(str(exc).split())[:300]}"
            )
        if response.status_code >= 500:
            failures.append(
                f"{operation.method.upper()} {operation.path}: {response.status_code} for "
                f"{case.path_parameters} {case.query} {case.body!r}"
            )

    check()


def test_no_operation_answers_with_a_server_error_or_off_its_schema(api_schema, token_user):
    headers = {"Authorization": f"Bearer {token_user['token']}"}
    failures: list[str] = []
    calls: Counter = Counter()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 60
    for operation in operations:
        _run(operation, headers, token_user, failures, calls)
    # The figures of the run (docs/api.md), shown with -s.
    print(f"\n{len(operations)} operations, {sum(calls.values())} requests, {len(set(failures))} failures")
    assert len(calls) == len(operations)
    assert not failures, "\n".join(dict.fromkeys(failures))
