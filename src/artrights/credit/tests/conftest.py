"""The people and the subject most credit tests start from."""

from __future__ import annotations

import pytest

from artrights.credit.tests import factories


@pytest.fixture
def supervisor(people):
    return people["supervisor"]


@pytest.fixture
def partner(people):
    """Staff of a partner department (the ``people`` partner belongs to a government department)."""
    return people["partner"]


@pytest.fixture
def own(people):
    """The member of the agency that ``own_subject`` is: the subject's own side."""
    return people["agency"]


@pytest.fixture
def own_subject(supervisor, own):
    """The agency's organisation as a credit subject, graded."""
    org = own.organisation
    return factories.subject(supervisor, code=org.uscc, name=org.name, agency=True)
