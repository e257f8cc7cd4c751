"""The city's IP special fund (issue 18): programmes that pay for granted registrations, closed mediation cases and
training events; applications by owners or their agencies; decisions, payments and the credit checks that joint
punishment asks for (DOMAIN.md §3.2: "restrict or strictly review government funds").

Amounts are yuan with two decimals. An item is subsidised once: the column ``claim`` of an item holds its key once
the item is granted, and a unique constraint keeps a second grant of the same item out, across programmes.
Payments and credit checks are append-only: they are what the fund answers for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from artrights.core.models import AppendOnlyModel
from artrights.core.statemachine import Transition, Workflow
from artrights.credit.models import ListType

CENT = Decimal("0.01")


def in_english() -> bool:
    return (get_language() or "").lower().startswith("en")


class ItemKind(models.TextChoices):
    WORK_REGISTRATION = "work_registration", _("已登记的作品")
    SOFTWARE_REGISTRATION = "software_registration", _("已登记的计算机软件")
    MEDIATION_CASE = "mediation_case", _("已结案的调解案件")
    TRAINING_EVENT = "training_event", _("培训宣传活动")


class AmountRule(models.TextChoices):
    PER_ITEM = "per_item", _("每件定额")
    PER_CLASS = "per_class", _("按作品类别定额")
    FEE_SHARE = "fee_share", _("按费用比例")


class Programme(models.Model):
    """A subsidy programme of the fund: what it pays for and how much, its caps and budget, who is eligible, when
    one may apply and the documents an application needs."""

    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=300, blank=True)
    item_kinds = models.JSONField(_("资助对象"), default=list)
    amount_rule = models.CharField(_("资助标准"), max_length=20, choices=AmountRule.choices)
    # Per item: the amount; per class: the amount for a class not in ``class_amounts`` (0: not paid); fee share:
    # the most paid for one item (0: no limit).
    amount = models.DecimalField(_("每件金额（元）"), max_digits=12, decimal_places=2, default=Decimal(0))
    class_amounts = models.JSONField(_("各类作品金额（元）"), default=dict, blank=True)
    fee_share_percent = models.PositiveSmallIntegerField(_("资助比例（%）"), default=0)
    cap_per_applicant_year = models.DecimalField(_("每个申请人每年上限（元）"), max_digits=12, decimal_places=2)
    budget = models.DecimalField(_("项目预算（元）"), max_digits=14, decimal_places=2)
    local_only = models.BooleanField(_("限本市登记的申请人"), default=True)
    region_code = models.CharField(_("本市行政区划码前缀"), max_length=6, default="4403")
    city_name = models.CharField(_("本市名称"), max_length=40, default="深圳")
    registered_from = models.DateField(_("登记日期起"), null=True, blank=True)
    registered_until = models.DateField(_("登记日期止"), null=True, blank=True)
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"))
    required_documents = models.JSONField(_("须提交的材料"), default=list, blank=True)
    review_days = models.PositiveSmallIntegerField(_("审核期限（工作日）"), default=20)
    department = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("设立人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("设立时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("资助项目")
        verbose_name_plural = _("资助项目")
        ordering = ["-opens_on", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if in_english() and self.name_en else self.name

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on

    def covers(self, kind: str) -> bool:
        return kind in self.item_kinds

    def kind_labels(self) -> list[str]:
        return [str(ItemKind(k).label) for k in self.item_kinds if k in ItemKind.values]

    @property
    def kinds_text(self) -> str:
        return (", " if in_english() else "、").join(self.kind_labels())

    def amount_for(self, *, work_type: str = "", fee: Decimal | None = None) -> Decimal:
        """What the programme pays for one item (0: nothing)."""
        if self.amount_rule == AmountRule.PER_ITEM:
            return self.amount
        if self.amount_rule == AmountRule.PER_CLASS:
            return Decimal(str(self.class_amounts.get(work_type, self.amount))).quantize(CENT)
        share = ((fee or Decimal(0)) * self.fee_share_percent / 100).quantize(CENT)
        return min(share, self.amount) if self.amount else share

    def rules(self) -> dict[str, Any]:
        """The rules as they stand, kept with every decision and payment made under them."""
        return {
            "code": self.code,
            "name": self.name,
            "item_kinds": list(self.item_kinds),
            "amount_rule": self.amount_rule,
            "amount": str(self.amount),
            "class_amounts": {k: str(v) for k, v in self.class_amounts.items()},
            "fee_share_percent": self.fee_share_percent,
            "cap_per_applicant_year": str(self.cap_per_applicant_year),
            "budget": str(self.budget),
            "local_only": self.local_only,
            "region_code": self.region_code,
            "city_name": self.city_name,
            "registered_from": self.registered_from.isoformat() if self.registered_from else None,
            "registered_until": self.registered_until.isoformat() if self.registered_until else None,
            "opens_on": self.opens_on.isoformat(),
            "closes_on": self.closes_on.isoformat(),
            "required_documents": list(self.required_documents),
            "review_days": self.review_days,
        }


class Counter(models.Model):
    """The last application number handed out per year; locked and bumped in the caller's transaction."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("予以资助")
    PARTLY_APPROVED = "partly_approved", _("部分资助")
    REFUSED = "refused", _("不予资助")
    PAID = "paid", _("已拨付")
    WITHDRAWN = "withdrawn", _("已撤回")


