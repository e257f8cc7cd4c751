"""Licence offers, licence and transfer contracts with their signatures, royalty reports and payments, exchange
listings, bids and trades, and pledge financing (DOMAIN.md §6).

A contract signed by every party becomes the registry's contract filing (``registry.ContractFiling``, logged
there); the exchange's trade ends in a filed transfer contract. Money is in yuan (Decimal, two places).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artrights.core.statemachine import Transition, Workflow

from . import integrity

CENT = Decimal("0.01")


def _money(value: Decimal | int | str) -> str:
    """A sum as the hash sees it: two decimal places, whatever form it was given in."""
    return str(Decimal(value).quantize(CENT))


def right_labels(rights: list[str]) -> list[str]:
    """The rights' names (Copyright Law Art. 10) in the active language."""
    from artrights.registry.models import Right

    labels = dict(Right.choices)
    return [str(labels.get(r, r)) for r in rights]


class Exclusivity(models.TextChoices):
    SOLE = integrity.SOLE, _("独占许可")
    EXCLUSIVE = integrity.EXCLUSIVE, _("排他许可")
    NON_EXCLUSIVE = integrity.NON_EXCLUSIVE, _("普通许可")


class Territory(models.TextChoices):
    """Where a licence or a transfer applies. A province (GB/T 2260 code) lies inside the mainland, and every
    territory inside worldwide (``integrity.territory_contains``)."""

    MAINLAND = integrity.MAINLAND, _("中国大陆")
    HONG_KONG = "hong_kong", _("香港")
    MACAO = "macao", _("澳门")
    TAIWAN = "taiwan", _("台湾")
    WORLDWIDE = integrity.WORLDWIDE, _("全球")
    BEIJING = "cn-11", _("北京市")
    TIANJIN = "cn-12", _("天津市")
    HEBEI = "cn-13", _("河北省")
    SHANXI = "cn-14", _("山西省")
    INNER_MONGOLIA = "cn-15", _("内蒙古自治区")
    LIAONING = "cn-21", _("辽宁省")
    JILIN = "cn-22", _("吉林省")
    HEILONGJIANG = "cn-23", _("黑龙江省")
    SHANGHAI = "cn-31", _("上海市")
    JIANGSU = "cn-32", _("江苏省")
    ZHEJIANG = "cn-33", _("浙江省")
    ANHUI = "cn-34", _("安徽省")
    FUJIAN = "cn-35", _("福建省")
    JIANGXI = "cn-36", _("江西省")
    SHANDONG = "cn-37", _("山东省")
    HENAN = "cn-41", _("河南省")
    HUBEI = "cn-42", _("湖北省")
    HUNAN = "cn-43", _("湖南省")
    GUANGDONG = "cn-44", _("广东省")
    GUANGXI = "cn-45", _("广西壮族自治区")
    HAINAN = "cn-46", _("海南省")
    CHONGQING = "cn-50", _("重庆市")
    SICHUAN = "cn-51", _("四川省")
    GUIZHOU = "cn-52", _("贵州省")
    YUNNAN = "cn-53", _("云南省")
    TIBET = "cn-54", _("西藏自治区")
    SHAANXI = "cn-61", _("陕西省")
    GANSU = "cn-62", _("甘肃省")
    QINGHAI = "cn-63", _("青海省")
    NINGXIA = "cn-64", _("宁夏回族自治区")
    XINJIANG = "cn-65", _("新疆维吾尔自治区")


class RoyaltyModel(models.TextChoices):
    LUMP_SUM = "lump_sum", _("一次性总付")
    RUNNING_ROYALTY = "running_royalty", _("按销售提成")
    PER_UNIT = "per_unit", _("按件计酬")
    MINIMUM_GUARANTEE = "minimum_guarantee", _("保底加提成")
    ADVANCE = "advance", _("预付金（可抵扣提成）")


# The models whose licensee reports sales each period and pays on them.
RUNNING_MODELS = (
    RoyaltyModel.RUNNING_ROYALTY,
    RoyaltyModel.PER_UNIT,
    RoyaltyModel.MINIMUM_GUARANTEE,
    RoyaltyModel.ADVANCE,
)


class ContractKind(models.TextChoices):
    LICENCE = "licence", _("许可合同")
    TRANSFER = "transfer", _("转让合同")


