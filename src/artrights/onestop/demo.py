"""The one-stop service's part of the demo data (``artrights demo``): the Dafen art-industry association's
workstation with the mediation administrator on its staff, and requests of the demo artist and agency in several
states: new, in progress with a note, closed with a rating, a mediation referral forwarded as a case to the
mediation committee and registration help that left a draft in the artist's name; a training event the artist
signed up for."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from artrights.accounts.models import Organisation, OrganisationKind, Role
from artrights.mediation.demo import GALLERY
from artrights.mediation.services import CaseInput
from artrights.registry.models import Work
from artrights.registry.services import SampleInput

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
    referral = services.submit_request(
        user=artist,
        workstation=station,
        type="mediation_referral",
        description="大芬一家画廊出售我的油画复制品，协商未果，希望通过调解解决。",
    )
    services.triage(user=clerk, request=referral)
    mediation_org = Organisation.objects.filter(kind=OrganisationKind.MEDIATION_ORG, is_active=True).first()
    if mediation_org is not None and artist.party is not None:
        services.refer_to_mediation(
            user=clerk,
            request=referral,
            data=CaseInput(
                dispute_type="infringement",
                summary="被申请人在大芬的画廊出售申请人油画的复制品，经工作站协商未果。",
                respondents=[GALLERY],
                claims=[("停止销售复制品并赔偿损失", "8000")],
                organisation_id=mediation_org.pk,
                work_ids=[works[0].pk] if works else [],
            ),
        )
    helped = services.submit_request(
        user=artist,
        workstation=station,
        type="registration_assist",
        description="第一次登记作品，请工作站协助填写登记申请。",
    )
    services.triage(user=clerk, request=helped)
    services.prepare_draft(
        user=clerk,
        request=helped,
        fields={
            "title": "大芬村的黄昏",
            "work_type": "FINE_ART",
            "authors": [{"name": artist.party.name, "signature": artist.party.name}] if artist.party else [],
            "completed_on": dt.date(2026, 9, 12),
            "rights": ["reproduction", "distribution", "exhibition", "network"],
            "description": "布面油画，60×80 厘米，描绘大芬村黄昏时的巷口。",
        },
        owners=[],
        files=[SampleInput(SimpleUploadedFile("大芬村的黄昏.png", _painting(), content_type="image/png"))],
    )
    return [closed, working, waiting, referral, helped]


def _painting() -> bytes:
    """A small generated painting for the demo draft (the demo ships no image files)."""
    image = Image.new("RGB", (480, 360), (236, 196, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 360), fill=(120, 84, 60))
    draw.ellipse((330, 60, 420, 150), fill=(250, 140, 60))
    for x in range(20, 480, 70):
        draw.rectangle((x, 150, x + 40, 230), fill=(90 + x % 60, 110, 150 - x % 50))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
