"""The country spread re-ranks a short list; the result must equal spreading every candidate."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.engine.partners import (
    PartnerSuggestion,
    PartnerWeights,
    _finish,
    spread_across_countries,
)

_suggestion = st.builds(
    lambda org, country, score: PartnerSuggestion(f"o{org}", None, country, float(score), (), ()),
    st.integers(0, 10_000),
    st.sampled_from(["SE", "NO", "DE", "ES"]),
    st.integers(0, 100),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_suggestion, max_size=60, unique_by=lambda s: s.organisation),
    st.integers(1, 30),
    st.sampled_from([0.5, 1.0, 3.0, 10.0]),
)
def test_short_list_spread_equals_spreading_everything(found, top, penalty):
    weights = PartnerWeights(country_spread=penalty)
    everything = sorted(found, key=lambda s: (-s.score, s.organisation, s.opportunity or ""))
    expected = spread_across_countries(everything, penalty)[:top]
    assert _finish(list(found), top, weights) == expected
