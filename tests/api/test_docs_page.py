"""The API documentation page: rendered on the server from the schema, in the site's layout, listing
every operation with its parameters, body and answers; no script from another site."""

from __future__ import annotations

import re

import pytest

from matchmaking.api.docs import describe, type_label
from matchmaking.api.urls import api

pytestmark = pytest.mark.django_db


def test_the_page_lists_every_operation_with_its_parts(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    schema = api.get_openapi_schema(path_prefix="/api/")
    operations = [(m.upper(), p) for p, ms in schema["paths"].items() for m in ms]
    for method, path in operations:
        assert f"<code>{method} {path}</code>" in page
    assert len(set(re.findall(r'<h3 id="([^"]+)"><code>', page))) == len(operations)
    # The proposal's body, with its fields and their rules, and where its answer's schema is described.
    proposal = page[page.index('id="exchange_propose"') :]
    proposal = proposal[: proposal.index("</section>")]
    for text in (
        "<code>visitor</code>",
        "<code>listing</code>",
        "<code>group_size</code>",
        "at most 500",
        "422",
    ):
        assert text in proposal
    assert 'href="#schema-ExchangeOut"' in proposal
    assert 'id="schema-ExchangeOut"' in page
    assert 'href="/api/openapi.json"' in page


def test_the_page_loads_nothing_from_another_site(client):
    page = client.get("/api/docs").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page  # no inline script: the content security policy allows none


def test_type_labels():
    assert type_label({"type": "array", "items": {"$ref": "#/components/schemas/A"}}) == ("list of A", "A")
    assert type_label({"anyOf": [{"type": "string"}, {"type": "null"}]}) == ("string or null", "")
    assert type_label({"type": "string", "format": "date"}) == ("string (date)", "")


def test_describe_names_each_required_field():
    schema = {
        "paths": {
            "/x": {
                "post": {
                    "operationId": "make_x",
                    "tags": ["x"],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/XIn"}}}
                    },
                    "responses": {"201": {"description": "OK"}},
                }
            }
        },
        "components": {
            "schemas": {
                "XIn": {
                    "properties": {"a": {"type": "integer", "maximum": 5}, "b": {"type": "string"}},
                    "required": ["a"],
                }
            }
        },
    }
    tags, schemas = describe(schema)
    (operation,) = tags[0].operations
    assert [(f.name, f.required, f.rules) for f in operation.body] == [
        ("a", True, ["at most 5"]),
        ("b", False, []),
    ]
    assert operation.body_schema == "XIn"
    assert [s.name for s in schemas] == ["XIn"]
