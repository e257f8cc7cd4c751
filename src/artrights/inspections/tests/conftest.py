"""The supervisor, a directory of twelve companies (one in the key pool) and four inspectors."""

from __future__ import annotations

import pytest

from artrights.inspections.tests import factories


@pytest.fixture
def supervisor(people):
    return people["supervisor"]


@pytest.fixture
def world(supervisor):
    subjects = factories.directory(supervisor)
    team = factories.inspectors(supervisor, 4)
    return {"subjects": subjects, "inspectors": team}
