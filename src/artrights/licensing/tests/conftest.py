"""The people and the work most licensing tests start from: the artist (林画家) owns a registered painting, the
buyer (吴路人) licenses or buys it."""

from __future__ import annotations

import datetime as dt

import pytest

from artrights.licensing.tests import factories
from artrights.testing import give_identity


@pytest.fixture
def buyer(outsider):
    return outsider


@pytest.fixture
def third(make_user):
    """A third person with a verified identity: another buyer, bidder or sub-licensee (周三)."""
    return give_identity(
        make_user("third-zhou", "artist"), {"name": "周三", "id_type": "resident_id", "id_number": "110101199003070011"}
    )


@pytest.fixture
def work(artist, registrar):
    return factories.registered(artist, registrar)


class Clock:
    """The platform's clock, moved by the test: ``timezone.now`` (and so ``localdate``) reads it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from django.utils import timezone

        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def travel(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)

    def to_day_after(self, day: dt.date) -> None:
        """Ten in the morning (local time) of the day after ``day``: the first moment a period that ends on
        ``day`` has ended."""
        from django.utils import timezone

        self.now = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(10)))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)
