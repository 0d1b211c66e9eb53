"""The audit trail in words: every action code the code base writes has a label, recorded values read as
"Field: before → after" with field names, choice and code-list labels (never a code or a Python dict),
and the change-history pages show them so.

The last test reads the compiled catalogues: it is marked to fail until the translation round has
translated the action labels, and the mark goes once it passes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import matchmaking
from matchmaking.core.audit import ACTION_LABELS, action_label, audit_changes, audit_record
from matchmaking.core.models import AuditEvent
from matchmaking.exchanges.services import TRANSITIONS
from matchmaking.taxonomies.reason_text import code_label

SOURCE = Path(matchmaking.__file__).parent
OTHER_LANGUAGES = ["sv", "nb", "de", "es", "ca"]


def _constants(node: ast.AST) -> list[str]:
    """The action codes an expression can take: a string, either branch of ``a if c else b``, and the
    exchange transitions behind ``f"exchange.{action}"``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    if isinstance(node, ast.JoinedStr) and ast.unparse(node) == "f'exchange.{action}'":
        return [f"exchange.{action}" for action in TRANSITIONS]
    return []


def written_actions() -> set[str]:
    """Every action code passed to ``audit_record`` or an app's audit helper, or queued for the bulk
    importer's audit rows, anywhere in the code base."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None) or ""
            if "audit" in name.lower():
                found.update(c for kw in node.keywords if kw.arg == "action" for c in _constants(kw.value))
                found.update(c for arg in node.args for c in _constants(arg) if "." in c and " " not in c)
            elif name == "append" and "audit" in ast.unparse(node.func):
                for arg in node.args:
                    if isinstance(arg, ast.Tuple):
                        found.update(c for item in arg.elts for c in _constants(item) if "." in c)
            elif name == "create" and "AuditEvent" in ast.unparse(node.func):
                found.update(c for kw in node.keywords if kw.arg == "action" for c in _constants(kw.value))
    return found


def test_every_action_written_has_a_label():
    actions = written_actions()
    assert {"exchange.proposed", "exchange.accept", "goal.create", "participant.erase"} <= actions
    assert not sorted(actions - set(ACTION_LABELS))


def test_an_unknown_action_reads_as_words():
    assert action_label("widget.colour_changed") == "Widget: colour changed"


@pytest.mark.django_db
def test_changes_read_as_field_before_after_with_labels(org_admin):
    from matchmaking.organisations.models import Organisation

    organisation = Organisation.objects.first()
    event = audit_record(
        actor=org_admin,
        action="organisation.updated",
        obj=organisation,
        before={"kind": "employer", "country": "SE", "languages": ["sv"], "hosting_capacity": 4},
        after={"kind": "network", "country": "DE", "languages": ["sv", "de"], "hosting_capacity": 1200},
    )
    with translation.override("sv"):
        shown = [str(c) for c in audit_changes(event, labels=code_label)]
    assert any("Sverige → Tyskland" in line for line in shown), shown
    assert any("svenska → svenska, tyska" in line for line in shown), shown
    for line in shown:
        assert "{" not in line
        assert "employer" not in line
        assert ": " in line


@pytest.mark.django_db
def test_choices_and_nested_values_read_as_words(org_admin):
    from matchmaking.organisations.models import Organisation

    organisation = Organisation.objects.first()
    event = audit_record(
        actor=org_admin,
        action="organisation.status_changed",
        obj=organisation,
        before={"status": Organisation.Status.ACTIVE},
        after={"status": Organisation.Status.SUSPENDED, "filters": {"country": "SE", "q": "mentor"}},
    )
    changes = audit_changes(event, labels=code_label)
    assert str(changes[0]).endswith(
        f"{Organisation.Status.ACTIVE.label} → {Organisation.Status.SUSPENDED.label}"
    )
    assert changes[1].created
    assert "{" not in str(changes[1])
    assert "Sweden" in str(changes[1])


@pytest.mark.django_db
def test_the_change_history_page_shows_labels_not_codes(client, org_admin):
    from matchmaking.organisations.models import Membership

    organisation = Membership.objects.get(user=org_admin).organisation
    AuditEvent.objects.create(
        actor_label="system",
        action="exchange.proposed",
        object_type="organisations.organisation",
        object_id=str(organisation.pk),
        object_label="An exchange",
        organisation_id=organisation.pk,
        after={"country": "SE", "group_size": 3},
    )
    client.force_login(org_admin)
    body = client.get(reverse("organisations:audit-trail", args=[organisation.key])).content.decode()
    assert "Exchange proposed" in body
    assert "exchange.proposed" not in body
    assert "Sweden" in body
    assert "{&#x27;" not in body


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_action_label_is_translated(language):
    untranslated = []
    for code in sorted(written_actions()):
        with translation.override("en"):
            english = action_label(code)
        with translation.override(language):
            if action_label(code) == english:
                untranslated.append(code)
    assert not untranslated


@pytest.mark.django_db
def test_the_exchange_history_shows_the_action_and_the_state_in_words(client):
    from matchmaking.exchanges.models import State
    from matchmaking.exchanges.services import exchange_transition
    from tests.factories_mobility import exchange, pair

    host, visitor, _offer, _request, host_user, _visitor_user = pair()
    ex = exchange(host, visitor)
    exchange_transition(actor=host_user, exchange=ex, action="accept")
    client.force_login(host_user)
    with translation.override("en"):
        body = client.get(reverse("exchanges:exchange-detail", args=[ex.pk])).content.decode()
    assert "Exchange accepted" in body
    assert f"{State.PROPOSED.label} → {State.AGREED.label}" in body
    assert "exchange.accept" not in body
