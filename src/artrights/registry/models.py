"""Work registrations and digital-work filings, their numbers, files, certificates, contract and pledge filings.

DOMAIN.md §1: the CPCC Z11 form fields (§1.4), the review state machine (§1.6), numbers
`{region}作登字-{YYYY}-{class}-{8-digit sequence}` (§1.3), contract filings (§1.7) and pledges (§1.8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from artrights.core.statemachine import Transition, Workflow
from artrights.core.validators import validate_plain_text

from .certificate_pdf import undrawable

if TYPE_CHECKING:
    from artrights.core.models import Party


class WorkType(models.TextChoices):
    TEXT = "TEXT", _("文字")
    ORAL = "ORAL", _("口述")
    MUSIC = "MUSIC", _("音乐")
    DRAMA = "DRAMA", _("戏剧")
    QUYI = "QUYI", _("曲艺")
    DANCE = "DANCE", _("舞蹈")
    ACROBATICS = "ACROBATICS", _("杂技艺术")
    FINE_ART = "FINE_ART", _("美术")
    ARCHITECTURE = "ARCHITECTURE", _("建筑")
    PHOTOGRAPHY = "PHOTOGRAPHY", _("摄影")
    AUDIOVISUAL = "AUDIOVISUAL", _("视听作品")
    GRAPHIC = "GRAPHIC", _("图形")
    MODEL = "MODEL", _("模型")
    OTHER = "OTHER", _("其他")
    SOFTWARE = "SOFTWARE", _("计算机软件")  # the software register (DOMAIN.md §1.2), never a work's type


# The types a work (not software) may have: the work forms offer these.
WORK_TYPES = [(value, label) for value, label in WorkType.choices if value != WorkType.SOFTWARE]


class CreationNature(models.TextChoices):
    ORIGINAL = "original", _("原创")
    ADAPTATION = "adaptation", _("改编")
    TRANSLATION = "translation", _("翻译")
    COMPILATION = "compilation", _("汇编")
    ANNOTATION = "annotation", _("注释")
    ARRANGEMENT = "arrangement", _("整理")
    OTHER = "other", _("其他")


class PublishStatus(models.TextChoices):
    PUBLISHED = "published", _("已发表")
    UNPUBLISHED = "unpublished", _("未发表")


class ObtainMode(models.TextChoices):
    ORIGINAL = "original", _("原始")
    INHERITED = "inherited", _("继承")
    ASSUMED = "assumed", _("承受")
    ASSIGNED = "assigned", _("受让")
    OTHER = "other", _("其他")


class OwnershipMode(models.TextChoices):
    INDIVIDUAL = "individual", _("个人作品")
    JOINT = "joint", _("合作作品")
    LEGAL_PERSON = "legal_person", _("法人作品")
    EMPLOYMENT = "employment", _("职务作品")
    COMMISSIONED = "commissioned", _("委托作品")


class Right(models.TextChoices):
    PUBLICATION = "publication", _("发表权")
    AUTHORSHIP = "authorship", _("署名权")
    ALTERATION = "alteration", _("修改权")
    INTEGRITY = "integrity", _("保护作品完整权")
    REPRODUCTION = "reproduction", _("复制权")
    DISTRIBUTION = "distribution", _("发行权")
    RENTAL = "rental", _("出租权")
    EXHIBITION = "exhibition", _("展览权")
    PERFORMANCE = "performance", _("表演权")
    PROJECTION = "projection", _("放映权")
    BROADCASTING = "broadcasting", _("广播权")
    NETWORK = "network", _("信息网络传播权")
    CINEMATOGRAPHY = "cinematography", _("摄制权")
    ADAPTATION = "adaptation", _("改编权")
    TRANSLATION = "translation", _("翻译权")
    COMPILATION = "compilation", _("汇编权")
    OTHER = "other", _("其他")


# Economic rights (Copyright Law Art. 10 items 5–17) are the ones that can be licensed, transferred or pledged.
ECONOMIC_RIGHTS = [r for r in Right.values if r not in {"publication", "authorship", "alteration", "integrity"}]


class Kind(models.TextChoices):
    REGISTRATION = "registration", _("作品登记")
    DIGITAL_FILING = "digital_filing", _("数字作品备案")
    SOFTWARE = "software", _("计算机软件著作权登记")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    UNDER_REVIEW = "under_review", _("审核中")
    CORRECTION_REQUIRED = "correction_required", _("待补正")
    HELD = "held", _("待人工审查")
    REGISTERED = "registered", _("已登记")
    FILED = "filed", _("已备案")
    REFUSED = "refused", _("不予登记")
    WITHDRAWN = "withdrawn", _("已撤回")
    WITHDRAWN_DEEMED = "withdrawn_deemed", _("视为撤回")
    REVOKED = "revoked", _("已撤销")


# DOMAIN.md §1.6. Digital filings skip acceptance and review (formal checks only), unless their image matches
# another owner's work: then they are held until a registrar releases or refuses them.
REGISTRATION_FLOW = Workflow(
    [
        Transition.of("submit", Status.DRAFT, Status.SUBMITTED),
        Transition.of("accept", Status.SUBMITTED, Status.ACCEPTED),
        Transition.of("start_review", Status.ACCEPTED, Status.UNDER_REVIEW),
        Transition.of("request_correction", Status.UNDER_REVIEW, Status.CORRECTION_REQUIRED),
        Transition.of("correct", Status.CORRECTION_REQUIRED, Status.UNDER_REVIEW),
        Transition.of("deem_withdrawn", Status.CORRECTION_REQUIRED, Status.WITHDRAWN_DEEMED),
        Transition.of("refuse", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.HELD], Status.REFUSED),
        Transition.of("register", Status.UNDER_REVIEW, Status.REGISTERED),
        Transition.of(
            "withdraw",
            [
                Status.DRAFT,
                Status.SUBMITTED,
                Status.ACCEPTED,
                Status.UNDER_REVIEW,
                Status.CORRECTION_REQUIRED,
                Status.HELD,
            ],
            Status.WITHDRAWN,
        ),
        Transition.of("file", Status.SUBMITTED, Status.FILED),
        Transition.of("hold", Status.SUBMITTED, Status.HELD),
        Transition.of("release", Status.HELD, Status.FILED),
        # Software held at submission (its code overlaps another owner's software) goes on to acceptance once a
        # registrar has concluded it is not a copy.
        Transition.of("clear_hold", Status.HELD, Status.SUBMITTED),
        Transition.of("revoke", [Status.REGISTERED, Status.FILED], Status.REVOKED),
    ]
)


# Reasons a registration may be revoked (《作品自愿登记试行办法》 Art. 6; digital filing rule Art. 19).
class RevocationGround(models.TextChoices):
    NOT_PROTECTED = "not_protected", _("发现不予登记的情形（第五条）")
    FACTS_MISMATCH = "facts_mismatch", _("登记与事实不符")
    APPLICANT_REQUEST = "applicant_request", _("申请人申请撤销")
    DUPLICATE = "duplicate", _("重复登记")
    JUDGMENT = "judgment", _("法院判决或仲裁裁决认定侵权")


class RefusalGround(models.TextChoices):
    NOT_PROTECTED = "not_protected", _("不受著作权法保护的作品")
    TERM_EXPIRED = "term_expired", _("超过著作权保护期")
    BANNED = "banned", _("依法禁止出版、传播的作品")
    INCOMPLETE = "incomplete", _("材料不全或不符合要求")
    NOT_OWNER = "not_owner", _("申请人不是著作权人（与他人作品相同或实质相似）")
    # 《计算机软件著作权登记办法》 Arts 19–22 (DOMAIN.md R1.12), for the software register.
    SOFTWARE_INCOMPLETE = "software_incomplete", _("表格内容填写不完整、不规范，且未在指定期限内补正")
    SOFTWARE_NOT_PROGRAM = "software_not_program", _("提交的鉴别材料不是程序和文档")
    SOFTWARE_INCONSISTENT = "software_inconsistent", _("申请文件中的软件名称、权利人与相关证明文件不一致，且无证明")
    SOFTWARE_DISPUTE = "software_dispute", _("软件存在权属争议")


SOFTWARE_REFUSAL_GROUNDS = [
    RefusalGround.SOFTWARE_INCOMPLETE,
    RefusalGround.SOFTWARE_NOT_PROGRAM,
    RefusalGround.SOFTWARE_INCONSISTENT,
    RefusalGround.SOFTWARE_DISPUTE,
    RefusalGround.NOT_OWNER,
]


def refusal_grounds(kind: str) -> list[tuple[str, Any]]:
    """The refusal grounds of the register ``kind`` belongs to, as form choices."""
    software = [str(g) for g in SOFTWARE_REFUSAL_GROUNDS]
    if kind == Kind.SOFTWARE:
        return [(v, label) for v, label in RefusalGround.choices if v in software]
    return [(v, label) for v, label in RefusalGround.choices if v not in software or v == RefusalGround.NOT_OWNER]


class ClassLetter(models.Model):
    """The 作品分类号 letter per work type. Only F (美术) and L (其他) are verified in public data."""

    work_type = models.CharField(_("作品类别"), max_length=20, choices=WorkType.choices, unique=True)
    letter = models.CharField(_("分类号"), max_length=1)
    verified = models.BooleanField(_("已核实"), default=False)

    class Meta:
        verbose_name = _("作品分类号")
        verbose_name_plural = _("作品分类号")

    def __str__(self) -> str:
        return f"{self.letter} = {self.get_work_type_display()}"


class NumberSequence(models.Model):
    """The last issued sequence number per register, region, year and class; bumped in the same transaction."""

    register = models.CharField(max_length=20)
    region = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    letter = models.CharField(max_length=1, blank=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "region", "year", "letter"], name="number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.region}{self.year}{self.letter}: {self.last}"


# What the certificate has room for (certificate_pdf.render_certificate): the longest title and names below are
# printed in full on one page (registry/tests/test_certificate_pdf.py renders them).
MAX_TITLE = 60
MAX_NAMES = 10
MAX_NAME = 30
MAX_NAMES_TEXT = 60


def _hidden(value: str, *, multiline: bool = False) -> list[str]:
    try:
        validate_plain_text(value, multiline=multiline)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def printable_on_certificate(text: str) -> list[str]:
    """Errors for characters the certificate cannot print (they would vanish from it), naming them."""
    missing = undrawable(text, configured=settings.ARTRIGHTS_CJK_FONT)
    if not missing:
        return []
    return [_("证书字体无法显示这些字符，请删除或替换：%(chars)s") % {"chars": " ".join(missing)}]


def names_fit_certificate(names: list[str], *, label: str) -> list[str]:
    """Errors for a list of names (authors, owners) the certificate could not print in full."""
    errors = []
    if len(names) > MAX_NAMES:
        errors.append(_("%(label)s最多 %(limit)s 位。") % {"label": label, "limit": MAX_NAMES})
    if any(len(name) > MAX_NAME for name in names):
        errors.append(_("%(label)s的姓名或名称不能超过 %(limit)s 个字。") % {"label": label, "limit": MAX_NAME})
    elif len("、".join(names)) > MAX_NAMES_TEXT:
        errors.append(_("%(label)s的姓名合计不能超过 %(limit)s 个字。") % {"label": label, "limit": MAX_NAMES_TEXT})
    for name in names:
        errors += printable_on_certificate(name)
    return errors


class Work(models.Model):
    """One application for registration (or digital filing) of a work, and, once granted, the registration."""

    kind = models.CharField(_("业务类型"), max_length=20, choices=Kind.choices, default=Kind.REGISTRATION)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True)
    flow_number = models.CharField(_("流水号"), max_length=32, unique=True, null=True, blank=True)
    number = models.CharField(_("登记号"), max_length=40, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    title = models.CharField(_("作品名称"), max_length=200)
    work_type = models.CharField(_("作品类别"), max_length=20, choices=WorkType.choices)
    work_type_desc = models.CharField(_("类别说明"), max_length=200, blank=True)
    # [{"name": ..., "signature": ...}]; required by clean() for works, empty for software (its owners are named)
    authors = models.JSONField(_("作者"), default=list, blank=True)
    creation_nature = models.CharField(
        _("作品创作性质"), max_length=20, choices=CreationNature.choices, default=CreationNature.ORIGINAL
    )
    creation_nature_desc = models.CharField(_("创作性质说明"), max_length=300, blank=True)
    completed_on = models.DateField(_("创作完成日期"))
    creation_country = models.CharField(_("创作完成地点（国家）"), max_length=64, default="中国")
    creation_city = models.CharField(_("创作完成地点（城市）"), max_length=64, blank=True)
    publish_status = models.CharField(
        _("发表状态"), max_length=20, choices=PublishStatus.choices, default=PublishStatus.UNPUBLISHED
    )
    first_published_on = models.DateField(_("首次发表日期"), null=True, blank=True)
    first_published_country = models.CharField(_("首次发表地点（国家）"), max_length=64, blank=True)
    first_published_city = models.CharField(_("首次发表地点（城市）"), max_length=64, blank=True)
    obtain_mode = models.CharField(
        _("权利取得方式"), max_length=20, choices=ObtainMode.choices, default=ObtainMode.ORIGINAL
    )
    obtain_desc = models.CharField(_("取得方式说明"), max_length=300, blank=True)
    ownership_mode = models.CharField(
        _("权利归属方式"), max_length=20, choices=OwnershipMode.choices, default=OwnershipMode.INDIVIDUAL
    )
    ownership_desc = models.CharField(_("归属方式说明"), max_length=300, blank=True)
    rights = models.JSONField(_("权利拥有状况"), default=list)
    rights_desc = models.CharField(_("部分权利说明"), max_length=300, blank=True)
    description = models.TextField(_("作品说明书"), blank=True)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账户"), on_delete=models.PROTECT, related_name="works"
    )
    agent = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("代理机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_works",
    )
    parties = models.ManyToManyField("core.Party", through="WorkParty", related_name="works")
    files = models.ManyToManyField("core.StoredFile", through="WorkFile", related_name="works")

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    review_due = models.DateField(_("审核期限"), null=True, blank=True)
    review_due_provisional = models.BooleanField(default=False)
    correction_notice = models.TextField(_("补正通知"), blank=True)
    correction_due = models.DateField(_("补正期限"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_works",
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decision_ground = models.CharField(_("依据"), max_length=30, blank=True)
    registered_at = models.DateTimeField(_("登记日期"), null=True, blank=True, db_index=True)
    log_index = models.BigIntegerField(_("日志序号"), null=True, blank=True)
    # Salts that open the commitments in the public log; only the holder's certificate carries them.
    commitment_salts = models.JSONField(default=dict, blank=True)
    # Set in the transaction that grants (or changes) the registration, cleared in the one that stores its
    # certificate: a grant whose certificate job was lost (a killed process, a full queue) is found and repaired.
    certificate_due_since = models.DateTimeField(_("待签发证书"), null=True, blank=True, db_index=True)
    # The client's idempotency key (API header ``Idempotency-Key``) and a digest of what it sent with it: a
    # client that lost the answer retries with the same key and gets the same filing, never a second one.
    client_key = models.CharField(_("幂等键"), max_length=100, blank=True, default="")
    client_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("作品")
        verbose_name_plural = _("作品")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "client_key"],
                condition=~models.Q(client_key=""),
                name="work_client_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or self.flow_number or '—'} {self.title}"

    @property
    def is_granted(self) -> bool:
        return self.status in (Status.REGISTERED, Status.FILED)

    def rights_labels(self) -> list[str]:
        """The rights claimed, as their names (the form's labels) in the active language."""
        labels = dict(Right.choices)
        return [str(labels.get(right, right)) for right in self.rights]

    def first_sample(self) -> WorkFile | None:
        """The sample that represents the work (the first one the applicant gave)."""
        return self.workfile_set.filter(role=FileRole.SAMPLE).select_related("stored_file").order_by("pk").first()

    def owners(self) -> models.QuerySet[Party]:
        return self.parties.filter(workparty__role=PartyRole.OWNER)

    @property
    def filed_by_owner(self) -> bool:
        """Was it filed by an owner's own real-name account (not by an agency, nor in someone else's name)?"""
        party_id = getattr(self.applicant, "party_id", None)
        return party_id is not None and self.owners().filter(pk=party_id).exists()

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.publish_status == PublishStatus.PUBLISHED and not self.first_published_on:
            errors["first_published_on"] = _("已发表作品须填写首次发表日期。")
        if self.first_published_on and self.completed_on and self.first_published_on < self.completed_on:
            errors["first_published_on"] = _("首次发表日期不能早于创作完成日期。")
        if (self.work_type == WorkType.SOFTWARE) != (self.kind == Kind.SOFTWARE):
            errors["work_type"] = _("计算机软件须通过计算机软件著作权登记申请，不能作为作品登记。")
        if self.work_type == WorkType.OTHER and not self.work_type_desc:
            errors["work_type_desc"] = _("作品类别为“其他”时须说明类别。")
        bad_rights = [r for r in self.rights if r not in Right.values]
        if bad_rights:
            errors["rights"] = _("未知的权利：%(rights)s") % {"rights": ", ".join(bad_rights)}
        if self.kind == Kind.SOFTWARE:
            pass  # a software certificate names its owners, not authors
        elif (
            not isinstance(self.authors, list)
            or not self.authors
            or not all(isinstance(a, dict) and str(a.get("name", "")).strip() for a in self.authors)
        ):
            errors["authors"] = _("请至少填写一位作者的姓名。")
        else:
            names = [str(a.get("name", "")).strip() for a in self.authors]
            author_errors = names_fit_certificate(names, label=str(_("作者")))
            author_errors += [str(e) for a in self.authors for e in _hidden(" ".join(map(str, a.values())))]
            if author_errors:
                errors["authors"] = author_errors
        title_errors = [*_hidden(self.title), *printable_on_certificate(self.title)]
        if len(self.title) > MAX_TITLE:
            title_errors.append(_("作品名称不能超过 %(limit)s 个字（证书上排得下）。") % {"limit": MAX_TITLE})
        if title_errors:
            errors["title"] = title_errors
        for model_field in self._meta.concrete_fields:
            if isinstance(model_field, models.CharField | models.TextField) and model_field.name != "title":
                value = getattr(self, model_field.attname)
                found = _hidden(value, multiline=isinstance(model_field, models.TextField)) if value else []
                if found:
                    errors[model_field.name] = found
        if errors:
            raise ValidationError(errors)


class PartyRole(models.TextChoices):
    OWNER = "owner", _("著作权人")
    APPLICANT = "applicant", _("申请人")
    AGENT = "agent", _("代理人")


class WorkParty(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE)
    party = models.ForeignKey("core.Party", on_delete=models.PROTECT)
    role = models.CharField(_("身份"), max_length=20, choices=PartyRole.choices)
    signature = models.CharField(_("署名情况"), max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "party", "role"], name="work_party_unique")]

    def __str__(self) -> str:
        return f"{self.party} ({self.get_role_display()})"


