"""Test data for the one-stop service: a workstation hosted by an association, with its staff, and requests made
through the app's own services."""

from __future__ import annotations

from typing import Any

from artrights.accounts.models import OrganisationKind, Role
from artrights.accounts.services import create_user
from artrights.accounts.tests.factories import organisation
from artrights.onestop import services
from artrights.onestop.models import ServiceRequest, Workstation
from artrights.testing import TEST_PASSWORD


def workstation(*staff: Any, name: str = "大芬美术产业协会知识产权保护工作站") -> Workstation:
    """An active workstation of a new association, with ``staff`` working there, set up by an administrator."""
    host = organisation(OrganisationKind.WORKSTATION, "深圳市大芬美术产业协会（测试）")
    admin = create_user(username=f"station-admin-{host.pk}", role=Role.ADMIN, password=TEST_PASSWORD)
    return services.set_up_workstation(
        user=admin,
        organisation=host,
        name=name,
        sector="油画及美术产业",
        address="深圳市龙岗区布吉街道大芬油画村",
        staff=staff,
    )


def service_request(
    requester: Any,
    station: Workstation,
    *,
    type: str = "consult",
    description: str = "我的油画被他人制成装饰画在网上销售，想咨询如何维权。",
    url: str = "",
) -> ServiceRequest:
    return services.submit_request(user=requester, workstation=station, type=type, description=description, url=url)
