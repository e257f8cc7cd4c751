import pytest

from artrights.accounts.models import OrganisationKind
from artrights.accounts.tests.factories import organisation
from artrights.funding.tests import factories


@pytest.fixture
def department(db):
    return organisation(OrganisationKind.DEPARTMENT, "深圳市市场监督管理局（测试）")


@pytest.fixture
def fund_admin(make_user, department):
    """The fund's administrator: a supervisor of the city's department."""
    return make_user("fund-admin", "supervisor", organisation=department, display_name="赵资金")


@pytest.fixture
def owner(make_user):
    """A verified rights holder with a Shenzhen resident ID."""
    return make_user("owner-zheng", "artist", display_name="郑深圳", identity=factories.shenzhen_identity())


@pytest.fixture
def programme(fund_admin):
    return factories.programme(fund_admin)


@pytest.fixture
def works(owner, registrar):
    return [factories.registered_work(owner, registrar, seed=s) for s in (401, 402)]