class Terms(models.Model):
    """What an offer proposes and a contract grants (Copyright Law Arts 26–27): the scope and the price."""

    rights = models.JSONField(_("权利种类"), default=list)
    exclusivity = models.CharField(
        _("许可方式"), max_length=20, choices=Exclusivity.choices, default=Exclusivity.NON_EXCLUSIVE
    )
    territory = models.CharField(_("地域范围"), max_length=20, choices=Territory.choices, default=Territory.MAINLAND)
    media = models.CharField(_("使用媒介与渠道"), max_length=200, blank=True)
    sublicensable = models.BooleanField(_("可转许可"), default=False)
    royalty_model = models.CharField(
        _("付费方式"), max_length=20, choices=RoyaltyModel.choices, default=RoyaltyModel.LUMP_SUM
    )
    price = models.DecimalField(_("总价/保底/预付金额（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    royalty_rate = models.DecimalField(_("提成比例（%）"), max_digits=5, decimal_places=2, default=Decimal(0))
    unit_fee = models.DecimalField(_("每件报酬（元）"), max_digits=12, decimal_places=2, default=Decimal(0))
    reporting_months = models.PositiveSmallIntegerField(_("报告周期（月）"), default=3)

    class Meta:
        abstract = True

    def rights_labels(self) -> list[str]:
        return right_labels(self.rights)

    @property
    def is_running(self) -> bool:
        return self.royalty_model in RUNNING_MODELS

    def royalty_of(self, *, revenue: Decimal, units: int) -> Decimal:
        """The royalty one period's sales earn: a fee per unit, or a percentage of net revenue."""
        if self.royalty_model == RoyaltyModel.PER_UNIT:
            return (self.unit_fee * units).quantize(CENT)
        return (revenue * self.royalty_rate / 100).quantize(CENT)


class OfferStatus(models.TextChoices):
    OPEN = "open", _("开放中")
    WITHDRAWN = "withdrawn", _("已撤回")
    CLOSED = "closed", _("已关闭")


class OfferClosedReason(models.TextChoices):
    PARENT_EXPIRED = "parent_expired", _("原许可合同已到期")
    PARENT_ENDED = "parent_ended", _("原许可合同已终止")


OFFER_FLOW = Workflow(
    [
        Transition.of("withdraw", OfferStatus.OPEN, OfferStatus.WITHDRAWN),
        # A sub-licence offer ends with the licence it is granted under (nothing is left to sub-license).
        Transition.of("close", OfferStatus.OPEN, OfferStatus.CLOSED),
    ]
)


class Offer(Terms):
    """A rights holder's standing offer to license (or sell) rights in a registered work, shown in the catalogue."""

    work = models.ForeignKey("registry.Work", verbose_name=_("作品"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=ContractKind.choices, default=ContractKind.LICENCE)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licence_offers")
    licensor = models.ForeignKey("core.Party", verbose_name=_("许可方"), on_delete=models.PROTECT, related_name="+")
    # An offer to sub-license, made by the licensee of this licence.
    parent = models.ForeignKey(
        "Contract",
        verbose_name=_("原许可合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sublicence_offers",
    )
    term_months = models.PositiveSmallIntegerField(_("许可期限（月）"), default=12)
    note = models.TextField(_("说明"), blank=True, max_length=2000)
    status = models.CharField(_("状态"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    closed_reason = models.CharField(_("关闭原因"), max_length=20, choices=OfferClosedReason.choices, blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("许可要约")
        verbose_name_plural = _("许可要约")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.work.title} · {self.get_exclusivity_display()}"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("待签署")
    FILED = "filed", _("已签署并备案")
    TERMINATED = "terminated", _("已终止")
    CANCELLED = "cancelled", _("已取消")


class TerminationGround(models.TextChoices):
    """Why a filed licence ended before its term (Civil Code Arts 562–563)."""

    MUTUAL = "mutual", _("双方协商一致解除")
    BREACH = "breach", _("对方违约，依法或依约解除")
    FRUSTRATION = "frustration", _("不可抗力致使合同目的不能实现")
    OTHER = "other", _("其他法定或约定的解除事由")
    # Not chosen by a side: a sub-licence ends with the licence it was granted under (Art. 24 Implementing Regs).
    PARENT_TERMINATED = "parent_terminated", _("上级许可已终止")


CONTRACT_FLOW = Workflow(
    [
        Transition.of("amend", ContractStatus.DRAFT, ContractStatus.DRAFT),
        Transition.of("file", ContractStatus.DRAFT, ContractStatus.FILED),
        Transition.of("cancel", ContractStatus.DRAFT, ContractStatus.CANCELLED),
        Transition.of("terminate", ContractStatus.FILED, ContractStatus.TERMINATED),
    ]
)


class Contract(Terms):
    """A licence or transfer contract between the holder of the rights and a licensee or transferee.

    Its terms hash (``sha256``, of the canonical JSON ``terms_document``) is what every signature binds; a change
    after the first signature drops the signatures. Signed by every party (and every co-owner where §6.1 asks),
    it is filed as the registry's contract filing, whose log statement carries the same hash.
    """

    number = models.CharField(_("合同编号"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=ContractKind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    work = models.ForeignKey("registry.Work", verbose_name=_("作品"), on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    # A sub-licence: the licence under which its licensor (that licence's licensee) grants it.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("原许可合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sublicences",
    )
    licensor = models.ForeignKey(
        "core.Party", verbose_name=_("许可方/转让方"), on_delete=models.PROTECT, related_name="+"
    )
    licensee = models.ForeignKey(
        "core.Party", verbose_name=_("被许可方/受让方"), on_delete=models.PROTECT, related_name="+"
    )
    licensor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_licensor"
    )
    licensee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_licensee"
    )
    licensee_industry = models.CharField(_("被许可方行业"), max_length=60, blank=True)
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("终止日期"), null=True, blank=True)
    sha256 = models.CharField(_("合同哈希（SHA-256）"), max_length=64)
    pledge_consents = models.ManyToManyField("registry.PledgeConsent", blank=True, related_name="+")
    # The other co-owners of a joint work, who must sign a transfer or an exclusive licence too (Art. 14).
    co_owners = models.ManyToManyField("core.Party", blank=True, related_name="+")
    # Lists the parties were on when the contract was made (credit), shown to both sides: [{party, list, number}].
    credit_flags = models.JSONField(_("信用提示"), default=list, blank=True)
    filing = models.OneToOneField(
        "registry.ContractFiling", null=True, blank=True, on_delete=models.PROTECT, related_name="licensing_contract"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    # A filed licence ended early by one of its sides: the day it ended, why, and who recorded it when.
    terminated_on = models.DateField(_("终止日"), null=True, blank=True)
    termination_ground = models.CharField(_("终止事由"), max_length=20, choices=TerminationGround.choices, blank=True)
    termination_reason = models.TextField(_("终止说明"), max_length=1000, blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    terminated_at = models.DateTimeField(_("终止登记时间"), null=True, blank=True)
    termination_log_index = models.BigIntegerField(_("终止的日志序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("许可/转让合同")
        verbose_name_plural = _("许可/转让合同")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_filed(self) -> bool:
        return self.status == ContractStatus.FILED

    @property
    def royalty_end(self) -> dt.date | None:
        """The last day royalties are earned: the end of the term, or the termination day when it ended early."""
        if self.terminated_on is not None:
            return min(self.terminated_on, self.valid_until) if self.valid_until else self.terminated_on
        return self.valid_until

    @property
    def takes_royalties(self) -> bool:
        """Reports and payments are recorded on a filed licence, and on a terminated one for the time before its
        termination (what was earned until then is still owed)."""
        return self.status in (ContractStatus.FILED, ContractStatus.TERMINATED)

    def termination_reason_text(self) -> str:
        """Why it was terminated, in the reader's language: the reason a side gave, or, for a sub-licence that
        ended with the licence it was granted under, a sentence naming that licence (nothing stored to translate)."""
        if self.termination_ground == TerminationGround.PARENT_TERMINATED:
            number = self.parent.number if self.parent is not None else ""
            return gettext("原许可合同 %(number)s 终止，依其授予的本转许可合同同日终止。") % {"number": number}
        return self.termination_reason

    def open_termination_proposal(self) -> TerminationProposal | None:
        """The proposal to end it by mutual agreement still waiting for the other side's answer, if any."""
        return self.termination_proposals.filter(status=ProposalStatus.OPEN).select_related("proposed_by").first()

    def in_force_on(self, day: dt.date) -> bool:
        return self.is_filed and self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def terms_document(self) -> dict[str, Any]:
        """The terms every signature binds, as canonical-JSON-ready data (no personal data beyond the parties)."""
        return {
            "type": "artrights/licensing-contract@v1",
            "number": self.number,
            "version": self.version,
            "kind": self.kind,
            "work": self.work.number,
            "licensor": {"name": self.licensor.name, "id_type": self.licensor.id_type, "id": self.licensor.id_number},
            "licensee": {"name": self.licensee.name, "id_type": self.licensee.id_type, "id": self.licensee.id_number},
            "rights": sorted(self.rights),
            "exclusivity": self.exclusivity if self.kind == ContractKind.LICENCE else None,
            "territory": self.territory,
            "media": self.media,
            "sublicensable": self.sublicensable,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "royalty_model": self.royalty_model,
            "price": _money(self.price),
            "royalty_rate": _money(self.royalty_rate),
            "unit_fee": _money(self.unit_fee),
            "reporting_months": self.reporting_months,
        } | ({"sublicence_of": self.parent.number} if self.parent is not None else {})

    def grant(self) -> integrity.Grant:
        return integrity.Grant(
            rights=frozenset(self.rights),
            exclusivity=self.exclusivity,
            territory=self.territory,
            start=self.valid_from,
            end=self.valid_until,
            label=self.number,
        )


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("待对方答复")
    AGREED = "agreed", _("对方已同意，合同已终止")
    DECLINED = "declined", _("对方已拒绝")
    WITHDRAWN = "withdrawn", _("提出方已撤回")
    LAPSED = "lapsed", _("合同已另行终止或期满，提议失效")


PROPOSAL_FLOW = Workflow(
    [
        # The other side agrees: the licence is terminated on the proposed day, in the same transaction.
        Transition.of("agree", ProposalStatus.OPEN, ProposalStatus.AGREED),
        Transition.of("decline", ProposalStatus.OPEN, ProposalStatus.DECLINED),
        Transition.of("withdraw", ProposalStatus.OPEN, ProposalStatus.WITHDRAWN),
        # The licence ended otherwise (terminated on another ground, with its parent, or its term ran out).
        Transition.of("lapse", ProposalStatus.OPEN, ProposalStatus.LAPSED),
    ]
)


class TerminationProposal(models.Model):
    """One side's proposal to end a filed licence by mutual agreement (Civil Code Art. 562) on a day, with the
    reason; the licence is terminated only when the other side agrees. One open proposal per licence."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="termination_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    on_date = models.DateField(_("提议的终止日"))
    reason = models.TextField(_("解除说明"), max_length=1000)
    status = models.CharField(_("状态"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    # Who answered it (agreed, declined or withdrew) and when; a decline may say why.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.TextField(_("答复说明"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("协商解除提议")
        verbose_name_plural = _("协商解除提议")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status="open"),
                name="one_open_termination_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.on_date}"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN

    def proposer_side(self) -> str:
        """The name of the party that proposed it (the licensor or the licensee)."""
        contract = self.contract
        return contract.licensor.name if self.proposed_by_id == contract.licensor_user_id else contract.licensee.name


class SignerRole(models.TextChoices):
    LICENSOR = "licensor", _("许可方/转让方")
    LICENSEE = "licensee", _("被许可方/受让方")
    CO_OWNER = "co_owner", _("共有人")


class Signature(models.Model):
    """One account's signature on one version of a contract: bound to the account and the terms hash.

    ``digest`` is SHA-256 over the canonical JSON of {contract hash, account, party, role, time}; it is kept
    when the terms change, but ``dropped_at`` marks it as no longer signing the contract.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=20, choices=SignerRole.choices)
    contract_sha256 = models.CharField(_("签署的合同哈希"), max_length=64)
    digest = models.CharField(_("签名摘要"), max_length=64)
    signed_at = models.DateTimeField(_("签署时间"))
    dropped_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签署")
        verbose_name_plural = _("签署")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.contract} · {self.party}"

    @property
    def is_valid(self) -> bool:
        return self.dropped_at is None and self.contract_sha256 == self.contract.sha256


class RoyaltyReport(models.Model):
    """The licensee's sales report for one period of a running-royalty licence, and the royalty it makes due."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="royalty_reports")
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    revenue = models.DecimalField(_("净销售额（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    units = models.PositiveIntegerField(_("销售件数"), default=0)
    royalty = models.DecimalField(_("提成金额（元）"), max_digits=14, decimal_places=2)
    recouped = models.DecimalField(_("以预付金抵扣（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    # Minimum guarantee: what the period's royalty fell short of the period's share of the guarantee.
    top_up = models.DecimalField(_("保底差额（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    amount_due = models.DecimalField(_("应付金额（元）"), max_digits=14, decimal_places=2)
    payment_due = models.DateField(_("付款期限"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("许可使用费报告")
        verbose_name_plural = _("许可使用费报告")
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["contract", "period_start"], name="royalty_report_period")]

    def __str__(self) -> str:
        return f"{self.contract} {self.period_start}–{self.period_end}"

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments.all()), Decimal(0))

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.paid, Decimal(0))


class RoyaltyPayment(models.Model):
    """A payment the licensee made against a report (or the contract's lump sum, advance or guarantee)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    report = models.ForeignKey(RoyaltyReport, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("付款日期"))
    reference = models.CharField(_("付款凭证号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("付款")
        verbose_name_plural = _("付款")
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"{self.contract} {self.amount}"


class Reminder(models.Model):
    """A reminder sent once for one missing report or one unpaid report (the periodic task keeps it to one)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=20)  # "report" or "payment"
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind", "period_start"], name="royalty_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.kind} {self.period_start}"


class TradingMethod(models.TextChoices):
    AGREEMENT = "agreement", _("协议转让")
    AUCTION = "auction", _("拍卖")


class ListingStatus(models.TextChoices):
    PUBLISHED = "published", _("挂牌中")
    MATCHED = "matched", _("已成交")
    WITHDRAWN = "withdrawn", _("已撤牌")
    UNSOLD = "unsold", _("流拍")


LISTING_FLOW = Workflow(
    [
        Transition.of("match", ListingStatus.PUBLISHED, ListingStatus.MATCHED),
        Transition.of("withdraw", ListingStatus.PUBLISHED, ListingStatus.WITHDRAWN),
        # An auction whose bidding ended without a single bid: nobody can win it any more.
        Transition.of("lapse", ListingStatus.PUBLISHED, ListingStatus.UNSOLD),
    ]
)


class Listing(models.Model):
    """挂牌 (DOMAIN.md §6.4): the transfer of whole rights in a work, by agreement transfer or auction only."""

    number = models.CharField(_("挂牌编号"), max_length=40, unique=True)
    work = models.ForeignKey("registry.Work", verbose_name=_("作品"), on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey("core.Party", verbose_name=_("出让方"), on_delete=models.PROTECT, related_name="+")
    seller_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="listings")
    rights = models.JSONField(_("转让的权利"), default=list)
    territory = models.CharField(_("地域范围"), max_length=20, choices=Territory.choices, default=Territory.WORLDWIDE)
    method = models.CharField(_("交易方式"), max_length=20, choices=TradingMethod.choices)
    price = models.DecimalField(_("挂牌价/起拍价（元）"), max_digits=14, decimal_places=2)
    disclosure_until = models.DateField(_("信息披露期至"))
    # An auction's terms: bidding ends after the disclosure; each bidder pays the deposit first (保证金).
    bidding_ends_at = models.DateTimeField(_("竞价截止时间"), null=True, blank=True)
    deposit = models.DecimalField(_("竞买保证金（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    increment = models.DecimalField(_("加价幅度（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    status = models.CharField(_("状态"), max_length=20, choices=ListingStatus.choices, default=ListingStatus.PUBLISHED)
    created_at = models.DateTimeField(_("挂牌时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("挂牌")
        verbose_name_plural = _("挂牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    def rights_labels(self) -> list[str]:
        return right_labels(self.rights)

    def highest_bid(self) -> Bid | None:
        return self.bids.order_by("-amount", "at").first()

    @property
    def is_auction(self) -> bool:
        return self.method == TradingMethod.AUCTION

    def bidding_over(self, now: dt.datetime) -> bool:
        return self.bidding_ends_at is not None and now >= self.bidding_ends_at

    def ended_unsold(self, now: dt.datetime) -> bool:
        """A published auction whose bidding is over without any bid (流拍)."""
        return (
            self.is_auction
            and self.status == ListingStatus.PUBLISHED
            and self.bidding_over(now)
            and not self.bids.exists()
        )


class DepositStatus(models.TextChoices):
    HELD = "held", _("已交纳")
    APPLIED = "applied", _("转作成交价款")
    TO_RETURN = "to_return", _("待退还")
    RETURNED = "returned", _("已退还")


DEPOSIT_FLOW = Workflow(
    [
        Transition.of("apply", DepositStatus.HELD, DepositStatus.APPLIED),
        Transition.of("release", DepositStatus.HELD, DepositStatus.TO_RETURN),
        # Recorded once the exchange has paid the money back; it cannot be undone.
        Transition.of("return", DepositStatus.TO_RETURN, DepositStatus.RETURNED),
    ]
)


class Deposit(models.Model):
    """竞买保证金: what a bidder paid into the exchange before bidding, and what becomes of it at the award."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="deposits")
    bidder = models.ForeignKey("core.Party", verbose_name=_("竞买人"), on_delete=models.PROTECT, related_name="+")
    bidder_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("交纳日期"))
    reference = models.CharField(_("付款凭证号"), max_length=60)
    status = models.CharField(_("状态"), max_length=20, choices=DepositStatus.choices, default=DepositStatus.HELD)
    recorded_at = models.DateTimeField(auto_now_add=True)
    returned_on = models.DateField(_("退还日期"), null=True, blank=True)
    return_reference = models.CharField(_("退款凭证号"), max_length=60, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("退还登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("竞买保证金")
        verbose_name_plural = _("竞买保证金")
        ordering = ["recorded_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["listing", "bidder"], name="one_deposit_per_bidder")]

    def __str__(self) -> str:
        return f"{self.listing} {self.bidder} {self.amount}"

    @property
    def returnable(self) -> bool:
        return DEPOSIT_FLOW.can(self, "return")


class Bid(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    bidder_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("出价（元）"), max_digits=14, decimal_places=2)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("竞价")
        verbose_name_plural = _("竞价")
        ordering = ["-amount", "at"]

    def __str__(self) -> str:
        return f"{self.listing} {self.amount}"


class TradeStatus(models.TextChoices):
    SIGNED = "signed", _("待签署")
    FILED = "filed", _("已备案")


class Trade(models.Model):
    """成交: the buyer and price a listing matched; it ends in a transfer contract filed with the registry."""

    number = models.CharField(_("成交编号"), max_length=40, unique=True)
    listing = models.OneToOneField(Listing, on_delete=models.PROTECT, related_name="trade")
    buyer = models.ForeignKey("core.Party", verbose_name=_("受让方"), on_delete=models.PROTECT, related_name="+")
    buyer_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trades_bought")
    price = models.DecimalField(_("成交价（元）"), max_digits=14, decimal_places=2)
    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="trade")
    status = models.CharField(_("状态"), max_length=20, choices=TradeStatus.choices, default=TradeStatus.SIGNED)
    matched_at = models.DateTimeField(_("成交时间"), auto_now_add=True)
    settled_on = models.DateField(_("交割日"), null=True, blank=True)

    class Meta:
        verbose_name = _("成交")
        verbose_name_plural = _("成交")
        ordering = ["-matched_at"]

    def __str__(self) -> str:
        return self.number


class Financing(models.Model):
    """Pledge financing: a registered pledge of the registry and the filed licences whose income it secures."""

    pledge = models.OneToOneField("registry.Pledge", on_delete=models.PROTECT, related_name="financing")
    contracts = models.ManyToManyField(Contract, related_name="financings")
    lender = models.CharField(_("贷款人"), max_length=100)
    loan_amount = models.DecimalField(_("贷款金额（元）"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("质押融资")
        verbose_name_plural = _("质押融资")

    def __str__(self) -> str:
        return f"{self.pledge} · {self.lender}"


class Counter(models.Model):
    """The last number issued per series and year (contracts, listings, trades); bumped in the same transaction."""

    series = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="licensing_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"
