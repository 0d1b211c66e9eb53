"""The background tasks of offers and requests may run twice (the task-reclaim job runs a task again
when its worker died half-way): the second run changes nothing a person would notice."""

from __future__ import annotations

import pytest

from matchmaking.core.models import Notification
from matchmaking.mobility import tasks
from matchmaking.mobility.models import SavedSearch, Suggestion
from tests.factories_mobility import opportunity, pair

pytestmark = pytest.mark.django_db


def test_a_saved_search_alert_is_sent_once_however_often_the_task_runs():
    host, *_, visitor_user = pair()
    SavedSearch.objects.create(user=visitor_user, name="Outreach", filters={"topic": ["early-outreach"]})
    SavedSearch.objects.create(user=visitor_user, name="Everything", filters={})
    new = opportunity(host, direction="offer")
    assert tasks.saved_search_alerts.call(new.pk) == 1  # two matching searches, one alert
    assert tasks.saved_search_alerts.call(new.pk) == 0
    alerts = Notification.objects.filter(kind=tasks.ALERT)
    assert list(alerts.values_list("recipient", flat=True)) == [visitor_user.pk]


def test_refreshing_suggestions_twice_stores_them_once():
    pair()
    tasks.refresh_suggestions.call()
    first = sorted(Suggestion.objects.values_list("opportunity", "organisation", "rank"))
    tasks.refresh_suggestions.call()
    assert sorted(Suggestion.objects.values_list("opportunity", "organisation", "rank")) == first
    assert first
