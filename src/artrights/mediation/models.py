"""Mediation of copyright disputes and its links to the courts (DOMAIN.md §5): mediators, cases, parties and their
agents, claims, recusals, sessions, extensions, agreements with obligations and signatures, judicial confirmation
and what is handed to the courts and to credit.

Every clock of §5.1 is a date on the case, computed by ``services`` in working days (acceptance, consent, choice,
appointment, confirmation: M19, M22) or calendar days (the mediation period M18/M21, the judicial-confirmation
window M8, the court's own clocks M10) as the rule says; ``selectors.due_for`` tells each person what is due from
them, and the hourly sweep flags what is overdue.

Signatures are append-only and bound to the agreement's hash: a signature counts only while the agreement still
hashes to what was signed, so changing the agreement after the first signature makes every earlier signature fall
away without deleting the record that it was given.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from artrights.core.models import AppendOnlyModel
from artrights.core.statemachine import Transition, Workflow

# --- mediators -----------------------------------------------------------------------------------------------


class Specialty(models.TextChoices):
    COPYRIGHT = "copyright", _("著作权")
    ART = "art", _("美术作品")
    LICENCE = "licence", _("许可与转让合同")
    SOFTWARE = "software", _("计算机软件")
    TRADEMARK = "trademark", _("商标")
    OTHER = "other", _("其他知识产权")


class MediatorStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    SUSPENDED = "suspended", _("暂停")
    DISMISSED = "dismissed", _("已解聘")


class Mediator(models.Model):
    """A mediator of a mediation organisation (M2, M11): what they know, which courts list them, their state."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="mediator"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("调解组织"), on_delete=models.PROTECT, related_name="mediators"
    )
    name = models.CharField(_("姓名"), max_length=100)
    specialties = models.JSONField(_("专长"), default=list)
    court_rosters = models.JSONField(_("特邀调解名册（法院）"), default=list, blank=True)
    level = models.CharField(_("等级"), max_length=40, blank=True)
    training = models.TextField(_("培训记录"), blank=True, max_length=4000)
    status = models.CharField(_("状态"), max_length=12, choices=MediatorStatus.choices, default=MediatorStatus.ACTIVE)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def specialty_labels(self) -> list[str]:
        labels = dict(Specialty.choices)
        return [str(labels.get(s, s)) for s in self.specialties]


class ConflictGround(models.TextChoices):
    """M12 / M19: near relative of a party or agent, an interest in the dispute, another relationship."""

    RELATIVE = "relative", _("是当事人或其代理人的近亲属")
    INTEREST = "interest", _("与纠纷有利害关系")
    OTHER_RELATION = "other_relation", _("与当事人有其他可能影响公正调解的关系")


