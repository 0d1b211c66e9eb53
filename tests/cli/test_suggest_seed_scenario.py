"""``matchmaking suggest`` on the seed scenario (docs/examples/partner-seeds.json): the real partners of
the network's reported exchanges come first, and a request nothing fits gets near misses with the one
rule each breaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matchmaking.cli import main

SCENARIO = Path(__file__).resolve().parents[2] / "docs" / "examples" / "partner-seeds.json"

# The request of each real exchange, and who hosted it (benchmarks/partner_seeds.py builds the file).
REAL_PARTNERS = {
    "seed-000-boras-to-stuttgart": {"jobcenter-stuttgart", "neckar-second-chance"},
    "seed-001-vestland-to-boras": {"boras-working-life"},
    "seed-001-boras-return-to-vestland": {"vestland-county-council"},
    "seed-003-boras-to-barcelona": {"soc-catalonia"},
}


@pytest.mark.parametrize("request_id", sorted(REAL_PARTNERS))
def test_the_real_partner_is_on_top(request_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["suggest", "--data", str(SCENARIO), "--for", request_id, "--top", "5", "--format", "json"]
    assert main(args) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["organisation"] in REAL_PARTNERS[request_id]
    assert found[0]["score"] >= 70  # a strong match reads as one


def test_the_offender_support_ngo_of_the_first_exchange_is_no_longer_cut(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It posted a study visit, not a job shadowing: a neighbouring kind costs points, no more."""
    args = ["suggest", "--data", str(SCENARIO), "--for", "seed-000-boras-to-stuttgart", "--format", "json"]
    assert main(args) == 0
    found = json.loads(capsys.readouterr().out)
    neckar = next(s for s in found if s["organisation"] == "neckar-second-chance")
    assert any(r["code"] == "type-neighbour" for r in neckar["explanations"])


def test_nothing_fits_near_misses_with_their_reasons(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Kraków request lists Polish only: no partner shares it, so the near misses say so."""
    monkeypatch.setenv("COLUMNS", "400")  # table cells unwrapped
    args = ["suggest", "--data", str(SCENARIO), "--for", "wup-krakow-request-js-outreach", "--top", "3"]
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "No suggestion meets the hard rules." in out
    assert "Near misses" in out
    assert "No shared language: you list pl" in out
