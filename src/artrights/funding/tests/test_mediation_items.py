"""A mediation organisation claims the subsidy for the cases it closed: the platform's own mediation records."""

from __future__ import annotations

import pytest

from artrights.core.models import Party
from artrights.funding import selectors
from artrights.funding.tests import factories
from artrights.mediation import services as mediation
from artrights.mediation.tests import factories as mediation_factories

pytestmark = pytest.mark.django_db


def test_a_mediation_organisation_sees_its_ended_cases_as_items_to_claim_and_not_open_ones(
    fund_admin, artist, outsider
):
    org = mediation_factories.mediation_org("深圳市版权纠纷调解委员会（资助）")
    org.party = Party.objects.create(kind="organisation", name=org.name, id_type="uscc", id_number=org.uscc)
    org.save(update_fields=["party"])
    admin = mediation_factories.staff(org, name="张管理")
    ended = mediation.answer(user=outsider, case=mediation_factories.accepted(artist, admin), consent=False)
    still_open = mediation_factories.applied(artist, org)
    assert ended.ended_on is not None
    programme = factories.programme(fund_admin, item_kinds=["mediation_case"], amount="500.00")
    found = selectors.candidates(admin, programme, org.party)
    assert [c.reference for c in found] == [ended.number]
    assert found[0].kind == "mediation_case" and still_open.number not in {c.reference for c in found}
