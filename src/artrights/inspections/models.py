"""“双随机、一公开” graded supervision (DOMAIN.md §4): the two directories, plans, verifiable draws and results.

The target directory is built from credit subjects (their grade, risk level and pool follow from what credit holds);
the inspector directory from the inspector accounts. A plan names its items, its scope (a directed draw narrows the
pool by sector, region and type) and its ratio table per stratum. A draw is made in two steps that are both in the
public log: the commitment (plan, frozen pool hash, commitment to the secret), then the draw itself with the secret
revealed and mixed with a public value that did not exist at commitment time; the draw record
(``proofs/draw.py``, ``artrights-draw/v1``) lets anyone re-run it. A second draw of a plan is a new numbered attempt
with its own commitment and reason, so it is in the log for everyone to see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from artrights.core.statemachine import Transition, Workflow
from artrights.credit.models import CreditSubject


class EntityClass(models.TextChoices):
    """S40 TaskObject 1–4."""

    ENTERPRISE = "enterprise", _("企业")
    FARM_COOP = "farm_coop", _("农民专业合作社")
    INDIVIDUAL = "individual", _("个体工商户/自然人")
    FOREIGN_REP = "foreign_rep", _("外国企业常驻代表机构")


class Grade(models.TextChoices):
    A = "A", _("A 低风险")
    B = "B", _("B 一般风险")
    C = "C", _("C 较高风险")
    D = "D", _("D 高风险")


class RiskLevel(models.TextChoices):
    LOW = "1", _("1 低")
    MEDIUM = "2", _("2 一般")
    HIGH = "3", _("3 较高")
    SEVERE = "4", _("4 高")


class Pool(models.TextChoices):
    GENERAL = "general", _("一般检查库")
    KEY = "key", _("重点检查库")


class Target(models.Model):
    """An entry of the 检查对象名录库: one credit subject with what the draw stratifies on."""

    subject = models.OneToOneField(
        CreditSubject, verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="inspection_target"
    )
    entity_class = models.CharField(_("对象类型"), max_length=20, choices=EntityClass.choices)
    sector = models.CharField(_("行业"), max_length=40, default="copyright")
    region = models.CharField(_("行政区划码"), max_length=6, blank=True)
    credit_grade = models.CharField(_("信用等级"), max_length=1, choices=Grade.choices)
    risk_level = models.CharField(_("风险等级"), max_length=1, choices=RiskLevel.choices)
    pool = models.CharField(_("名录库"), max_length=10, choices=Pool.choices)
    grade_basis = models.CharField(_("分级依据"), max_length=200, blank=True)
    last_checked = models.DateField(_("最近检查日期"), null=True, blank=True)
    active = models.BooleanField(_("在库"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检查对象")
        verbose_name_plural = _("检查对象名录库")
        ordering = ["subject__name", "pk"]

    def __str__(self) -> str:
        return self.subject.name

    @property
    def draw_id(self) -> str:
        """The id in the public draw record: an organisation's USCC; a person only by directory number (no ID
        number is ever published)."""
        return f"P{self.pk:08d}" if self.subject.is_person else self.subject.code

    @property
    def public_name(self) -> str:
        return _("自然人（已去标识化）") if self.subject.is_person else self.subject.name  # type: ignore[return-value]


class Inspector(models.Model):
    """An entry of the 执法检查人员名录库 (D3): qualification, specialties, region; conflicts are declared apart."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="inspector_entry"
    )
    name = models.CharField(_("姓名"), max_length=100)
    dept = models.CharField(_("所在部门"), max_length=200)
    qualification = models.CharField(_("执法证号"), max_length=40, blank=True)
    specialties = models.JSONField(_("专业领域"), default=list, blank=True)
    region = models.CharField(_("行政区划码"), max_length=6, blank=True)
    active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查人员")
        verbose_name_plural = _("执法检查人员名录库")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def draw_id(self) -> str:
        return f"EI{self.pk:05d}"

    @property
    def qualified(self) -> bool:
        """Only staff with an enforcement certificate may be drawn (D3)."""
        return self.active and bool(self.qualification)