class Conflict(AppendOnlyModel):
    """A relationship a mediator declared with a person or organisation (by identity number): they are never
    assigned to a case that person is party to."""

    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="conflicts")
    id_number = models.CharField(_("证件号码"), max_length=64, db_index=True)
    name = models.CharField(_("姓名/名称"), max_length=200)
    ground = models.CharField(_("事由"), max_length=20, choices=ConflictGround.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利害关系申报")
        verbose_name_plural = _("利害关系申报")
        ordering = ["-declared_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.mediator} — {self.name}"


# --- cases ---------------------------------------------------------------------------------------------------


class Source(models.TextChoices):
    PARTY_APPLICATION = "party_application", _("当事人申请")
    WORKSTATION = "workstation", _("工作站转来")
    COURT_DELEGATED = "court_delegated", _("法院委派（立案前）")
    COURT_ENTRUSTED = "court_entrusted", _("法院委托（立案后）")
    ADMIN_REFERRAL = "admin_referral", _("行政机关转来")


COURT_SOURCES = (Source.COURT_DELEGATED, Source.COURT_ENTRUSTED)


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("普通程序")
    SIMPLE = "simple", _("简易程序")


class DisputeType(models.TextChoices):
    INFRINGEMENT = "infringement", _("著作权侵权")
    LICENCE = "licence", _("许可使用合同")
    TRANSFER = "transfer", _("转让合同")
    OWNERSHIP = "ownership", _("权属")
    OTHER = "other", _("其他")


DISPUTE_SPECIALTY = {
    DisputeType.INFRINGEMENT: Specialty.COPYRIGHT,
    DisputeType.LICENCE: Specialty.LICENCE,
    DisputeType.TRANSFER: Specialty.LICENCE,
    DisputeType.OWNERSHIP: Specialty.COPYRIGHT,
    DisputeType.OTHER: Specialty.COPYRIGHT,
}


class CaseStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("已受理，征询被申请人")
    REJECTED = "rejected", _("不予受理")
    CONSENTED = "consented", _("双方同意调解，选定调解员")
    MEDIATOR_ASSIGNED = "mediator_assigned", _("已指定调解员，待确认")
    IN_MEDIATION = "in_mediation", _("调解中")
    RECUSAL_PENDING = "recusal_pending", _("回避申请待决定")
    SUSPENDED = "suspended", _("中止调解")
    AGREEMENT_EFFECTIVE = "agreement_effective", _("调解协议已生效")
    FAILED = "failed", _("调解不成")
    ENDED = "ended", _("终止（被申请人拒绝或无法联系）")
    WITHDRAWN = "withdrawn", _("申请人撤回")
    FILED_WITH_COURT = "filed_with_court", _("协议已送法院备案")
    COURT_MEDIATION_DOC = "court_mediation_doc", _("法院出具调解书")
    SUIT_WITHDRAWN = "suit_withdrawn", _("原告撤诉")
    TRANSFERRED_TO_COURT = "transferred_to_court", _("材料移送法院立案")
    TRIAL_RESUMED = "trial_resumed", _("恢复审理")
    CLOSED = "closed", _("结案（已告知其他途径）")


S = CaseStatus
OPEN_STATES = (S.APPLIED, S.ACCEPTED, S.CONSENTED, S.MEDIATOR_ASSIGNED, S.IN_MEDIATION, S.RECUSAL_PENDING, S.SUSPENDED)
WITHDRAWABLE = OPEN_STATES

# §5.3, one row per move; services check the business conditions (who, which source) before applying.
CASE_FLOW = Workflow(
    [
        Transition.of("accept", S.APPLIED, S.ACCEPTED),
        Transition.of("reject", S.APPLIED, S.REJECTED),
        Transition.of("consent", S.ACCEPTED, S.CONSENTED),
        Transition.of("refuse", S.ACCEPTED, S.ENDED),  # the respondent refuses, or cannot be reached in time
        Transition.of("assign", S.CONSENTED, S.MEDIATOR_ASSIGNED),
        Transition.of("confirm", S.MEDIATOR_ASSIGNED, S.IN_MEDIATION),  # the mediator signs for the file
        Transition.of("decline", S.MEDIATOR_ASSIGNED, S.CONSENTED),  # the mediator declines, with reasons
        Transition.of("request_recusal", S.IN_MEDIATION, S.RECUSAL_PENDING),
        Transition.of("decide_recusal", S.RECUSAL_PENDING, S.IN_MEDIATION),
        Transition.of("suspend", S.IN_MEDIATION, S.SUSPENDED),
        Transition.of("resume", S.SUSPENDED, S.IN_MEDIATION),
        Transition.of("take_effect", S.IN_MEDIATION, S.AGREEMENT_EFFECTIVE),
        Transition.of("fail", (S.IN_MEDIATION, S.SUSPENDED, S.RECUSAL_PENDING), S.FAILED),
        Transition.of("expire", S.IN_MEDIATION, S.FAILED),
        Transition.of("withdraw", WITHDRAWABLE, S.WITHDRAWN),
        Transition.of("file_with_court", S.AGREEMENT_EFFECTIVE, S.FILED_WITH_COURT),  # 委派
        Transition.of("court_document", S.AGREEMENT_EFFECTIVE, S.COURT_MEDIATION_DOC),  # 委托
        Transition.of("suit_withdrawn", S.AGREEMENT_EFFECTIVE, S.SUIT_WITHDRAWN),  # 委托
        Transition.of("transfer_to_court", S.FAILED, S.TRANSFERRED_TO_COURT),  # 委派
        Transition.of("resume_trial", S.FAILED, S.TRIAL_RESUMED),  # 委托
        Transition.of("close", (S.FAILED, S.AGREEMENT_EFFECTIVE), S.CLOSED),  # other sources
    ]
)


class FailureReason(models.TextChoices):
    """M17 / M20: why a mediation ended without an agreement."""

    BIG_GAP = "big_gap", _("双方分歧较大，难以达成协议")
    PARTY_REFUSES = "party_refuses", _("一方当事人不愿继续调解")
    REFUSED_SIGNATURE = "refused_signature", _("一方当事人拒绝在调解协议上签名")
    EXPIRED = "expired", _("调解期限届满，当事人未同意延长")
    SHAM = "sham", _("涉嫌虚假调解")
    REFUSED_REPLACEMENT = "refused_replacement", _("当事人拒绝更换后的调解员")
    OTHER = "other", _("其他")


class Ending(models.TextChoices):
    """How a case ended in the platform's own words, which no person wrote: stored as the code, so each reader reads
    them in their own language, whoever's act or whichever job ended the case; ``end_note`` keeps what a person
    wrote (a rejection's or withdrawal's reason, the mediator's note)."""

    RESPONDENT_REFUSED = "respondent_refused", _("被申请人不同意调解。")
    NO_ANSWER = "no_answer", _("被申请人未在期限内答复是否同意调解，视为不同意。")


class Counter(models.Model):
    """The last case or agreement number handed out per kind and year; locked in the writing transaction."""

    kind = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="mediation_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind}-{self.year}: {self.last}"


class Case(models.Model):
    """One mediation case (§5.2) with the dates of every clock that applies to it."""

    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    source = models.CharField(_("来源"), max_length=24, choices=Source.choices)
    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices, default=S.APPLIED, db_index=True)
    dispute_type = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeType.choices)
    summary = models.TextField(_("纠纷概要"), max_length=4000)
    online = models.BooleanField(_("在线调解"), default=True)
    court = models.CharField(_("法院"), max_length=200, blank=True)
    court_case_no = models.CharField(_("法院案号"), max_length=100, blank=True)
    procedure = models.CharField(_("审理程序"), max_length=10, choices=Procedure.choices, blank=True)
    referring_body = models.CharField(_("转来单位"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("调解组织"), on_delete=models.PROTECT, related_name="mediation_cases"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    mediator = models.ForeignKey(
        Mediator, verbose_name=_("调解员"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    assigned_by_choice = models.BooleanField(_("当事人共同选定"), default=False)
    # The clocks: each step's date and its due date.
    applied_on = models.DateField(_("申请日期"))
    acceptance_due = models.DateField(_("受理期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    consent_due = models.DateField(_("征询期限"), null=True, blank=True)
    consented_on = models.DateField(_("同意调解日期"), null=True, blank=True)
    choice_due = models.DateField(_("选定调解员期限"), null=True, blank=True)
    appointment_due = models.DateField(_("指定调解员期限"), null=True, blank=True)
    assigned_on = models.DateField(_("指定日期"), null=True, blank=True)
    confirmation_due = models.DateField(_("调解员确认期限"), null=True, blank=True)
    taken_on = models.DateField(_("调解员签收日期"), null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(_("调解期限（日）"), null=True, blank=True)
    mediation_due = models.DateField(_("调解期限届满日"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=24, blank=True)
    ending = models.CharField(_("结束情形"), max_length=24, choices=Ending.choices, blank=True)
    end_note = models.TextField(_("结束说明"), max_length=4000, blank=True)
    cost_conduct = models.TextField(_("导致调解成本增加的行为"), max_length=4000, blank=True)
    court_note = models.CharField(_("法院处理情况"), max_length=500, blank=True)
    # The overdue step the responsible people were last told of ("" once nothing is overdue).
    overdue_step = models.CharField(_("逾期事项"), max_length=40, blank=True)
    works = models.ManyToManyField("registry.Work", verbose_name=_("涉及的登记作品"), blank=True, related_name="+")
    match_reports = models.ManyToManyField(
        "matching.MatchReport", verbose_name=_("比对报告"), blank=True, related_name="+"
    )
    evidence = models.ManyToManyField(
        "evidence.EvidenceRecord", verbose_name=_("电子证据"), blank=True, related_name="+"
    )
    referral_pdf = models.FileField(_("移送材料"), upload_to="mediation/referrals/", blank=True, max_length=300)
    referral_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调解案件")
        # Chinese has one word for both; English needs the singular for one case (its page, a link to it).
        verbose_name_plural = pgettext_lazy("复数", "调解案件")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_court_case(self) -> bool:
        return self.source in COURT_SOURCES

    def ending_text(self) -> str:
        """How the case ended, in the reader's language: the platform's wording of it, else the failure's reason."""
        if self.ending:
            return self.get_ending_display()
        return str(dict(FailureReason.choices).get(self.end_reason, ""))

    def applicants(self) -> list[CaseParty]:
        return [p for p in self.parties.all() if p.side == Side.APPLICANT]

    def respondents(self) -> list[CaseParty]:
        return [p for p in self.parties.all() if p.side == Side.RESPONDENT]


class Side(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class CaseParty(models.Model):
    """A party (a checked identity) on one side of a case, its account when it has one, and its agent with the
    power of attorney; what it answered when consulted and which mediator it chose."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("身份"), max_length=12, choices=Side.choices)
    party = models.ForeignKey("core.Party", verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_agencies",
    )
    power_of_attorney = models.ForeignKey(
        "core.StoredFile", verbose_name=_("授权委托书"), null=True, blank=True, on_delete=models.PROTECT
    )
    consent = models.BooleanField(_("同意调解"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    chosen_mediator = models.ForeignKey(
        Mediator, verbose_name=_("选择的调解员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("案件当事人")
        verbose_name_plural = _("案件当事人")
        ordering = ["case", "side", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="mediation_party_once")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.party.name}"

    @property
    def account(self) -> object | None:
        return getattr(self.party, "account", None)

    def acts_for(self, user: object) -> bool:
        """True when ``user`` is this party's own account, its agent, or (an organisation party) a member of the
        organisation with the party's unified social credit code."""
        pk = getattr(user, "pk", None)
        if pk is None:
            return False
        account = getattr(self.party, "account", None)
        if (account is not None and account.pk == pk) or self.agent_id == pk:
            return True
        organisation = getattr(user, "organisation", None)
        return bool(
            self.party.id_type == "uscc" and organisation is not None and organisation.uscc == self.party.id_number
        )


class Claim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    text = models.CharField(_("请求事项"), max_length=1000)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("调解请求")
        verbose_name_plural = _("调解请求")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.text


class RecusalStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    GRANTED = "granted", _("准予回避")
    REJECTED = "rejected", _("驳回")


class Recusal(models.Model):
    """A request that the mediator withdraw (M12, M21), by a party or by the mediator, and its decision."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recusals")
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="recusals")
    ground = models.CharField(_("事由"), max_length=20, choices=ConflictGround.choices)
    reason = models.TextField(_("理由"), max_length=2000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_mediator = models.BooleanField(_("调解员自行申报"), default=False)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("决定"), max_length=10, choices=RecusalStatus.choices, default=RecusalStatus.PENDING)
    decision = models.TextField(_("决定理由"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    replacement = models.ForeignKey(
        Mediator, verbose_name=_("更换的调解员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("回避申请")
        verbose_name_plural = _("回避申请")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.mediator}"


class SessionMode(models.TextChoices):
    ONLINE = "online", _("在线")
    IN_PERSON = "in_person", _("现场")


class Session(models.Model):
    """A mediation session with its minutes and the facts both sides accepted (M6, M20)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions")
    held_at = models.DateTimeField(_("时间"))
    mode = models.CharField(_("方式"), max_length=10, choices=SessionMode.choices)
    place = models.CharField(_("地点或会议链接"), max_length=300, blank=True)
    minutes = models.TextField(_("调解笔录"), max_length=20000)
    undisputed_facts = models.TextField(_("无争议事实"), max_length=8000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["case", "held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_at:%Y-%m-%d}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("征求同意中")
    GRANTED = "granted", _("已延长")
    REFUSED = "refused", _("当事人不同意")


class Extension(models.Model):
    """More days for the mediation period, only with every party's recorded consent (M18, M20, M21)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.CharField(_("理由"), max_length=1000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    granted_at = models.DateTimeField(null=True, blank=True)
    new_due = models.DateField(_("延长后的期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("延长调解期限")
        verbose_name_plural = _("延长调解期限")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.case} +{self.days}"


class ExtensionAnswer(AppendOnlyModel):
    """One party's recorded answer to an extension, given by its account or agent."""

    extension = models.ForeignKey(Extension, on_delete=models.PROTECT, related_name="answers")
    case_party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consent = models.BooleanField(_("同意"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("当事人对延长的答复")
        verbose_name_plural = _("当事人对延长的答复")
        ordering = ["extension", "pk"]

    def __str__(self) -> str:
        return f"{self.extension} {self.case_party} {self.consent}"


# --- agreements ----------------------------------------------------------------------------------------------


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("待签名")
    EFFECTIVE = "effective", _("已生效")
    VOID = "void", _("未生效（调解不成）")


class Agreement(models.Model):
    """The settlement agreement (M7, M16): facts, issues and result; it takes effect when every party, the mediator
    and the organisation have signed its current text."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="agreement")
    number = models.CharField(_("协议编号"), max_length=32, unique=True)
    facts = models.TextField(_("主要事实和争议事项"), max_length=8000)
    terms = models.TextField(_("协议内容"), max_length=8000)
    infringement_confirmed = models.BooleanField(_("被申请人确认侵权"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    sha256 = models.CharField(_("协议摘要"), max_length=64)
    status = models.CharField(_("状态"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    effective_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    confirmation_due = models.DateField(_("申请司法确认期限"), null=True, blank=True)
    content_json = models.TextField(_("协议文本（规范化 JSON）"), blank=True)
    log_index = models.BigIntegerField(_("公开日志序号"), null=True, blank=True)
    openings = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(_("协议书"), upload_to="mediation/agreements/", blank=True, max_length=300)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return self.number


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("待履行")
    PERFORMED = "performed", _("已履行")
    BREACHED = "breached", _("未按期履行")
    ENFORCEMENT = "enforcement", _("已申请强制执行")


OBLIGATION_FLOW = Workflow(
    [
        Transition.of("perform", (ObligationStatus.OPEN, ObligationStatus.BREACHED), ObligationStatus.PERFORMED),
        Transition.of("breach", ObligationStatus.OPEN, ObligationStatus.BREACHED),
        Transition.of("apply_enforcement", ObligationStatus.BREACHED, ObligationStatus.ENFORCEMENT),
    ]
)


class Obligation(models.Model):
    """One obligation of the agreement: who pays or acts, how much or what, by when; and how it was performed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    payer = models.ForeignKey(CaseParty, verbose_name=_("履行人"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    act = models.CharField(_("履行行为"), max_length=500, blank=True)
    due = models.DateField(_("履行期限"))
    status = models.CharField(_("状态"), max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    performed_on = models.DateField(_("履行日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("协议义务")
        verbose_name_plural = _("协议义务")
        ordering = ["agreement", "due", "pk"]

    def __str__(self) -> str:
        return f"{self.payer.party.name} {self.amount or ''} {self.act}".strip()


class Capacity(models.TextChoices):
    PARTY = "party", _("当事人")
    MEDIATOR = "mediator", _("调解员")
    ORGANISATION = "organisation", _("调解组织")


class Signature(AppendOnlyModel):
    """A signature (or a refusal to sign) bound to the signer's account and the agreement's hash at that moment."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    capacity = models.CharField(_("身份"), max_length=12, choices=Capacity.choices)
    case_party = models.ForeignKey(CaseParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("签名人"), max_length=200)
    agreement_sha256 = models.CharField(_("所签协议摘要"), max_length=64)
    refused = models.BooleanField(_("拒绝签名"), default=False)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协议签名")
        verbose_name_plural = _("协议签名")
        ordering = ["agreement", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.agreement_sha256[:12]}"


# --- courts and credit ---------------------------------------------------------------------------------------


class ConfirmationStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACCEPTED = "accepted", _("法院已受理")
    CONFIRMED = "confirmed", _("确认有效")
    NOT_CONFIRMED = "not_confirmed", _("不予确认")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    WITHDRAWN = "withdrawn", _("撤回申请")


C = ConfirmationStatus
CONFIRMATION_FLOW = Workflow(
    [
        Transition.of("court_accept", C.APPLIED, C.ACCEPTED),
        Transition.of("court_refuse", C.APPLIED, C.NOT_ACCEPTED),
        Transition.of("confirm", C.ACCEPTED, C.CONFIRMED),
        Transition.of("not_confirm", C.ACCEPTED, C.NOT_CONFIRMED),
        Transition.of("withdraw", (C.APPLIED, C.ACCEPTED), C.WITHDRAWN),
    ]
)


class JudicialConfirmation(models.Model):
    """The parties' joint application for judicial confirmation (M8–M10) and the court's clocks."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="confirmations")
    court = models.CharField(_("法院"), max_length=200)
    status = models.CharField(_("状态"), max_length=14, choices=ConfirmationStatus.choices, default=C.APPLIED)
    applied_on = models.DateField(_("申请日期"))
    acceptance_due = models.DateField(_("法院受理期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    court_case_no = models.CharField(_("案号（调确字）"), max_length=100, blank=True)
    decision_due = models.DateField(_("法院决定期限"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    grounds = models.CharField(_("理由"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")
        ordering = ["-applied_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.court}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("待录入信用记录")
    RECORDED = "recorded", _("已录入信用记录")


class CreditReferral(models.Model):
    """Infringement the respondent confirmed in an effective agreement, sent to the credit supervisors; the
    behaviour is a repeat infringement when the same respondent confirmed one before."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="credit_referrals")
    respondent = models.ForeignKey("core.Party", on_delete=models.PROTECT, related_name="+")
    behaviour_code = models.CharField(_("失信行为代码"), max_length=40)
    repeat = models.BooleanField(_("重复侵权"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    credit_record_number = models.CharField(_("信用记录编号"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("信用记录移送")
        verbose_name_plural = _("信用记录移送")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.behaviour_code}"
