"""Test data for the fund: programmes, registered works of a Shenzhen owner, applications, made through the
apps' own services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from artrights.credit.tests.factories import resident_id
from artrights.funding import services
from artrights.funding.models import Application, Programme
from artrights.registry import services as registry
from artrights.registry.models import Work
from artrights.registry.tests.factories import samples, work_fields

_serials = itertools.count(1)
FORM = "资助申请表"


def shenzhen_identity(name: str = "郑深圳") -> dict[str, str]:
    """A verified identity with a Shenzhen resident ID (the programmes' default eligibility)."""
    return {"name": name, "id_type": "resident_id", "id_number": resident_id()}


def programme(admin: Any, **overrides: Any) -> Programme:
    """An open programme paying 1000 yuan per granted work or software registration (and training events), 3000
    per applicant a year, a budget of 100000, one required document."""
    serial = next(_serials)
    day = timezone.localdate()
    fields: dict[str, Any] = {
        "code": f"SZ-TEST-{serial}",
        "name": f"著作权登记资助（测试{serial}）",
        "name_en": f"Registration subsidy (test {serial})",
        "item_kinds": ["work_registration", "software_registration", "training_event"],
        "amount_rule": "per_item",
        "amount": "1000.00",
        "cap_per_applicant_year": "3000.00",
        "budget": "100000.00",
        "opens_on": day - dt.timedelta(days=30),
        "closes_on": day + dt.timedelta(days=30),
        "required_documents": [FORM],
        "review_days": 20,
    }
    fields.update(overrides)
    return services.create_programme(user=admin, fields=fields)


def registered_work(owner: Any, registrar: Any, *, seed: int | None = None, title: str = "") -> Work:
    """A work of ``owner`` (filed in their own name) that the registrar has registered."""
    serial = seed if seed is not None else next(_serials) + 300
    work = registry.create_application(
        user=owner,
        fields=work_fields(title=title or f"深圳湾的早晨{serial}"),
        owners=[],
        files=samples(seed=serial),
    )
    registry.submit(work=work, user=owner)
    registry.accept(work=work, registrar=registrar)
    registry.start_review(work=work, registrar=registrar)
    return registry.register(work=work, registrar=registrar)


def form(name: str = "资助申请表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% funding application form\n", content_type="application/pdf")


def application(user: Any, programme: Programme, works: list[Work], **kwargs: Any) -> Application:
    """``user`` applies for their own registered ``works`` (the required document given)."""
    kwargs.setdefault("documents", {name: form() for name in programme.required_documents})
    return services.apply(
        user=user,
        programme=programme,
        applicant=kwargs.pop("applicant", None) or user.party,
        keys=[f"registry.work:{w.pk}" for w in works],
        **kwargs,
    )
