"""The fund's part of the demo data (``artrights demo``): three programmes set up by the supervisor (the fund's
administrator), and the demo artist's applications in several states: granted and paid, awaiting review, refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from artrights.accounts.models import Role
from artrights.core.audit import context as audit_context
from artrights.registry.models import Kind, Status, Work

from . import services
from .models import Application

FORM = "资助申请表"
IDENTITY = "身份证明"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"%PDF-1.4\n% {name}\n".encode(), content_type="application/pdf")


def _documents(*names: str) -> dict[str, Any]:
    return {name: _pdf(f"{name}.pdf") for name in names}


def load(users: Mapping[str, Any], works: Sequence[Work]) -> list[Application]:
    """Create the fund's demo data from the registry demo's works; returns the applications."""
    supervisor, artist = users[Role.SUPERVISOR], users[Role.ARTIST]
    day = timezone.localdate()
    window = {"opens_on": day - dt.timedelta(days=30), "closes_on": day + dt.timedelta(days=60)}
    # As they stand now (the registry's load returns the works as it first made them).
    registered = list(
        Work.objects.filter(pk__in=[w.pk for w in works], status=Status.REGISTERED, applicant=artist).order_by("pk")
    )
    painting = next(w for w in registered if w.kind == Kind.REGISTRATION)
    software = next(w for w in registered if w.kind == Kind.SOFTWARE)
    with audit_context(actor=supervisor, via="cli"):
        works_programme = services.create_programme(
            user=supervisor,
            fields={
                "code": f"SZ-{day.year}-ZPDJ",
                "name": f"{day.year}年度作品著作权登记资助",
                "name_en": f"Work registration subsidy {day.year}",
                "item_kinds": ["work_registration"],
                "amount_rule": "per_class",
                "amount": Decimal("500"),
                "class_amounts": {"FINE_ART": "2000", "PHOTOGRAPHY": "1000", "AUDIOVISUAL": "3000"},
                "cap_per_applicant_year": Decimal("20000"),
                "budget": Decimal("500000"),
                "registered_from": dt.date(day.year - 1, 1, 1),
                "required_documents": [FORM, IDENTITY],
                "review_days": 20,
                **window,
            },
        )
        software_programme = services.create_programme(
            user=supervisor,
            fields={
                "code": f"SZ-{day.year}-RJDJ",
                "name": f"{day.year}年度计算机软件著作权登记资助",
                "name_en": f"Software registration subsidy {day.year}",
                "item_kinds": ["software_registration"],
                "amount_rule": "per_item",
                "amount": Decimal("1000"),
                "cap_per_applicant_year": Decimal("10000"),
                "budget": Decimal("300000"),
                "required_documents": [FORM],
                "review_days": 20,
                **window,
            },
        )
        training_programme = services.create_programme(
            user=supervisor,
            fields={
                "code": f"SZ-{day.year}-PXXC",
                "name": f"{day.year}年度知识产权培训宣传活动资助",
                "name_en": f"IP training and awareness subsidy {day.year}",
                "item_kinds": ["training_event"],
                "amount_rule": "fee_share",
                "amount": Decimal("20000"),
                "fee_share_percent": 50,
                "cap_per_applicant_year": Decimal("40000"),
                "budget": Decimal("200000"),
                "required_documents": [FORM, "活动签到表和照片"],
                "review_days": 15,
                **window,
            },
        )
    with audit_context(actor=artist, via="cli"):
        paid = services.apply(
            user=artist,
            programme=works_programme,
            applicant=artist.party,
            keys=[f"registry.work:{painting.pk}"],
            documents=_documents(FORM, IDENTITY),
        )
        waiting = services.apply(
            user=artist,
            programme=software_programme,
            applicant=artist.party,
            keys=[f"registry.work:{software.pk}"],
            documents=_documents(FORM),
        )
        refused = services.apply(
            user=artist,
            programme=training_programme,
            applicant=artist.party,
            keys=[],
            training=services.TrainingInput("大芬村油画版权保护讲座", day - dt.timedelta(days=7), Decimal("8000")),
            documents=_documents(FORM, "活动签到表和照片"),
        )
    with audit_context(actor=supervisor, via="cli"):
        item = paid.items.get()
        paid = services.approve(user=supervisor, application=paid, amounts={item.pk: item.claimed})
        services.pay(
            user=supervisor,
            application=paid,
            amount=paid.approved_total,
            paid_on=day,
            voucher_no=f"SZCZ-{day.year}-0001",
        )
        refused = services.refuse(
            user=supervisor,
            application=refused,
            ground="documents",
            note="签到表只有 6 人签名，照片不能证明讲座的规模，请补齐材料后在下一批次重新申请。",
        )
    return [paid, waiting, refused]