GRANTED = (Status.APPROVED, Status.PARTLY_APPROVED)
APPLICATION_FLOW = Workflow(
    [
        Transition.of("approve", Status.SUBMITTED, Status.APPROVED),
        Transition.of("approve_part", Status.SUBMITTED, Status.PARTLY_APPROVED),
        Transition.of("refuse", Status.SUBMITTED, Status.REFUSED),
        Transition.of("pay", GRANTED, Status.PAID),
        Transition.of("withdraw", Status.SUBMITTED, Status.WITHDRAWN),
    ]
)


class RefusalGround(models.TextChoices):
    CREDIT = "credit", _("申请人受联合惩戒措施限制")
    INELIGIBLE = "ineligible", _("不符合资助条件")
    DOCUMENTS = "documents", _("材料不全或不实")
    BUDGET = "budget", _("项目预算不足")
    OTHER = "other", _("其他理由")


class Application(models.Model):
    """An application for a subsidy, by the owner (the party paid) or an agency on the owner's behalf."""

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    programme = models.ForeignKey(
        Programme, verbose_name=_("资助项目"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        "core.Party", verbose_name=_("申请人（受资助人）"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="funding_filed"
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("代理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    review_due = models.DateField(_("审核期限"), db_index=True)
    claimed_total = models.DecimalField(_("申请金额（元）"), max_digits=12, decimal_places=2)
    approved_total = models.DecimalField(_("核定金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    refusal_ground = models.CharField(_("不予资助理由"), max_length=20, choices=RefusalGround.choices, blank=True)
    decision_note = models.TextField(_("审核意见"), max_length=2000, blank=True)
    # The programme's rules when the application was decided (they may change afterwards).
    decision_rules = models.JSONField(_("决定时的项目规则"), default=dict, blank=True)

    class Meta:
        verbose_name = _("资助申请")
        verbose_name_plural = _("资助申请")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_granted(self) -> bool:
        return self.status in GRANTED

    @property
    def committed(self) -> Decimal:
        """Granted and not yet paid."""
        return (self.approved_total or Decimal(0)) if self.is_granted else Decimal(0)


class Item(models.Model):
    """One thing an application asks the fund to pay for: a registration, a mediation case, a training event."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类型"), max_length=30, choices=ItemKind.choices)
    key = models.CharField(_("对象标识"), max_length=200)
    work = models.ForeignKey(
        "registry.Work", verbose_name=_("登记作品"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("登记号/案号/活动名称"), max_length=200)
    dated = models.DateField(_("登记/结案/活动日期"))
    fee = models.DecimalField(_("已缴费用（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    claimed = models.DecimalField(_("申请金额（元）"), max_digits=12, decimal_places=2)
    approved = models.DecimalField(_("核定金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("核定说明"), max_length=300, blank=True)
    # The item's key once it is granted: nothing is subsidised twice, whichever programme paid it.
    claim = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("资助事项")
        verbose_name_plural = _("资助事项")
        ordering = ["application", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="funding_item_once_per_application")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class Document(models.Model):
    """A document the programme requires, as the applicant gave it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("材料名称"), max_length=100)
    stored_file = models.ForeignKey("core.StoredFile", verbose_name=_("文件"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.name


class Payment(AppendOnlyModel):
    """The money paid on a granted application: amount, date and voucher, under the rules then in force."""

    application = models.OneToOneField(
        Application, verbose_name=_("资助申请"), on_delete=models.PROTECT, related_name="payment"
    )
    amount = models.DecimalField(_("拨付金额（元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("拨付日期"), db_index=True)
    voucher_no = models.CharField(_("凭证号"), max_length=60, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("登记时间"))
    rules = models.JSONField(_("拨付时的项目规则"), default=dict)

    class Meta:
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["-paid_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.voucher_no}"


class CheckStage(models.TextChoices):
    APPLY = "apply", _("申报时")
    APPROVE = "approve", _("核定时")


class CreditCheck(AppendOnlyModel):
    """One check of an applicant against the credit lists whose measures restrict funding: when, by whom, what it
    found. Kept whether it passed or not."""

    programme = models.ForeignKey(Programme, verbose_name=_("资助项目"), on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application,
        verbose_name=_("资助申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_checks",
    )
    applicant = models.ForeignKey("core.Party", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("环节"), max_length=10, choices=CheckStage.choices)
    codes = models.JSONField(_("核查的代码"), default=list)
    blocked = models.BooleanField(_("受限制"))
    # [{entry, list_type, measures: [{code, text, text_en}]}]
    findings = models.JSONField(_("核查结果"), default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("核查时间"), db_index=True)

    class Meta:
        verbose_name = _("信用核查记录")
        verbose_name_plural = _("信用核查记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.applicant}"

    def summary(self) -> str:
        """The lists and measures found, in the reader's language."""
        english = in_english()
        parts = []
        for finding in self.findings:
            measures = (", " if english else "、").join(
                f"{m['code']} {m['text_en'] if english else m['text']}" for m in finding.get("measures", [])
            )
            listed = ListType(finding["list_type"]).label if finding["list_type"] in ListType.values else ""
            parts.append(
                f"{listed} {finding['entry']} ({measures})" if english else f"{listed} {finding['entry']}（{measures}）"
            )
        return ("; " if english else "；").join(parts)