class FileRole(models.TextChoices):
    SAMPLE = "sample", _("作品样本")
    DESCRIPTION = "description", _("作品说明书")
    OWNERSHIP_PROOF = "ownership_proof", _("权属证明")
    IDENTITY = "identity", _("身份证明")
    POWER_OF_ATTORNEY = "power_of_attorney", _("授权委托书")
    # Software: the source tree the applicant uploaded (kept private; its tree hash is in the public log) and the
    # documentation deposit the platform built (the source deposit is the software's SAMPLE).
    SOURCE_ARCHIVE = "source_archive", _("源程序压缩包")
    DOCUMENTATION = "documentation", _("文档鉴别材料")
    # A file the applicant took back in a correction: kept, never deleted, so the record shows what was replaced.
    SUPERSEDED = "superseded", _("已撤下的材料")


class WorkFile(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE)
    stored_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT)
    role = models.CharField(_("材料类型"), max_length=20, choices=FileRole.choices)
    iscc = models.CharField(_("ISCC"), max_length=80, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.stored_file}"


class Correction(models.Model):
    """One correction notice and the applicant's answer to it (DOMAIN.md §1.6): what the registrar asked, by when,
    and exactly what the applicant changed, so the registrar reviews the difference rather than the whole file."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="corrections")
    round = models.PositiveIntegerField(_("轮次"))
    notice = models.TextField(_("补正通知"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("通知人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("通知时间"), auto_now_add=True)
    due = models.DateField(_("补正期限"))
    answered_at = models.DateTimeField(_("补正时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("补正人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = models.JSONField(_("修改的事项"), default=dict, blank=True)  # field -> [before, after] as shown
    files_added = models.JSONField(_("补充的材料"), default=list, blank=True)  # [{role, name, sha256}]
    files_removed = models.JSONField(_("撤下的材料"), default=list, blank=True)
    note = models.TextField(_("补正说明"), blank=True)

    class Meta:
        verbose_name = _("补正")
        verbose_name_plural = _("补正")
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["work", "round"], name="correction_round_unique")]

    def __str__(self) -> str:
        return f"{self.work} #{self.round}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class ScreeningStage(models.TextChoices):
    APPLICATION = "application", _("申请时")
    SUBMISSION = "submission", _("提交时")
    ACCEPTANCE = "acceptance", _("受理时")
    GRANT = "grant", _("登记前")


class Resolution(models.TextChoices):
    OPEN = "", _("待核查")
    CLEARED = "cleared", _("已核查，不影响登记")
    UPHELD = "upheld", _("已核查，成立")


class DuplicateWarning(models.Model):
    """Another work (granted or pending) that this application's sample equals or resembles.

    Found when the application is created, submitted, accepted and before it is granted; a registrar resolves a
    warning about another owner's work before registering or filing it (the decision stays on record).
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="duplicate_warnings")
    earlier = models.ForeignKey(Work, verbose_name=_("相同或相似的作品"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("方法"), max_length=20)  # "sha256" or "matcher"
    score = models.FloatField(_("相似度"))
    same_owner = models.BooleanField(_("同一权利人"))
    stage = models.CharField(
        _("发现于"), max_length=20, choices=ScreeningStage.choices, default=ScreeningStage.APPLICATION
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(_("核查结论"), max_length=20, choices=Resolution.choices, default="", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    resolution_note = models.TextField(_("核查说明"), blank=True)
    # Software: the matching passages of both sources, side by side ([{"mine": {path, first, lines}, "theirs": …}]).
    passages = models.JSONField(_("相同的代码段"), default=list, blank=True)
    # Pictures: what the engine's finding rests on (agreeing keypoints, the regions they cover, the share of each
    # sample matched), so the registrar sees why, not only a score.
    why = models.JSONField(_("比对依据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("重复登记提示")
        verbose_name_plural = _("重复登记提示")
        constraints = [models.UniqueConstraint(fields=["work", "earlier"], name="duplicate_warning_unique")]

    def __str__(self) -> str:
        return f"{self.work} ~ {self.earlier} ({self.score:.2f})"

    @property
    def blocks_grant(self) -> bool:
        """Another owner's work, not yet cleared by a registrar."""
        return not self.same_owner and self.resolution == Resolution.OPEN


class Certificate(models.Model):
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="certificates")
    serial = models.PositiveIntegerField(_("证书序号"), default=1)
    pdf = models.FileField(_("证书PDF"), upload_to="certificates/", max_length=300)
    bundle = models.JSONField(_("证明材料"))
    credentialed_image = models.FileField(
        _("带内容凭证的作品副本"), upload_to="credentials/", max_length=300, blank=True
    )
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    reason = models.CharField(_("签发原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("登记证书")
        verbose_name_plural = _("登记证书")
        constraints = [models.UniqueConstraint(fields=["work", "serial"], name="certificate_serial_unique")]
        ordering = ["-serial"]

    def __str__(self) -> str:
        return f"{self.work.number} #{self.serial}"


class ContractType(models.TextChoices):
    TRANSFER = "transfer", _("转让合同")
    EXCLUSIVE_LICENCE = "exclusive_licence", _("专有许可合同")
    NON_EXCLUSIVE_LICENCE = "non_exclusive_licence", _("非专有许可合同")


class ContractFiling(models.Model):
    """著作权合同备案 (CPCC Z21): a transfer or licence of registered works, recorded and logged."""

    number = models.CharField(_("备案号"), max_length=40, unique=True)
    contract_type = models.CharField(_("合同类型"), max_length=30, choices=ContractType.choices)
    works = models.ManyToManyField(Work, related_name="contract_filings")
    rights = models.JSONField(_("权利种类"), default=list)
    territory = models.CharField(_("地域范围"), max_length=100)
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("终止日期"), null=True, blank=True)
    price_terms = models.CharField(_("价款/许可使用费"), max_length=300, blank=True)
    assignor = models.ForeignKey(
        "core.Party", verbose_name=_("转让方/许可方"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        "core.Party", verbose_name=_("受让方/被许可方"), on_delete=models.PROTECT, related_name="+"
    )
    contract_sha256 = models.CharField(_("合同文件SHA-256"), max_length=64, blank=True)
    pledge_consents: models.ManyToManyField[PledgeConsent, Any] = models.ManyToManyField(
        "PledgeConsent", blank=True, related_name="used_by"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("备案时间"), auto_now_add=True)
    log_index = models.BigIntegerField(_("日志序号"), null=True, blank=True)
    commitment_salts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("合同备案")
        verbose_name_plural = _("合同备案")

    def __str__(self) -> str:
        return self.number


class PledgeStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    CANCELLED = "cancelled", _("已注销")


class Pledge(models.Model):
    """著作权质权登记 (Z51). While registered, transfers and licences need the pledgee's recorded consent."""

    number = models.CharField(_("质权登记号"), max_length=40, unique=True)
    status = models.CharField(_("状态"), max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.REGISTERED)
    works = models.ManyToManyField(Work, related_name="pledges")
    pledgor = models.ForeignKey("core.Party", verbose_name=_("出质人"), on_delete=models.PROTECT, related_name="+")
    pledgee = models.ForeignKey("core.Party", verbose_name=_("质权人"), on_delete=models.PROTECT, related_name="+")
    pledgee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("质权人账户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges_held",
    )
    rights = models.JSONField(_("出质权利"), default=list)
    secured_amount = models.DecimalField(_("担保债权数额（元）"), max_digits=16, decimal_places=2)
    debt_term_end = models.DateField(_("债务履行期限"))
    registered_at = models.DateTimeField(_("登记日期"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("注销日期"), null=True, blank=True)
    log_index = models.BigIntegerField(_("日志序号"), null=True, blank=True)
    commitment_salts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("著作权质权登记")
        verbose_name_plural = _("著作权质权登记")

    def __str__(self) -> str:
        return self.number


class PledgeConsent(models.Model):
    """The pledgee's recorded consent to one transfer or licence of the pledged work (Civil Code Art. 444)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="consents")
    contract_type = models.CharField(_("同意的合同类型"), max_length=30, choices=ContractType.choices)
    assignee = models.ForeignKey(
        "core.Party", verbose_name=_("受让方/被许可方"), on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("质权人同意")
        verbose_name_plural = _("质权人同意")

    def __str__(self) -> str:
        return f"{self.pledge} → {self.assignee} ({self.get_contract_type_display()})"


class DocumentKind(models.TextChoices):
    ACCEPTANCE_RECEIPT = "acceptance_receipt", _("受理通知书")
    CORRECTION_NOTICE = "correction_notice", _("补正通知书")
    REFUSAL_DECISION = "refusal_decision", _("不予登记决定书")
    CONTRACT_CERTIFICATE = "contract_certificate", _("著作权合同备案证明")
    PLEDGE_CERTIFICATE = "pledge_certificate", _("著作权质权登记证书")


class RegistryDocument(models.Model):
    """A signed PDF the registry issued about a work: a receipt, a notice, a decision, a filing's certificate.

    Made after the step it records is committed (``documents.py``), once per subject: a work's acceptance and
    refusal, a correction round, a contract filing or a pledge (the constraints make a retried task harmless).
    """

    work = models.ForeignKey(Work, verbose_name=_("作品"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices)
    correction = models.ForeignKey(
        Correction, verbose_name=_("补正"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    contract_filing = models.ForeignKey(
        ContractFiling,
        verbose_name=_("合同备案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    pledge = models.ForeignKey(
        Pledge, verbose_name=_("质权登记"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    number = models.CharField(_("文书编号"), max_length=60)
    serial = models.PositiveIntegerField(_("版次"), default=1)
    pdf = models.FileField(_("PDF"), upload_to="documents/", max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("登记文书")
        verbose_name_plural = _("登记文书")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "kind", "serial"],
                condition=models.Q(kind__in=["acceptance_receipt", "refusal_decision"]),
                name="registry_document_once_per_work",
            ),
            models.UniqueConstraint(
                fields=["correction", "serial"],
                condition=models.Q(correction__isnull=False),
                name="registry_document_once_per_correction",
            ),
            models.UniqueConstraint(
                fields=["contract_filing", "serial"],
                condition=models.Q(contract_filing__isnull=False),
                name="registry_document_once_per_contract",
            ),
            models.UniqueConstraint(
                fields=["pledge", "serial"],
                condition=models.Q(pledge__isnull=False),
                name="registry_document_once_per_pledge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    @property
    def title(self) -> str:
        """The document's name as printed on it (a refused digital filing gets a 不予备案决定书)."""
        if self.kind == DocumentKind.REFUSAL_DECISION and self.work.kind == Kind.DIGITAL_FILING:
            return str(_("不予备案决定书"))
        return str(self.get_kind_display())


class SoftwareCategory(models.TextChoices):
    APPLICATION = "application", _("应用软件")
    EMBEDDED = "embedded", _("嵌入式软件")
    MIDDLEWARE = "middleware", _("中间件")
    SYSTEM = "system", _("操作系统")
    OTHER = "other", _("其他")


class DevelopmentMode(models.TextChoices):
    INDEPENDENT = "independent", _("独立开发")
    COOPERATIVE = "cooperative", _("合作开发")
    COMMISSIONED = "commissioned", _("委托开发")
    ASSIGNED_TASK = "assigned_task", _("下达任务开发")


# How software rights are obtained (CPCC R11 form: 原始取得, or by succession: 继承, 受让).
SOFTWARE_OBTAIN_MODES = [ObtainMode.ORIGINAL, ObtainMode.INHERITED, ObtainMode.ASSIGNED]
# The rights of a software copyright owner (《计算机软件保护条例》 Art. 8).
SOFTWARE_RIGHTS = [
    Right.PUBLICATION,
    Right.AUTHORSHIP,
    Right.ALTERATION,
    Right.REPRODUCTION,
    Right.DISTRIBUTION,
    Right.RENTAL,
    Right.NETWORK,
    Right.TRANSLATION,
    Right.OTHER,
]


class Software(models.Model):
    """The software particulars of a ``Work`` of kind ``software`` (CPCC form R11) and its deposit.

    The application, review, certificate, contracts, changes and revocation are the ``Work``'s: one workflow for
    both registers. The software's name is the work's ``title``, its development completion and first publication
    dates the work's ``completed_on`` and ``first_published_on``, its owners the work's owners.
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="software")
    short_name = models.CharField(_("软件简称"), max_length=60, blank=True)
    version = models.CharField(_("版本号"), max_length=30)
    category = models.CharField(_("软件分类"), max_length=20, choices=SoftwareCategory.choices)
    development_mode = models.CharField(_("开发方式"), max_length=20, choices=DevelopmentMode.choices)
    hardware_environment = models.TextField(_("硬件环境"), max_length=500)
    software_environment = models.TextField(_("软件环境"), max_length=500)
    languages = models.CharField(_("编程语言"), max_length=200)
    source_lines = models.PositiveIntegerField(_("源程序量（行）"))
    main_functions = models.TextField(_("主要功能"), max_length=2000)
    technical_features = models.TextField(_("技术特点"), max_length=2000)
    # The deposit the platform built from the uploaded tree.
    tree_sha256 = models.CharField(_("源程序树哈希（SHA-256）"), max_length=64, db_index=True)
    tree_files = models.PositiveIntegerField(_("源文件数"))
    source_pages = models.PositiveIntegerField(_("源程序总页数"))
    deposited_pages = models.PositiveIntegerField(_("交存源程序页数"))
    documentation_pages = models.PositiveIntegerField(_("交存文档页数"))
    exceptional = models.BooleanField(_("例外交存"), default=False)
    redacted_lines = models.JSONField(_("覆盖的行"), default=list, blank=True)  # [[first, last], …] listing lines
    # Art. 12 (2): the first 10 pages and the 50 consecutive pages from this page were deposited.
    excerpt_from = models.PositiveIntegerField(_("连续 50 页的起始页"), null=True, blank=True)
    # Winnowing fingerprints of the whole source: [[hash, file index, line], …] and the file paths they index.
    fingerprints = models.JSONField(default=list, blank=True)
    fingerprint_paths = models.JSONField(default=list, blank=True)
    certificate_number = models.CharField(_("证书号"), max_length=40, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("计算机软件")
        verbose_name_plural = _("计算机软件")

    def __str__(self) -> str:
        return f"{self.work.title} {self.version}"

    def index_fingerprints(self) -> None:
        """Write the distinct hashes of ``fingerprints`` to the index screening looks candidates up in."""
        hashes = {int(f[0]) for f in self.fingerprints}
        SoftwareHash.objects.bulk_create([SoftwareHash(software=self, value=h) for h in sorted(hashes)])


class SoftwareHash(models.Model):
    """One distinct winnowing hash of a software's source: screening finds the software that share an
    application's hashes by looking them up here, instead of reading every registered software's fingerprints."""

    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="hashes")
    value = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["software", "value"], name="registry_software_hash_once")]

    def __str__(self) -> str:
        return f"{self.software_id}:{self.value:x}"
