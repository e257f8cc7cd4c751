"""The one-stop protection service (DOMAIN.md §7): workstations hosted by industry associations, with their staff,
and the service requests people bring to them, each with a deadline in working days, a status the requester sees,
the staff's notes and a satisfaction rating at closing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from artrights.core.statemachine import Transition, Workflow


class Workstation(models.Model):
    """A protection workstation in an industry association (an organisation of kind ``workstation``)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("主办协会"), on_delete=models.PROTECT, related_name="onestop_station"
    )
    name = models.CharField(_("工作站名称"), max_length=200)
    sector = models.CharField(_("服务行业"), max_length=100)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), related_name="onestop_stations", blank=True
    )
    is_active = models.BooleanField(_("对外服务"), default=True)

    class Meta:
        verbose_name = _("保护工作站")
        verbose_name_plural = _("保护工作站")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RequestType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    REGISTRATION_ASSIST = "registration_assist", _("登记协助")
    EVIDENCE_FIXATION = "evidence_fixation", _("证据固化")
    INFRINGEMENT_REPORT = "infringement_report", _("侵权举报")
    MEDIATION_REFERRAL = "mediation_referral", _("调解转介")
    TRAINING_SIGNUP = "training_signup", _("培训报名")
    SIMILARITY_CHECK = "similarity_check", _("相似性比对")
    EXPERT_APPRAISAL = "expert_appraisal", _("专家鉴定")


# Working days the workstation has to finish each kind of request (the service commitment of the workstation).
DEADLINE_DAYS: dict[str, int] = {
    RequestType.CONSULT: 3,
    RequestType.REGISTRATION_ASSIST: 5,
    RequestType.EVIDENCE_FIXATION: 3,
    RequestType.INFRINGEMENT_REPORT: 10,
    RequestType.MEDIATION_REFERRAL: 5,
    RequestType.TRAINING_SIGNUP: 3,
    RequestType.SIMILARITY_CHECK: 5,
    RequestType.EXPERT_APPRAISAL: 20,
}

# The request types whose routing starts a copy check of the image at the address the requester gave.
CHECKED_TYPES = (RequestType.INFRINGEMENT_REPORT, RequestType.SIMILARITY_CHECK)
# The request types whose routing asks for the page at that address to be captured as evidence.
CAPTURED_TYPES = (RequestType.INFRINGEMENT_REPORT, RequestType.EVIDENCE_FIXATION)
# Every type the staff can hand on to another service of the platform: a copy check and / or a web capture, a
# mediation case, or a draft registration application in the requester's name.
ROUTABLE_TYPES = (
    *CHECKED_TYPES,
    RequestType.EVIDENCE_FIXATION,
    RequestType.MEDIATION_REFERRAL,
    RequestType.REGISTRATION_ASSIST,
)


class Status(models.TextChoices):
    NEW = "new", _("待受理")
    TRIAGED = "triaged", _("已分派")
    IN_PROGRESS = "in_progress", _("办理中")
    REFERRED = "referred", _("已转办")
    CLOSED = "closed", pgettext_lazy("服务请求", "已办结")


OPEN_STATES = (Status.NEW, Status.TRIAGED, Status.IN_PROGRESS, Status.REFERRED)
REQUEST_FLOW = Workflow(
    [
        Transition.of("triage", Status.NEW, Status.TRIAGED),
        Transition.of("start", Status.TRIAGED, Status.IN_PROGRESS),
        Transition.of("route", (Status.TRIAGED, Status.IN_PROGRESS), Status.REFERRED),
        Transition.of("close", OPEN_STATES, Status.CLOSED),
    ]
)


class ServiceRequest(models.Model):
    """What a person asks a workstation for, from its arrival to its closing and the requester's rating."""

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("工作站"), on_delete=models.PROTECT, related_name="requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="onestop_requests"
    )
    type = models.CharField(_("服务类型"), max_length=30, choices=RequestType.choices)
    description = models.TextField(_("情况说明"))
    url = models.URLField(_("相关网址"), max_length=2000, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NEW)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onestop_handled",
    )
    deadline = models.DateField(_("办理期限"))
    url_check = models.ForeignKey(
        "matching.UrlCheck",
        verbose_name=_("网址比对"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.ForeignKey(
        "evidence.EvidenceRecord",
        verbose_name=_("网页取证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "mediation.Case",
        verbose_name=_("调解案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    draft = models.ForeignKey(
        "registry.Work",
        verbose_name=_("登记申请草稿"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("办理结果"), blank=True)
    overdue_notified_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度评分"), null=True, blank=True)
    rating_comment = models.TextField(_("评价意见"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("服务请求")
        verbose_name_plural = _("服务请求")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="onestop_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} #{self.pk}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in OPEN_STATES and self.deadline < today


class Note(models.Model):
    """A note by the workstation's staff on a request; the requester reads the ones marked visible."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("服务请求"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT)
    text = models.TextField(_("内容"))
    for_requester = models.BooleanField(_("申请人可见"), default=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class TrainingEvent(models.Model):
    """A training event of a workstation, with a number of places people sign up for."""

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("工作站"), on_delete=models.PROTECT, related_name="trainings"
    )
    topic = models.CharField(_("培训主题"), max_length=200)
    starts_at = models.DateTimeField(_("开课时间"))
    place = models.CharField(_("地点"), max_length=300)
    capacity = models.PositiveIntegerField(_("名额"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("培训活动")
        verbose_name_plural = _("培训活动")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.topic

    @property
    def taken(self) -> int:
        return self.signups.filter(cancelled_at__isnull=True).count()


class Signup(models.Model):
    """A person's place at a training event; cancelled before it starts, attendance recorded by the staff."""

    event = models.ForeignKey(
        TrainingEvent, verbose_name=_("培训活动"), on_delete=models.PROTECT, related_name="signups"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报名人"), on_delete=models.PROTECT, related_name="onestop_signups"
    )
    signed_up_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended = models.BooleanField(_("已出席"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("开课提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], condition=models.Q(cancelled_at__isnull=True), name="onestop_one_place_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.event}"
