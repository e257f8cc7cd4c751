"""Who hears of each step of a registration, and what they read (core.notifying), driven by ``work_event``.

The applicant hears of every step that changes their business or asks something of them (acceptance, a
correction notice, the grant, the certificate, a refusal, a deemed withdrawal, a revocation, a change, filings
and pledges); the registrar who asked for a correction hears when it is answered; registrars hear of a digital
filing held because it matches another owner's work; a pledgee hears of the pledge and its cancellation.
Legal deadlines and decisions are essential: their e-mail cannot be turned off.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from artrights.accounts.models import Role, User
from artrights.core.notifying import Kind, register
from artrights.core.services import notify

from .models import Correction, Pledge, RefusalGround, RevocationGround, Work

logger = logging.getLogger(__name__)

ACCEPTED = register(
    Kind(
        "registry.accepted",
        label=_("申请已受理"),
        title=_("《%(title)s》已受理（流水号 %(flow)s）"),
        body=_("登记审核员将在 %(due)s 之前完成审核。"),
    )
)
CORRECTION_REQUESTED = register(
    Kind(
        "registry.correction_requested",
        label=_("补正通知"),
        title=_("《%(title)s》需要补正"),
        body=_("%(notice)s 请在 %(due)s 之前（含当日）补正，逾期视为撤回申请。"),
        essential=True,
    )
)
CORRECTED = register(
    Kind(
        "registry.corrected",
        label=_("申请人已补正"),
        title=_("《%(title)s》的申请人已补正（流水号 %(flow)s）"),
        body=_("审核期限重新计算，至 %(due)s。"),
    )
)
HELD = register(
    Kind(
        "registry.held",
        label=_("备案待人工审查"),
        title=_("数字作品备案《%(title)s》待人工审查"),
        body=_("图片与他人的作品相同或相似，没有自动备案，需要登记审核员核查。"),
    )
)
GRANTED = register(
    Kind(
        "registry.granted",
        label=_("登记或备案完成"),
        title=_("《%(title)s》已登记：%(number)s"),
        body=_("登记已记入公开日志，证书生成后会再通知您。"),
        essential=True,
    )
)
CERTIFICATE_READY = register(
    Kind(
        "registry.certificate_ready",
        label=_("证书已签发"),
        title=_("《%(title)s》的证书已签发（%(number)s）"),
        body=_("可以下载证书 PDF、证明材料和带内容凭证的作品副本。"),
    )
)
REFUSED = register(
    Kind(
        "registry.refused",
        label=_("不予登记"),
        title=_("《%(title)s》不予登记"),
        body=_("依据：%(ground)s。理由：%(reason)s"),
        coded={"ground": RefusalGround},
        essential=True,
    )
)
DEEMED_WITHDRAWN = register(
    Kind(
        "registry.deemed_withdrawn",
        label=_("视为撤回"),
        title=_("《%(title)s》视为撤回"),
        body=_("补正期限 %(due)s 已过，申请视为撤回。"),
        essential=True,
    )
)
REVOKED = register(
    Kind(
        "registry.revoked",
        label=_("登记被撤销"),
        title=_("登记 %(number)s《%(title)s》已撤销"),
        body=_("依据：%(ground)s。理由：%(reason)s"),
        coded={"ground": RevocationGround},
        essential=True,
    )
)
CHANGED = register(
    Kind(
        "registry.changed",
        label=_("登记事项变更"),
        title=_("登记 %(number)s《%(title)s》的登记事项已变更"),
        body=_("变更已记入公开日志，将换发证书。"),
    )
)
CONTRACT_FILED = register(
    Kind(
        "registry.contract_filed",
        label=_("合同已备案"),
        title=_("《%(title)s》的合同已备案：%(filing)s"),
    )
)
PLEDGE_REGISTERED = register(
    Kind(
        "registry.pledge_registered",
        label=_("质权已登记"),
        title=_("《%(title)s》的著作权质权已登记：%(pledge)s"),
        body=_("出质期间转让或许可该作品，须有质权人对该合同的同意记录。"),
        essential=True,
    )
)
PLEDGE_CANCELLED = register(
    Kind(
        "registry.pledge_cancelled",
        label=_("质权已注销"),
        title=_("《%(title)s》的著作权质权已注销：%(pledge)s"),
    )
)


def _applicant_side(work: Work) -> list[Any]:
    return [work.applicant]


def _registrars() -> Iterable[User]:
    return User.objects.filter(role=Role.REGISTRAR, is_active=True)


def _basics(work: Work) -> dict[str, str]:
    return {"title": work.title, "flow": work.flow_number or "—", "number": work.number or "—"}


def _due(work: Work) -> str:
    return work.review_due.isoformat() if work.review_due else "—"


def _send(kind: Kind, recipients: Iterable[Any], work: Work, *, actor: Any, **params: str) -> None:
    notify(
        recipients=recipients,
        kind=kind.key,
        subject=work,
        params={**_basics(work), **params},
        url=reverse("registry:detail", args=[work.pk]),
        actor=actor,
    )


def _corrected(work: Work, actor: Any) -> None:
    latest = work.corrections.exclude(answered_at=None).order_by("-round").first()
    asked_by = latest.requested_by if isinstance(latest, Correction) and latest.requested_by else None
    recipients = [asked_by] if asked_by is not None else list(_registrars())
    _send(CORRECTED, recipients, work, actor=actor, due=_due(work))


def _pledge(work: Work, kind: Kind, subject: Any, actor: Any) -> None:
    pledge = subject if isinstance(subject, Pledge) else None
    recipients = _applicant_side(work) + ([pledge.pledgee_user] if pledge and pledge.pledgee_user else [])
    _send(kind, recipients, work, actor=actor, pledge=pledge.number if pledge else "—")


def _dispatch(work: Work, event: str, subject: Any, actor: Any) -> None:
    if event == "accept":
        _send(ACCEPTED, _applicant_side(work), work, actor=actor, due=_due(work))
    elif event == "request_correction":
        due = work.correction_due.isoformat() if work.correction_due else "—"
        _send(CORRECTION_REQUESTED, _applicant_side(work), work, actor=actor, notice=work.correction_notice, due=due)
    elif event == "correct":
        _corrected(work, actor)
    elif event == "hold":
        _send(HELD, [*_applicant_side(work), *_registrars()], work, actor=actor)
    elif event in ("register", "file", "release"):
        _send(GRANTED, _applicant_side(work), work, actor=actor)
    elif event == "certificate_issued":
        _send(CERTIFICATE_READY, _applicant_side(work), work, actor=actor)
    elif event in ("refuse", "revoke"):
        kind = REFUSED if event == "refuse" else REVOKED
        ground = work.decision_ground
        _send(kind, _applicant_side(work), work, actor=actor, ground=ground, reason=work.decision_reason)
    elif event == "deem_withdrawn":
        due = work.correction_due.isoformat() if work.correction_due else "—"
        _send(DEEMED_WITHDRAWN, _applicant_side(work), work, actor=actor, due=due)
    elif event == "change":
        _send(CHANGED, _applicant_side(work), work, actor=actor)
    elif event == "contract_filed":
        _send(CONTRACT_FILED, _applicant_side(work), work, actor=actor, filing=getattr(subject, "number", "—"))
    elif event in ("pledge_registered", "pledge_cancelled"):
        _pledge(work, PLEDGE_REGISTERED if event == "pledge_registered" else PLEDGE_CANCELLED, subject, actor)


# Steps announced with the applicant as actor that the applicant did not take: the screening held or filed the work
# they submitted. The applicant hears of them. (Licensing's filing of a contract signed in the platform is announced
# with no actor: ``file_contract(on_behalf=True)``.)
NOT_THE_ACTORS_DOING = frozenset({"hold", "file"})


def on_work_event(sender: Any, work: Work, event: str, subject: Any = None, actor: Any = None, **kwargs: Any) -> None:
    """``work_event`` receiver: tell the people concerned but the one who took the step; a failure is logged,
    never undoes the committed step."""
    try:
        _dispatch(Work.objects.get(pk=work.pk), event, subject, None if event in NOT_THE_ACTORS_DOING else actor)
    except Exception:
        logger.exception("notifications for %s of work %s failed", event, work.pk)
