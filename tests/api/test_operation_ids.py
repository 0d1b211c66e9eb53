"""Every operation of the API has its own operationId: clients generated from the schema name their
methods by it, and two endpoints sharing one would collide."""

from __future__ import annotations

from collections import Counter

from matchmaking.api.urls import api


def test_operation_ids_are_unique():
    schema = api.get_openapi_schema()
    ids = Counter(
        operation["operationId"]
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in {"get", "post", "put", "patch", "delete"}
    )
    assert not [name for name, count in ids.items() if count > 1]
