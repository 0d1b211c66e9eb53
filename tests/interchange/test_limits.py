"""Interchange files beyond the limits: too deep, too large, NUL characters, over-long text. Each is
refused with a message naming the limit or the field, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchmaking.cli import main
from matchmaking.interchange import document
from matchmaking.interchange.document import InterchangeError, parse_document, read_document
from matchmaking.interchange.schema import MAX_TEXT
from matchmaking.organisations.models import Organisation
from tests.interchange.test_interchange import ORG

pytestmark = pytest.mark.django_db


def _write_text(tmp_path: Path, text: str, name: str = "data.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_document_nested_100000_deep_is_refused_naming_the_limit(tmp_path, capsys):
    depth = 100_000
    path = _write_text(tmp_path, '{"organisations": ' + "[" * depth + "]" * depth + "}")
    with pytest.raises(InterchangeError) as caught:
        read_document(path)
    assert f"deeper than {document.MAX_DEPTH}" in str(caught.value)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"deeper than {document.MAX_DEPTH}" in err
    assert "Traceback" not in err


def test_brackets_inside_strings_do_not_count_as_depth(tmp_path):
    org = dict(ORG, description='[{"[' * 200 + '\\"]]' * 50)
    path = _write_text(tmp_path, json.dumps({"organisations": [org]}))
    assert read_document(path).organisations[0].description == org["description"]


def test_a_decoded_document_too_deep_is_refused_too():
    deep: list = []
    node = deep
    for _ in range(document.MAX_DEPTH + 5):
        node.append([])
        node = node[0]
    with pytest.raises(InterchangeError) as caught:
        parse_document({"organisations": deep})
    assert f"deeper than {document.MAX_DEPTH}" in str(caught.value)


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = _write_text(tmp_path, json.dumps({"organisations": [ORG]}))
    monkeypatch.setattr(document, "MAX_BYTES", 100)
    with pytest.raises(InterchangeError) as caught:
        read_document(path)
    assert "larger than 100 bytes" in str(caught.value)


def test_a_nul_character_is_refused_naming_the_field(tmp_path, capsys):
    org = dict(ORG, name="Borås\x00 Working Life")
    path = _write_text(tmp_path, json.dumps({"organisations": [org]}))
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "organisations[boras-working-life].name" in err
    assert "NUL" in err
    assert not Organisation.objects.exists()


def test_an_over_long_description_is_refused_with_a_short_message(tmp_path, capsys):
    org = dict(ORG, description="x" * (MAX_TEXT + 1))
    path = _write_text(tmp_path, json.dumps({"organisations": [org]}))
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "organisations[boras-working-life].description" in err
    assert f"{MAX_TEXT:,}" in err
    assert len(err) < 1000
    assert not Organisation.objects.exists()


def test_a_description_at_the_limit_is_imported(tmp_path):
    org = dict(ORG, description="x" * MAX_TEXT)
    path = _write_text(tmp_path, json.dumps({"organisations": [org]}))
    assert main(["import", str(path)]) == 0
    assert len(Organisation.objects.get(key=ORG["id"]).description) == MAX_TEXT
