"""What the fund tells people: the applicant of the decision on their application and of the payment."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

from .models import Status

DECIDED = register(
    Kind(
        "funding.decided",
        label=_("资助申请审核结果"),
        title=_("资助申请 %(number)s：%(outcome)s"),
        body=_("项目：%(programme)s。核定金额：%(amount)s 元。%(note)s"),
        coded={"outcome": Status},
    )
)
PAID = register(
    Kind(
        "funding.paid",
        label=_("资助资金拨付"),
        title=_("资助申请 %(number)s 的资金已拨付"),
        body=_("拨付金额：%(amount)s 元，拨付日期：%(date)s，凭证号：%(voucher)s。"),
    )
)
