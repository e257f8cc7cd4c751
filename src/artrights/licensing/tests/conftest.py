"""The people and the work most licensing tests start from: the artist (林画家) owns a registered painting, the
buyer (吴路人) licenses or buys it."""

from __future__ import annotations

import pytest

from artrights.licensing.tests import factories


@pytest.fixture
def buyer(outsider):
    return outsider


@pytest.fixture
def work(artist, registrar):
    return factories.registered(artist, registrar)
