"""Background work after a large import, queued once per chunk of records rather than once per record.

- ``fill_search_text``: the folded search text of imported organisations and opportunities, when an
  import wrote more than ``writing.SEARCH_TEXT_INLINE`` of them (a smaller import writes it with the
  rows). Until it has run, those records are found by their name, city and description.
- ``imported_opportunity_alerts``: the saved-search alerts of the opportunities an import opened, the
  same as each would get when posted one by one.

Both are idempotent (the search text is recomputed, an alert is never sent twice), so the
``task-reclaim`` job may run them again after a worker died.
"""

from __future__ import annotations

from django_tasks import task

from matchmaking.core.tasks import PRIORITY_ALERT, PRIORITY_REFRESH, recoverable
from matchmaking.mobility.search import refresh_opportunity_search
from matchmaking.mobility.tasks import saved_search_alerts
from matchmaking.organisations.search import refresh_organisation_search

CHUNK = 1_000
"""Records per task: short enough that the emails queued meanwhile wait seconds, not minutes."""


@recoverable
@task(priority=PRIORITY_REFRESH)
def fill_search_text(organisation_ids: list[int], opportunity_ids: list[int]) -> int:
    """Compute and store the search text of these records; returns how many were given."""
    refresh_organisation_search(organisation_ids)
    refresh_opportunity_search(opportunity_ids)
    return len(organisation_ids) + len(opportunity_ids)


@recoverable
@task(priority=PRIORITY_ALERT)
def imported_opportunity_alerts(opportunity_ids: list[int]) -> int:
    """Alert the saved searches that match each of these newly imported opportunities."""
    return sum(saved_search_alerts.call(pk) for pk in opportunity_ids)
