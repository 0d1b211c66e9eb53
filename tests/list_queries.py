"""For the list-page query-count tests: a page shown with few rows and with many runs as many SQL queries.

``grow(n)`` brings the page to ``n`` rows and returns texts the page must then show (one per row, a name,
a title, a key; or a count where the page shows only totals), so a page that silently shows nothing
cannot pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

SMALL, LARGE = 2, 12


def queries_on(client, url: str, **extra) -> tuple[list[str], str]:
    """The SQL of one request (after one warm-up request: session, caches), and the response body."""
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def assert_same_queries(
    client,
    url: str | Callable[[], str],
    grow: Callable[[int], list[str]],
    *,
    one_per_row: str = "",
    **extra,
) -> tuple[int, int]:
    """The page at SMALL and at LARGE rows: every row shown, and the same number of queries. ``url`` may
    be a function, called after ``grow`` (for a page whose address changes with the rows).

    ``one_per_row``: the start of a statement that is meant to run once per row shown (an entry in the
    personal-data access log for each person read); those are counted apart, exactly one per row."""
    counts = []
    runs = []
    for size in (SMALL, LARGE):
        shown = grow(size)
        assert shown, (url, size)
        address = url if isinstance(url, str) else url()
        sql, body = queries_on(client, address, **extra)
        missing = [text for text in shown if text not in body]
        assert not missing, (address, size, missing[:3])
        if one_per_row:
            logged = [q for q in sql if q.startswith(one_per_row)]
            assert len(logged) == len(shown), (address, size, len(logged), len(shown))
            sql = [q for q in sql if not q.startswith(one_per_row)]
        counts.append(len(sql))
        runs.append(sql)
    if counts[0] != counts[1]:
        shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", q) for q in runs[1])
        repeated = "\n".join(f"{n}x {q[:300]}" for q, n in shapes.most_common(3))
        raise AssertionError(
            f"{address}: {counts[0]} queries with {SMALL} rows, {counts[1]} with {LARGE}; most repeated:\n"
            f"{repeated}"
        )
    print(f"\n{address}: {counts[0]} queries at {SMALL} rows, {counts[1]} at {LARGE}")
    return counts[0], counts[1]
