"""Test data for the one-stop service: a workstation hosted by an association, with its staff, and requests made
through the app's own services."""

from __future__ import annotations

from typing import Any

from artrights.accounts.models import OrganisationKind
from artrights.accounts.tests.factories import organisation
from artrights.onestop import services
from artrights.onestop.models import ServiceRequest, Workstation


def workstation(*staff: Any, name: str = "大芬美术产业协会知识产权保护工作站") -> Workstation:
    """An active workstation of a new association, with ``staff`` working there."""
    host = organisation(OrganisationKind.WORKSTATION, "深圳市大芬美术产业协会（测试）")
    station = Workstation.objects.create(
        organisation=host, name=name, sector="油画及美术产业", address="深圳市龙岗区布吉街道大芬油画村"
    )
    station.staff.add(*staff)
    return station


def service_request(
    requester: Any,
    station: Workstation,
    *,
    type: str = "consult",
    description: str = "我的油画被他人制成装饰画在网上销售，想咨询如何维权。",
    url: str = "",
) -> ServiceRequest:
    return services.submit_request(user=requester, workstation=station, type=type, description=description, url=url)
