"""``on_day``: the services' calendar set to one day (``django.utils.timezone.localdate`` patched); the
clock itself is never read by the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], None]:
    def set_day(day: date) -> None:
        def localdate(value: Any = None, timezone: Any = None) -> date:
            return day

        monkeypatch.setattr(timezone_module, "localdate", localdate)

    timezone_module = timezone
    return set_day
