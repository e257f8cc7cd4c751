"""The people most mediation tests start from: an organisation with an administrator and two mediators, the
applicant (the verified artist) and the respondent (the verified outsider)."""

from __future__ import annotations

import pytest

from artrights.mediation.tests import factories


@pytest.fixture
def org(db):
    return factories.mediation_org("深圳市版权纠纷调解委员会")


@pytest.fixture
def admin(org):
    return factories.staff(org, name="张管理")


@pytest.fixture
def mediator(admin):
    return factories.mediator(admin, name="李调解")


@pytest.fixture
def second_mediator(admin):
    return factories.mediator(admin, name="周调解")


@pytest.fixture
def applicant(artist):
    return artist


@pytest.fixture
def respondent(outsider):
    return outsider
