"""IP credit (DOMAIN.md §3): subjects, records of conduct, lists, objections, repair, measures, partner queries and
agency grades.

The catalogues (behaviours, measures, grading indicators) are rows an administrator edits in the back office; the
data migration ``0002_catalogue`` seeds them with the defaults of §3.1–§3.3. Partner queries, measure reports,
annotations and grades are append-only: they are what the platform is accountable for (S20 Art 45: the query log
is kept at least five years, so it is never deleted).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from artrights.core.models import AppendOnlyModel
from artrights.core.statemachine import Transition, Workflow

BEHAVIOUR_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


def in_english() -> bool:
    return (get_language() or "").lower().startswith("en")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day: 31 Jan + 1 month = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


# --- enumerations --------------------------------------------------------------------------------------------


class SubjectType(models.TextChoices):
    NATURAL = "natural", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")
    UNINCORPORATED = "unincorporated", _("非法人组织")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")


class CodeKind(models.TextChoices):
    USCC = "uscc", _("统一社会信用代码")
    RESIDENT_ID = "resident_id", _("居民身份证号码")


class PrincipalRole(models.TextChoices):
    LEGAL_REP = "legal_rep", _("法定代表人")
    PRINCIPAL = "principal", _("主要负责人")
    RESPONSIBLE = "responsible", _("直接责任人员")
    CONTROLLER = "controller", _("实际控制人")


class Severity(models.TextChoices):
    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class Disclosure(models.TextChoices):
    """S20 Art 34: whether the public reads it, only government shares it, or only supervisors see it."""

    PUBLIC = "public", _("社会公开")
    SHARED_ONLY = "shared_only", _("仅政务共享")
    RESTRICTED = "restricted", _("不公开不共享")


class ShareScope(models.TextChoices):
    PARTNERS = "partners", _("联合惩戒成员单位和公共信用平台")
    PLATFORM = "platform", _("仅公共信用平台")
    NONE = "none", _("不共享")


class UpdateFrequency(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class CatalogueSource(models.TextChoices):
    CNIPA_2022 = "cnipa_2022", _("国家知识产权局《知识产权信用管理规定》")
    JOINT_2018 = "joint_2018", _("发改财金〔2018〕1702号联合惩戒备忘录")
    LOCAL = "local", _("广东省、深圳市补充目录")


class ListType(models.TextChoices):
    CNIPA_DISHONEST = "cnipa_dishonest", _("知识产权领域失信主体名单")
    NATIONAL_JOINT_IP = "national_joint_ip", _("知识产权（专利）领域严重失信联合惩戒对象名单")
    GD_SERIOUS = "gd_serious", _("广东省知识产权严重失信名单")
    SZ_SERIOUS = "sz_serious", _("深圳市严重失信主体名单")
    ABNORMAL_OPERATION = "abnormal_operation", _("代理机构经营异常名录")


class MeasureDomain(models.TextChoices):
    """Where a measure applies, and what a partner states as the purpose of a query (the founding document's four
    areas and the memorandum's extras)."""

    ADMIN_APPROVAL = "admin_approval", _("行政审批")
    SUPERVISION = "supervision", _("日常监管")
    PUBLIC_SERVICE = "public_service", _("公共服务")
    FUNDING = "funding", _("财政资金")
    PROCUREMENT = "procurement", _("政府采购")
    FINANCE = "finance", _("金融信贷")
    HONOURS = "honours", _("评优表彰")


# --- the catalogues ------------------------------------------------------------------------------------------


class Behaviour(models.Model):
    """One behaviour of the public credit information catalogue (S20 Art 34): what it is, where it comes from, how
    it is disclosed and shared, how long it is published and how often it is updated."""

    code = models.CharField(_("行为代码"), max_length=40, unique=True)
    name = models.CharField(_("行为名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=300)
    source = models.CharField(_("目录来源"), max_length=20, choices=CatalogueSource.choices)
    legal_basis = models.CharField(_("依据"), max_length=300)
    legal_basis_en = models.CharField(_("英文依据"), max_length=400, blank=True)
    default_severity = models.CharField(_("默认严重程度"), max_length=10, choices=Severity.choices)
    disclosure = models.CharField(_("公开属性"), max_length=20, choices=Disclosure.choices, default=Disclosure.PUBLIC)
    share_scope = models.CharField(
        _("共享范围"), max_length=20, choices=ShareScope.choices, default=ShareScope.PARTNERS
    )
    # Empty: the periods of the record's severity (settings.ARTRIGHTS_CREDIT_PUBLICITY_MONTHS).
    min_publicity_months = models.PositiveSmallIntegerField(_("最短公示期（月）"), null=True, blank=True)
    max_publicity_months = models.PositiveSmallIntegerField(_("最长公示期（月）"), null=True, blank=True)
    update_frequency = models.CharField(
        _("更新频率"), max_length=10, choices=UpdateFrequency.choices, default=UpdateFrequency.REALTIME
    )
    list_type = models.CharField(_("可据以列入的名单"), max_length=30, choices=ListType.choices, blank=True)
    repairable = models.BooleanField(_("可以信用修复"), default=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("失信行为目录")
        verbose_name_plural = _("失信行为目录")
        ordering = ["source", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if in_english() else self.name

    @property
    def basis_label(self) -> str:
        """The legal basis in the reader's language; the Chinese citation when no English one is kept."""
        return self.legal_basis_en if in_english() and self.legal_basis_en else self.legal_basis

    def clean(self) -> None:
        if not BEHAVIOUR_CODE_RE.match(self.code):
            raise ValidationError({"code": _("行为代码只能由大写字母、数字和下划线组成，以字母开头。")})
        low, high = self.min_publicity_months, self.max_publicity_months
        if low is not None and high is not None and low > high:
            raise ValidationError({"max_publicity_months": _("最长公示期不能短于最短公示期。")})

    def publicity_months(self, severity: str) -> tuple[int, int]:
        """The shortest and longest publicity periods, in months, of a record of this behaviour."""
        low, high = settings.ARTRIGHTS_CREDIT_PUBLICITY_MONTHS[severity]
        low = self.min_publicity_months if self.min_publicity_months is not None else low
        high = self.max_publicity_months if self.max_publicity_months is not None else high
        return low, max(low, high)


class Measure(models.Model):
    """One measure of the joint-punishment measures list (§3.2): who applies it, on what basis, in which area and
    for which lists."""

    code = models.CharField(_("措施代码"), max_length=40, unique=True)
    text = models.CharField(_("措施内容"), max_length=300)
    text_en = models.CharField(_("英文内容"), max_length=400)
    implementing_dept = models.CharField(_("实施部门"), max_length=200)
    implementing_dept_en = models.CharField(_("英文实施部门"), max_length=300, blank=True)
    legal_basis = models.CharField(_("依据"), max_length=300)
    legal_basis_en = models.CharField(_("英文依据"), max_length=400, blank=True)
    domain = models.CharField(_("领域"), max_length=20, choices=MeasureDomain.choices)
    list_types = models.JSONField(_("适用名单"), default=list)
    # The platform's own measure: a listed agency may not file registrations or filings for clients.
    bars_agency_filing = models.BooleanField(_("禁止代理委托人办理登记备案"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("惩戒措施")
        verbose_name_plural = _("惩戒措施")
        ordering = ["domain", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.text_en if in_english() else self.text

    @property
    def basis_label(self) -> str:
        return self.legal_basis_en if in_english() and self.legal_basis_en else self.legal_basis

    @property
    def dept_label(self) -> str:
        return self.implementing_dept_en if in_english() and self.implementing_dept_en else self.implementing_dept

    def clean(self) -> None:
        unknown = [t for t in self.list_types if t not in ListType.values]
        if unknown:
            raise ValidationError({"list_types": _("未知的名单：%(types)s") % {"types": "、".join(map(str, unknown))}})


class IndicatorKind(models.TextChoices):
    DEDUCTION = "deduction", _("扣分")
    BONUS = "bonus", _("加分")


class EvidenceSource(models.TextChoices):
    RECORD = "record", _("信用记录")
    LISTING = "listing", _("名单")
    MANUAL = "manual", _("监管人员录入的材料")


class Indicator(models.Model):
    """One indicator of the agency credit evaluation (§3.3): points per piece of evidence, a cap, where the
    evidence comes from and how long it counts."""

    code = models.CharField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=300)
    kind = models.CharField(_("类型"), max_length=10, choices=IndicatorKind.choices)
    points = models.PositiveSmallIntegerField(_("每项分值"))
    cap = models.PositiveSmallIntegerField(_("分值上限"), null=True, blank=True)
    evidence_source = models.CharField(_("依据来源"), max_length=10, choices=EvidenceSource.choices)
    behaviour_codes = models.JSONField(_("对应的失信行为"), default=list, blank=True)
    list_types = models.JSONField(_("对应的名单"), default=list, blank=True)
    window_months = models.PositiveSmallIntegerField(_("有效期（月）"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("信用评价指标")
        verbose_name_plural = _("信用评价指标")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if in_english() else self.name


# --- subjects ------------------------------------------------------------------------------------------------


class CreditSubject(models.Model):
    """An organisation keyed by its unified social credit code, or a person by resident ID number (S20 Art 24)."""

    subject_type = models.CharField(_("主体类型"), max_length=20, choices=SubjectType.choices)
    code_kind = models.CharField(_("代码类型"), max_length=12, choices=CodeKind.choices)
    code = models.CharField(_("统一社会信用代码或身份证号码"), max_length=18, unique=True)
    name = models.CharField(_("名称/姓名"), max_length=200, db_index=True)
    legal_rep = models.CharField(_("法定代表人"), max_length=100, blank=True)
    region = models.CharField(_("行政区划码"), max_length=6, blank=True)
    is_agency = models.BooleanField(_("代理机构"), default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.code_kind == CodeKind.RESIDENT_ID

    @property
    def public_code(self) -> str:
        """The code as the public reads it: an organisation's in full, a person's ID number de-identified (S20
        Art 38): the region and the check character only."""
        return f"{self.code[:4]}{'*' * 10}{self.code[-4:]}" if self.is_person else self.code


class Principal(models.Model):
    """A person the memorandum and S20 Art 68 extend measures to: legal representative, principal, directly
    responsible staff, actual controller."""

    subject = models.ForeignKey(CreditSubject, on_delete=models.CASCADE, related_name="principals")
    role = models.CharField(_("身份"), max_length=20, choices=PrincipalRole.choices)
    name = models.CharField(_("姓名"), max_length=100)
    id_number = models.CharField(_("身份证号码"), max_length=18, db_index=True)

    class Meta:
        verbose_name = _("主要负责人")
        verbose_name_plural = _("主要负责人")
        ordering = ["subject", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "role", "id_number"], name="credit_principal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class Counter(models.Model):
    """The last number handed out per kind and year; locked and bumped in the caller's transaction."""

    kind = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="credit_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind}-{self.year}: {self.last}"


# --- records -------------------------------------------------------------------------------------------------


class RecordStatus(models.TextChoices):
    RECORDED = "recorded", _("已录入")
    PUBLISHED = "published", _("公示中")
    UNDER_OBJECTION = "under_objection", _("异议处理中")
    CORRECTED = "corrected", _("已更正")
    DE_LISTED = "de_listed", _("已移出名单")
    WITHDRAWN = "withdrawn", _("已撤回")
    REPAIRED = "repaired", _("已修复")
    EXPIRED = "expired", _("公示期满")


R = RecordStatus
# A record in these states is in force: shown (by its disclosure), shared (by its scope), counted in grades.
IN_FORCE = (R.PUBLISHED, R.UNDER_OBJECTION, R.CORRECTED, R.DE_LISTED)
ENDED = (R.WITHDRAWN, R.REPAIRED, R.EXPIRED)
# DOMAIN.md §3.8. An objection's outcome corrects the record, withdraws it or removes the listings it grounded;
# a rejected objection leaves it published. A record under objection does not expire until the objection is
# decided (six working days at most), so the decision always finds it.
RECORD_FLOW = Workflow(
    [
        Transition.of("publish", R.RECORDED, R.PUBLISHED),
        Transition.of("object", (R.PUBLISHED, R.CORRECTED, R.DE_LISTED), R.UNDER_OBJECTION),
        Transition.of("correct", R.UNDER_OBJECTION, R.CORRECTED),
        Transition.of("delist", R.UNDER_OBJECTION, R.DE_LISTED),
        Transition.of("reject_objection", R.UNDER_OBJECTION, R.PUBLISHED),
        Transition.of("withdraw", (R.RECORDED, *IN_FORCE), R.WITHDRAWN),
        Transition.of("repair", (R.PUBLISHED, R.CORRECTED, R.DE_LISTED), R.REPAIRED),
        Transition.of("expire", (R.PUBLISHED, R.CORRECTED, R.DE_LISTED), R.EXPIRED),
    ]
)


class CreditRecord(models.Model):
    """A record of dishonest conduct (失信行为记录) found by a department's decision, published for a period."""

    number = models.CharField(_("记录编号"), max_length=20, unique=True)
    subject = models.ForeignKey(
        CreditSubject, verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="records"
    )
    behaviour = models.ForeignKey(Behaviour, verbose_name=_("失信行为"), on_delete=models.PROTECT)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    source_dept = models.CharField(_("认定部门"), max_length=200)
    decision_no = models.CharField(_("决定文书号"), max_length=100)
    decided_on = models.DateField(_("决定日期"))
    facts = models.TextField(_("主要事实"), max_length=2000, blank=True)
    disclosure = models.CharField(_("公开属性"), max_length=20, choices=Disclosure.choices)
    share_scope = models.CharField(_("共享范围"), max_length=20, choices=ShareScope.choices)
    min_publicity_end = models.DateField(_("最短公示期届满"))
    max_publicity_end = models.DateField(_("公示截止"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.RECORDED, db_index=True
    )
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    ended_on = models.DateField(_("停止公示日期"), null=True, blank=True)
    log_index = models.BigIntegerField(_("公开日志序号"), null=True, blank=True)
    # The openings of the statement's commitments (the subject and the record's content): value and salt.
    openings = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["subject", "status"], name="credit_record_subject_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def is_public(self) -> bool:
        return self.in_force and self.disclosure == Disclosure.PUBLIC


class AnnotationKind(models.TextChoices):
    OBJECTION = "objection", _("异议标注")
    LITIGATION = "litigation", _("诉讼标注")
    CORRECTION = "correction", _("更正")
    OUTCOME = "outcome", _("处理结果")


class Annotation(AppendOnlyModel):
    """A note shown with a record wherever it is read (S20 Arts 43, 50): an objection or a lawsuit under way, a
    correction, an outcome. Annotations are never removed; a later one says what changed."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="annotations")
    kind = models.CharField(_("类型"), max_length=20, choices=AnnotationKind.choices)
    text = models.TextField(_("内容"), max_length=2000)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("信用记录标注")
        verbose_name_plural = _("信用记录标注")
        ordering = ["record", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.record} {self.get_kind_display()}"


# --- lists ---------------------------------------------------------------------------------------------------


class EntryStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟列入")
    LISTED = "listed", _("已列入")
    REPAIRED_REMOVED = "repaired_removed", _("修复后移出")
    EXPIRED_REMOVED = "expired_removed", _("期满移出")
    REMOVED = "removed", _("已移出")
    DROPPED = "dropped", _("决定不予列入")


E = EntryStatus
ENTRY_ENDED = (E.REPAIRED_REMOVED, E.EXPIRED_REMOVED, E.REMOVED, E.DROPPED)
# DOMAIN.md §3.8: notice first (the party may state its case), then the listing; a repeat within the period
# extends it up to the cap; it ends by repair, by expiry, or by removal (decision set aside, obligation met).
LIST_FLOW = Workflow(
    [
        Transition.of("list", E.PROPOSED, E.LISTED),
        Transition.of("drop", E.PROPOSED, E.DROPPED),
        Transition.of("extend", E.LISTED, E.LISTED),
        Transition.of("repair", E.LISTED, E.REPAIRED_REMOVED),
        Transition.of("expire", E.LISTED, E.EXPIRED_REMOVED),
        Transition.of("remove", E.LISTED, E.REMOVED),
    ]
)


class ExitReason(models.TextChoices):
    SET_ASIDE = "set_aside", _("认定失信的决定被撤销")
    OBLIGATION_MET = "obligation_met", _("已履行义务")
    OBJECTION = "objection", _("异议成立")
    REPAIRED = "repaired", _("信用修复")
    EXPIRED = "expired", _("名单期满")
    NOT_LISTED = "not_listed", _("经陈述申辩决定不予列入")


class ListEntry(models.Model):
    """A subject on a list (严重失信主体名单, 经营异常名录), on the ground of one or more of its records."""

    number = models.CharField(_("名单编号"), max_length=20, unique=True)
    subject = models.ForeignKey(
        CreditSubject, verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="list_entries"
    )
    list_type = models.CharField(_("名单"), max_length=30, choices=ListType.choices)
    records = models.ManyToManyField(CreditRecord, verbose_name=_("列入依据的记录"), related_name="list_entries")
    basis = models.TextField(_("列入理由"), max_length=2000)
    decision_no = models.CharField(_("列入决定文书号"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.PROPOSED, db_index=True
    )
    proposed_on = models.DateField(_("告知日期"))
    statement_due = models.DateField(_("陈述申辩截止"))
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    planned_exit_on = models.DateField(_("预计移出日期"), null=True, blank=True, db_index=True)
    extensions = models.PositiveSmallIntegerField(_("延长次数"), default=0)
    ended_on = models.DateField(_("移出日期"), null=True, blank=True)
    exit_reason = models.CharField(_("移出原因"), max_length=20, choices=ExitReason.choices, blank=True)
    notice_sent_at = models.DateTimeField(_("列入告知时间"), null=True, blank=True)
    log_index = models.BigIntegerField(_("公开日志序号"), null=True, blank=True)
    openings = models.JSONField(default=dict, blank=True)
    # When the supervisors were told an abnormal-operation listing is due to move to the serious list (once).
    escalation_noticed_on = models.DateField(_("转列严重失信提示日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("名单记录")
        verbose_name_plural = _("名单记录")
        ordering = ["-proposed_on", "-pk"]
        indexes = [models.Index(fields=["subject", "status"], name="credit_entry_subject_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_listed(self) -> bool:
        return self.status == EntryStatus.LISTED


class MeasureAction(models.TextChoices):
    APPLIED = "applied", _("已实施")
    STOPPED = "stopped", _("已停止")


class MeasureReport(AppendOnlyModel):
    """A partner department's report of a measure it applied to a listed subject, or stopped (the memorandum asks
    departments to report back; on removal from the list, measures stop)."""

    entry = models.ForeignKey(ListEntry, verbose_name=_("名单记录"), on_delete=models.PROTECT, related_name="reports")
    measure = models.ForeignKey(Measure, verbose_name=_("措施"), on_delete=models.PROTECT)
    department = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT)
    action = models.CharField(_("情况"), max_length=10, choices=MeasureAction.choices)
    applied_on = models.DateField(_("日期"))
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    at = models.DateTimeField(_("报送时间"))

    class Meta:
        verbose_name = _("惩戒措施反馈")
        verbose_name_plural = _("惩戒措施反馈")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry} {self.measure.code} {self.action}"


# --- objections and repair -----------------------------------------------------------------------------------


class ObjectionGround(models.TextChoices):
    """S20 Art 48."""

    ERROR = "error", _("信息有错误或遗漏")
    OVERDUE = "overdue", _("公示期满仍在公示")
    WRONGLY_LISTED = "wrongly_listed", _("不应列入或应移出名单")


class ObjectionOutcome(models.TextChoices):
    CORRECT = "correct", _("更正")
    WITHDRAW = "withdraw", _("撤回记录")
    DELIST = "delist", _("移出名单")
    REJECT = "reject", _("异议不成立")


class CaseStatus(models.TextChoices):
    UNDER_REVIEW = "under_review", _("处理中")
    DECIDED = "decided", _("已办结")


CASE_FLOW = Workflow(
    [
        Transition.of("extend", CaseStatus.UNDER_REVIEW, CaseStatus.UNDER_REVIEW),
        Transition.of("decide", CaseStatus.UNDER_REVIEW, CaseStatus.DECIDED),
    ]
)


class Objection(models.Model):
    """An objection to a record (S20 Arts 48–51): accepted on the spot and annotated at once; the city body checks
    it within one working day, the provider decides within two more (three more once, with approval)."""

    number = models.CharField(_("异议编号"), max_length=20, unique=True)
    record = models.ForeignKey(
        CreditRecord, verbose_name=_("信用记录"), on_delete=models.PROTECT, related_name="objections"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="credit_objections"
    )
    ground = models.CharField(_("异议理由"), max_length=20, choices=ObjectionGround.choices)
    text = models.TextField(_("异议内容"), max_length=4000)
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.UNDER_REVIEW)
    accepted_on = models.DateField(_("受理日期"))
    check_due = models.DateField(_("核查期限"))
    decision_due = models.DateField(_("处理期限"), db_index=True)
    extended = models.BooleanField(_("已延长"), default=False)
    outcome = models.CharField(_("处理结果"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    decision = models.TextField(_("处理意见"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用异议")
        verbose_name_plural = _("信用异议")
        ordering = ["decision_due", "pk"]

    def __str__(self) -> str:
        return self.number


class Repair(models.Model):
    """A request for credit repair (S20 Arts 79–82) of a record or a list entry, decided within three working
    days (three more once)."""

    number = models.CharField(_("修复编号"), max_length=20, unique=True)
    record = models.ForeignKey(
        CreditRecord,
        verbose_name=_("信用记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
    )
    entry = models.ForeignKey(
        ListEntry, verbose_name=_("名单记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="repairs"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="credit_repairs"
    )
    measures_taken = models.TextField(_("已采取的修复措施"), max_length=4000)
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.UNDER_REVIEW)
    accepted_on = models.DateField(_("受理日期"))
    decision_due = models.DateField(_("处理期限"), db_index=True)
    extended = models.BooleanField(_("已延长"), default=False)
    approved = models.BooleanField(_("准予修复"), null=True, blank=True)
    decision = models.TextField(_("处理意见"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用修复")
        verbose_name_plural = _("信用修复")
        ordering = ["decision_due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(record__isnull=False, entry__isnull=True)
                | models.Q(record__isnull=True, entry__isnull=False),
                name="credit_repair_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def target(self) -> CreditRecord | ListEntry:
        found = self.record or self.entry
        assert found is not None  # the check constraint
        return found

    @property
    def subject(self) -> CreditSubject:
        return self.target.subject


# --- partners ------------------------------------------------------------------------------------------------


class PartnerQuery(AppendOnlyModel):
    """One status query by a partner department: who asked, from which department, on whose authority, for what
    purpose, about whom, and what it found (S20 Arts 44–45). Kept at least five years: never changed or deleted."""

    at = models.DateTimeField(_("查询时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查询人"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("查询部门"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    token_prefix = models.CharField(_("令牌前缀"), max_length=16, blank=True)
    via = models.CharField(_("途径"), max_length=10)
    ip_address = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    code_asked = models.CharField(_("查询的代码"), max_length=64)
    subject = models.ForeignKey(
        CreditSubject, verbose_name=_("信用主体"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("查询用途"), max_length=20, choices=MeasureDomain.choices)
    authority = models.CharField(_("查询依据"), max_length=300)
    authorisation_ref = models.CharField(_("授权文书号"), max_length=100)
    listed = models.JSONField(_("查询结果（在列名单）"), default=list)

    class Meta:
        verbose_name = _("成员单位查询记录")
        verbose_name_plural = _("成员单位查询记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code_asked}"


# --- agency grades -------------------------------------------------------------------------------------------


class ManualEvidence(models.Model):
    """Evidence a supervisor enters for an indicator whose source is not a record or a list: an honour, a
    suspension order, a revoked licence. It counts until withdrawn (with a reason) or past the indicator's window."""

    subject = models.ForeignKey(CreditSubject, on_delete=models.PROTECT, related_name="manual_evidence")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT)
    reference = models.CharField(_("材料文号"), max_length=100)
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    dated = models.DateField(_("材料日期"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评价材料")
        verbose_name_plural = _("评价材料")
        ordering = ["-dated", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.reference}"


class Evaluation(AppendOnlyModel):
    """An agency's published score and grade at one moment, with every line and its evidence: a new row each
    time the score changes, so the history stays."""

    number = models.CharField(_("评价编号"), max_length=20, unique=True)
    subject = models.ForeignKey(CreditSubject, on_delete=models.PROTECT, related_name="evaluations")
    score = models.PositiveSmallIntegerField(_("得分"))
    bonus = models.PositiveSmallIntegerField(_("加分"))
    grade = models.CharField(_("等级"), max_length=2)
    lines = models.JSONField(_("扣分和加分明细"), default=list)
    reason = models.CharField(_("评价原因"), max_length=200)
    at = models.DateTimeField(_("评价时间"), db_index=True)
    log_index = models.BigIntegerField(_("公开日志序号"), null=True, blank=True)
    openings = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("代理机构信用评价")
        verbose_name_plural = _("代理机构信用评价")
        ordering = ["-at", "-pk"]
        get_latest_by = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} {self.grade} {self.score}"
