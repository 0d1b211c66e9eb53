"""The compiled structure check never accepts a document that jsonschema refuses, and accepts a valid one
(so a large valid file is not walked by jsonschema)."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
from benchmarks.import_network import generate_document
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.interchange import structure
from matchmaking.interchange.schema import SCHEMAS


def _valid() -> dict[str, Any]:
    document = generate_document(4, opportunities_per_organisation=2, exchanges=2)
    document["exchanges"][0]["report"] = {"summary": "Went well.", "host_lessons": ["one", "two"]}
    document["exchanges"][1]["report"] = None
    return document


VALID = _valid()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2000) | st.floats(allow_nan=False) | st.text(max_size=5)
    | st.just("x" * 201) | st.just(""),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


PATHS = _paths(VALID)[1:]


def _errors(document: Any, version: int) -> list[Any]:
    return list(jsonschema.Draft202012Validator(SCHEMAS[version]).iter_errors(document))


def test_a_valid_document_is_accepted_by_the_compiled_check():
    assert structure.compiled(2) is not None
    assert structure.compiled(1) is not None
    assert structure.is_valid(VALID, 2)
    assert structure.structure_problems(VALID, 2) == []


@settings(max_examples=300, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(PATHS), st.sampled_from(["replace", "delete", "add"]), json_values),
        min_size=1,
        max_size=3,
    ),
    version=st.sampled_from([1, 2]),
)
def test_the_compiled_check_never_accepts_what_jsonschema_refuses(edits, version):
    document = copy.deepcopy(VALID)
    if version == 1:
        document = {k: v for k, v in document.items() if k != "exchanges"} | {"format_version": 1}
    for path, action, value in edits:
        parent: Any = document
        try:
            for part in path[:-1]:
                parent = parent[part]
            if action == "replace":
                parent[path[-1]] = value
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent["unknown_field"] = value
            else:
                parent.append(value)
        except (KeyError, IndexError, TypeError):
            continue
    errors = _errors(document, version)
    if structure.is_valid(document, version):
        assert errors == []
    assert (structure.structure_problems(document, version) == []) == (errors == [])
