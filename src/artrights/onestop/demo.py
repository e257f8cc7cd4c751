"""The one-stop service's part of the demo data (``artrights demo``): the Dafen art-industry association's
workstation with the mediation administrator on its staff, and requests of the demo artist and agency in several
states: new, in progress with a note, and closed with a rating; a training event the artist signed up for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from artrights.accounts.models import Organisation, OrganisationKind, Role
from artrights.registry.models import Work

from . import services
from .models import ServiceRequest


def load(users: Mapping[str, Any], works: Sequence[Work]) -> list[ServiceRequest]:
    """Create the workstation and its requests; returns the requests."""
    admin, clerk = users[Role.ADMIN], users[Role.MEDIATION_ADMIN]
    artist, agency = users[Role.ARTIST], users[Role.AGENCY]
    host = Organisation.objects.filter(kind=OrganisationKind.WORKSTATION, name__contains="大芬").first()
    if host is None:
        return []
    station = services.set_up_workstation(
        user=admin,
        organisation=host,
        name="大芬美术产业协会知识产权保护工作站",
        sector="油画及美术产业",
        address=host.address or "深圳市龙岗区布吉街道大芬油画村",
        staff=[clerk],
    )
    title = works[0].title if works else "大芬写生"
    closed = services.submit_request(
        user=artist,
        workstation=station,
        type="consult",
        description=f"《{title}》的复制品在大芬的画廊出售，想了解可以采取哪些维权措施。",
    )
    services.triage(user=clerk, request=closed)
    services.add_note(user=clerk, request=closed, text="已约见面谈，介绍了证据固化、调解和举报的途径。")
    closed = services.close(
        user=clerk, request=closed, outcome="已解答：建议先在平台固化证据，再申请调解；已提供调解申请指引。"
    )
    services.rate(user=artist, request=closed, rating=5, comment="讲解清楚，很有帮助。")
    working = services.submit_request(
        user=agency,
        workstation=station,
        type="registration_assist",
        description="代理画家批量登记 12 幅油画，请工作站协助核对作品说明和权属材料。",
    )
    services.triage(user=clerk, request=working)
    services.start(user=clerk, request=working)
    services.add_note(user=clerk, request=working, text="已核对前 6 幅的材料，剩余 6 幅待补充创作过程照片。")
    waiting = services.submit_request(
        user=artist,
        workstation=station,
        type="training_signup",
        description="想参加工作站下个月的版权登记与维权培训。",
    )
    training = services.schedule_training(
        user=clerk,
        workstation=station,
        topic="美术作品版权登记与维权实务",
        starts_at=timezone.now().replace(hour=6, minute=30, second=0, microsecond=0) + dt.timedelta(days=14),
        place="大芬美术馆二楼报告厅",
        capacity=40,
    )
    services.sign_up(user=artist, event=training)
    return [closed, working, waiting]
