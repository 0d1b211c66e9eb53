"""For the list-page query-count tests: a page shown with few rows and with many runs as many SQL queries.

``grow(n)`` brings the page to ``n`` rows and returns one text per row that the page must show (a name, a
title, a key), so a page that silently shows nothing cannot pass.
"""

from __future__ import annotations

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


def assert_same_queries(client, url: str, grow: Callable[[int], list[str]], **extra) -> tuple[int, int]:
    """The page at SMALL and at LARGE rows: every row shown, and the same number of queries."""
    counts = []
    runs = []
    for size in (SMALL, LARGE):
        shown = grow(size)
        assert len(shown) == size, (url, size, len(shown))
        sql, body = queries_on(client, url, **extra)
        missing = [text for text in shown if text not in body]
        assert not missing, (url, size, missing[:3])
        counts.append(len(sql))
        runs.append(sql)
    if counts[0] != counts[1]:
        extra_sql = "\n".join(sorted(set(runs[1]) - set(runs[0]))[:5])
        raise AssertionError(
            f"{url}: {counts[0]} queries with {SMALL} rows, {counts[1]} with {LARGE}; new:\n{extra_sql}"
        )
    print(f"\n{url}: {counts[0]} queries at {SMALL} rows, {counts[1]} at {LARGE}")
    return counts[0], counts[1]