class Conflict(models.Model):
    """A declared relationship (利害关系) between an inspector and a subject: never drawn for it (D7)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="conflicts")
    subject = models.ForeignKey(CreditSubject, verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("利害关系"), max_length=300)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        ordering = ["-declared_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["inspector", "subject"], name="inspections_conflict_once")]

    def __str__(self) -> str:
        return f"{self.inspector} / {self.subject}"


class Method(models.TextChoices):
    WRITTEN = "written", _("书面检查")
    ON_SITE = "on_site", _("实地检查")
    ONLINE = "online", _("网络监测")


class InspectionItem(models.Model):
    """An entry of the 随机抽查事项清单 (D1): no inspection without a legal basis."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    legal_basis = models.CharField(_("检查依据"), max_length=300)
    dept = models.CharField(_("实施部门"), max_length=200)
    pool = models.CharField(_("检查类别"), max_length=10, choices=Pool.choices, default=Pool.GENERAL)
    method = models.CharField(_("检查方式"), max_length=10, choices=Method.choices, default=Method.ON_SITE)

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("随机抽查事项清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("待抽取")
    COMMITTED = "committed", _("名录已冻结")
    DRAWN = "drawn", _("已抽取")
    COMPLETED = "completed", _("已完成")


PS = PlanStatus
# DOMAIN.md §4.3: PLANNED -> POOL_FROZEN -> DRAWN ... COMPLETED. A second draw commits again (a new attempt, in the
# log with its reason); a refused draw leaves the plan committed.
PLAN_FLOW = Workflow(
    [
        Transition.of("commit", PS.PLANNED, PS.COMMITTED),
        Transition.of("draw", PS.COMMITTED, PS.DRAWN),
        # A new attempt: after a draw, or when a commitment can no longer be drawn (the directories changed).
        Transition.of("redraw", (PS.COMMITTED, PS.DRAWN), PS.COMMITTED),
        Transition.of("complete", PS.DRAWN, PS.COMPLETED),
    ]
)


class Plan(models.Model):
    """A spot-check task (S40 PubScPlanTask): items, scope, ratios per stratum and the recency weight."""

    number = models.CharField(_("计划编号"), max_length=30, unique=True)
    name = models.CharField(_("计划名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    dept = models.CharField(_("实施部门"), max_length=200)
    items = models.ManyToManyField(InspectionItem, verbose_name=_("抽查事项"), related_name="plans")
    directed = models.JSONField(_("定向条件"), default=dict, blank=True)  # field -> allowed values
    ratios = models.JSONField(_("分层抽查比例"), default=dict, blank=True)  # stratum -> decimal text
    recent_window_days = models.PositiveSmallIntegerField(_("近期检查窗口（日）"), default=365)
    recent_weight = models.PositiveSmallIntegerField(_("近期检查权重（‰）"), default=500)
    inspectors_per_target = models.PositiveSmallIntegerField(_("每个对象的检查人员数"), default=2)
    specialty = models.CharField(_("要求的专业领域"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PS.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def mode(self) -> str:
        return str(_("定向") if self.directed else _("不定向"))


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("已承诺，待抽取")
    DRAWN = "drawn", _("已抽取")
    SUPERSEDED = "superseded", _("已被重新抽取取代")


DS = DrawStatus
DRAW_FLOW = Workflow(
    [
        Transition.of("draw", DS.COMMITTED, DS.DRAWN),
        Transition.of("supersede", (DS.COMMITTED, DS.DRAWN), DS.SUPERSEDED),
    ]
)


class Draw(models.Model):
    """One attempt at drawing a plan (DrawRecord of §4.2): its commitment and, once drawn, the published record."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="draws")
    attempt = models.PositiveSmallIntegerField(_("第几次抽取"))
    reason = models.CharField(_("重新抽取的理由"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=DrawStatus.choices, default=DS.COMMITTED)
    pool_hash = models.CharField(_("名录快照哈希"), max_length=64)
    pool_size = models.PositiveIntegerField(_("名录对象数"))
    commitment = models.CharField(_("随机秘密承诺值"), max_length=64)
    # The inspector directory is frozen with the pool: nobody can steer the assignment after the seed is known.
    inspectors_hash = models.CharField(_("检查人员名录哈希"), max_length=64)
    # Kept by the platform until the draw reveals it; empty when the committer keeps it (entered at the draw).
    sealed_secret = models.CharField(max_length=64, blank=True)
    commit_log_index = models.BigIntegerField(_("承诺的公开日志序号"))
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承诺人"), on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(_("承诺时间"))
    public_value = models.TextField(_("公开随机值"), blank=True)
    public_source = models.CharField(_("公开随机值来源"), max_length=300, blank=True)
    record = models.JSONField(_("抽取记录"), null=True, blank=True)
    result_hash = models.CharField(_("结果哈希"), max_length=64, blank=True)
    drawn_count = models.PositiveIntegerField(_("抽中数"), default=0)
    draw_log_index = models.BigIntegerField(_("抽取的公开日志序号"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽取")
        verbose_name_plural = _("抽取")
        ordering = ["-committed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "attempt"], name="inspections_one_draw_per_attempt")]

    def __str__(self) -> str:
        return f"{self.plan.number}#{self.attempt}"

    @property
    def number(self) -> str:
        return f"{self.plan.number}#{self.attempt}"

    @property
    def drawn_percent(self) -> str:
        return f"{100 * self.drawn_count / self.pool_size:.1f}%" if self.pool_size else "—"


class Assignment(models.Model):
    """An inspector on a drawn target (S40 PubScentAgent); a recusal ends it with the reason and names the
    replacement the draw's seed gave."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="assignments")
    target = models.ForeignKey(Target, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(
        Inspector, verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="assignments"
    )
    active = models.BooleanField(_("有效"), default=True)
    recusal_reason = models.CharField(_("回避理由"), max_length=300, blank=True)
    adjusted_at = models.DateTimeField(_("调整时间"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        Inspector, verbose_name=_("补抽人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("检查人员指派")
        verbose_name_plural = _("检查人员指派")
        ordering = ["draw", "target", "pk"]

    def __str__(self) -> str:
        return f"{self.draw} {self.target} {self.inspector}"


class Outcome(models.TextChoices):
    NO_PROBLEM = "no_problem", _("未发现问题")
    RECTIFY = "rectify", _("责令整改")
    ABNORMAL = "abnormal", _("列入经营异常名录")
    CASE = "case", _("立案查处")
    TRANSFER = "transfer", _("移送主管部门")


VIOLATIONS = (Outcome.ABNORMAL, Outcome.CASE, Outcome.TRANSFER)


class ResultStatus(models.TextChoices):
    PENDING_AUDIT = "pending_audit", _("待审核")
    RETURNED = "returned", _("审核退回")
    PUBLISHED = "published", _("已公示")


RS = ResultStatus
RESULT_FLOW = Workflow(
    [
        Transition.of("enter", (RS.PENDING_AUDIT, RS.RETURNED), RS.PENDING_AUDIT),
        Transition.of("return", RS.PENDING_AUDIT, RS.RETURNED),
        Transition.of("publish", RS.PENDING_AUDIT, RS.PUBLISHED),
    ]
)


class Result(models.Model):
    """The result of checking one drawn target (S40 PubScentResult), entered by an assigned inspector
    ("谁检查、谁录入"), reviewed and published within 20 working days of the check (D10)."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="results")
    target = models.ForeignKey(Target, verbose_name=_("检查对象"), on_delete=models.PROTECT, related_name="results")
    status = models.CharField(_("状态"), max_length=20, choices=ResultStatus.choices, default=RS.PENDING_AUDIT)
    check_date = models.DateField(_("检查日期"))
    outcome = models.CharField(_("检查结果"), max_length=20, choices=Outcome.choices)
    findings = models.TextField(_("检查情况"), max_length=2000)
    follow_up = models.CharField(_("后续处置"), max_length=300, blank=True)
    publish_due = models.DateField(_("公示期限"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("录入时间"))
    audit_opinion = models.CharField(_("审核意见"), max_length=500, blank=True)
    audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    # The credit record the published penalty became (credit app), when a penalty decision was given.
    credit_record_number = models.CharField(_("信用记录编号"), max_length=20, blank=True)
    log_index = models.BigIntegerField(_("公开日志序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["publish_due", "pk"]
        constraints = [models.UniqueConstraint(fields=["draw", "target"], name="inspections_one_result")]

    def __str__(self) -> str:
        return f"{self.draw} {self.target}"
