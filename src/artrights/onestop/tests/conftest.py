import pytest

from artrights.onestop.tests import factories


@pytest.fixture
def clerk(make_user):
    """The Dafen workstation's staff member."""
    return make_user("clerk-huang", "mediation_admin", display_name="黄站员")


@pytest.fixture
def painter(make_user):
    """A painter of Dafen who brings requests to the workstation."""
    return make_user("painter-liu", "artist", display_name="刘画家")


@pytest.fixture
def station(clerk):
    return factories.workstation(clerk)
