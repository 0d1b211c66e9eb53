"""Two acceptances racing for the last places of one host: exactly one wins (PostgreSQL only; SQLite
serialises writers anyway)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from matchmaking.exchanges import services
from matchmaking.exchanges.models import Exchange, State
from tests.factories_mobility import exchange, pair

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_acceptances_never_exceed_capacity():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    host, visitor, _o, _r, host_user, _v = pair(capacity=3)
    start = timezone.localdate() + timedelta(days=30)
    first = exchange(host, visitor, start=start, group_size=2)
    second = exchange(host, visitor, start=start + timedelta(days=1), group_size=2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(pk: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.exchange_accept(actor=host_user, exchange=Exchange.objects.get(pk=pk))
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(e.pk,)) for e in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Exchange.objects.filter(state=State.AGREED).count() == 1
