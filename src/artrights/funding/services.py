"""Writes for the fund: programmes, applications, decisions, payments and the credit checks.

Every write checks access first and runs in one transaction with its audit event; a refusal changes nothing. The
one exception is a credit check that finds the applicant restricted: the check, and the measure reported back to
the credit lists' partner feedback, are kept even though the application or the approval is refused (the fund
answers for having checked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.accounts.models import OrganisationKind
from artrights.core import audit
from artrights.core.models import Party
from artrights.core.selectors import working_calendar
from artrights.core.services import notify, store_file
from artrights.credit.models import EntryStatus, ListEntry, Measure, MeasureAction, MeasureDomain, MeasureReport
from artrights.credit.services.subjects import clean_text
from artrights.registry.models import WorkType

from . import selectors
from .models import (
    APPLICATION_FLOW,
    CENT,
    AmountRule,
    Application,
    CheckStage,
    Counter,
    CreditCheck,
    Document,
    Item,
    ItemKind,
    Payment,
    Programme,
    RefusalGround,
    Status,
)
from .notifications import DECIDED, PAID
from .rules import own_party_ids

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

ZERO = Decimal(0)
MAX_AMOUNT = Decimal("9999999999.99")


def refused(code: str, message: _StrPromise, /, **params: Any) -> ValidationError:
    """A refusal rendered in the language of whoever reads it."""
    return ValidationError(message, code=code, params=params or None)


def today() -> dt.date:
    return timezone.localdate()


def money(value: Any, label: _StrPromise) -> Decimal:
    """``value`` as yuan with two decimals, or a refusal naming the field."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise refused("amount", _("%(field)s不是有效的金额：%(value)s"), field=label, value=str(value)[:40]) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise refused("amount", _("%(field)s不是有效的金额：%(value)s"), field=label, value=str(value)[:40])
    if amount != amount.quantize(CENT):
        raise refused("amount", _("%(field)s最多精确到分：%(value)s"), field=label, value=str(value)[:40])
    return amount.quantize(CENT)


# --- programmes ----------------------------------------------------------------------------------------------

PROGRAMME_FIELDS = (
    "code",
    "name",
    "name_en",
    "item_kinds",
    "amount_rule",
    "amount",
    "class_amounts",
    "fee_share_percent",
    "cap_per_applicant_year",
    "budget",
    "local_only",
    "region_code",
    "city_name",
    "registered_from",
    "registered_until",
    "opens_on",
    "closes_on",
    "required_documents",
    "review_days",
)


def _check_programme(programme: Programme) -> None:
    programme.amount = money(programme.amount, _("每件金额"))
    programme.cap_per_applicant_year = money(programme.cap_per_applicant_year, _("每个申请人每年上限"))
    programme.budget = money(programme.budget, _("项目预算"))
    if not isinstance(programme.class_amounts, dict) or not isinstance(programme.required_documents, list):
        raise refused("shape", _("各类作品金额和须提交的材料的格式不对。"))
    offered = {value for value, _label in selectors.offered_kinds()}
    if not programme.item_kinds or any(k not in offered for k in programme.item_kinds):
        raise refused("item_kinds", _("请选择项目资助的对象。"))
    if programme.amount_rule not in AmountRule.values:
        raise refused("amount_rule", _("请选择资助标准。"))
    if programme.amount_rule == AmountRule.PER_ITEM and programme.amount <= 0:
        raise refused("amount", _("按件定额的项目须填写每件金额。"))
    if programme.amount_rule == AmountRule.PER_CLASS:
        unknown = [k for k in programme.class_amounts if k not in WorkType.values]
        if unknown:
            raise refused("class_amounts", _("未知的作品类别：%(classes)s"), classes="、".join(unknown))
        amounts = {k: money(v, _("各类作品金额")) for k, v in programme.class_amounts.items()}
        if not any(amounts.values()) and programme.amount <= 0:
            raise refused("class_amounts", _("按作品类别定额的项目须至少为一个类别填写金额。"))
        programme.class_amounts = {k: str(v) for k, v in amounts.items()}
    if programme.amount_rule == AmountRule.FEE_SHARE and not 0 < programme.fee_share_percent <= 100:
        raise refused("fee_share_percent", _("资助比例须在 1% 到 100% 之间。"))
    if programme.budget <= 0 or programme.cap_per_applicant_year <= 0:
        raise refused("budget", _("项目预算和每个申请人每年上限须大于零。"))
    if programme.closes_on < programme.opens_on:
        raise refused("window", _("申报截止日期不能早于开始日期。"))
    if (
        programme.registered_from
        and programme.registered_until
        and programme.registered_until < programme.registered_from
    ):
        raise refused("registered_window", _("登记日期止不能早于登记日期起。"))
    if not 1 <= programme.review_days <= 60:
        raise refused("review_days", _("审核期限须在 1 到 60 个工作日之间。"))
    documents = [clean_text(str(d), _("材料名称"), limit=100) for d in programme.required_documents]
    if len(set(documents)) != len(documents):
        raise refused("documents", _("须提交的材料有重复的名称。"))
    programme.required_documents = documents


@transaction.atomic
def create_programme(*, user: Any, fields: dict[str, Any]) -> Programme:
    """Set up a programme, run by the administrator's department."""
    require(user, "manage", Programme)
    organisation = getattr(user, "organisation", None)
    if organisation is None or organisation.kind != OrganisationKind.DEPARTMENT:
        raise refused("department", _("设立资助项目的人员须属于政府部门（惩戒措施以该部门的名义反馈）。"))
    programme = Programme(
        department=organisation, created_by=user, **{k: fields[k] for k in PROGRAMME_FIELDS if k in fields}
    )
    programme.code = clean_text(programme.code, _("项目编号"), limit=40)
    programme.name = clean_text(programme.name, _("项目名称"), limit=200)
    if Programme.objects.filter(code=programme.code).exists():
        raise refused("code", _("项目编号 %(code)s 已被使用。"), code=programme.code)
    _check_programme(programme)
    programme.full_clean()
    programme.save()
    audit.record("funding.programme_created", programme, changes=programme.rules())
    return programme


@transaction.atomic
def update_programme(*, user: Any, programme: Programme, fields: dict[str, Any]) -> Programme:
    """Change a programme's rules; decisions already made keep the rules they were made under."""
    require(user, "manage", Programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = programme.rules()
    for name in PROGRAMME_FIELDS:
        if name in fields and name != "code":
            setattr(programme, name, fields[name])
    programme.name = clean_text(programme.name, _("项目名称"), limit=200)
    _check_programme(programme)
    committed = selectors.budget_line(programme)
    if programme.budget < committed.committed + committed.paid:
        raise refused(
            "budget",
            _("项目预算不能少于已核定和已拨付的金额之和（%(used)s 元）。"),
            used=str(committed.committed + committed.paid),
        )
    programme.full_clean()
    programme.save()
    audit.record("funding.programme_changed", programme, changes={"before": before, "after": programme.rules()})
    return programme


# --- credit --------------------------------------------------------------------------------------------------


def credit_codes(party: Party) -> list[str]:
    return [party.id_number] if party.id_type in ("uscc", "resident_id") else []


def _restrictions(codes: list[str]) -> list[tuple[ListEntry, list[Measure]]]:
    """The current listings of the codes (or of organisations they are principals of) whose lists carry an
    active funding measure, with those measures."""
    if not codes:
        return []
    entries = (
        ListEntry.objects.filter(status=EntryStatus.LISTED)
        .filter(Q(subject__code__in=codes) | Q(subject__principals__id_number__in=codes))
        .select_related("subject")
        .distinct()
        .order_by("pk")
    )
    measures = list(Measure.objects.filter(active=True, domain=MeasureDomain.FUNDING).order_by("code"))
    found = []
    for entry in entries:
        applying = [m for m in measures if entry.list_type in m.list_types]
        if applying:
            found.append((entry, applying))
    return found


@dataclass
class Check:
    row: CreditCheck
    restrictions: list[tuple[ListEntry, list[Measure]]]

    @property
    def blocked(self) -> bool:
        return bool(self.restrictions)


def restrictions_of(applicant: Party) -> list[tuple[ListEntry, list[Measure]]]:
    return _restrictions(credit_codes(applicant))


def check_credit(
    *,
    user: Any,
    programme: Programme,
    applicant: Party,
    stage: str,
    application: Application | None = None,
    restrictions: list[tuple[ListEntry, list[Measure]]] | None = None,
) -> Check:
    """Keep a check of the applicant against the lists whose measures restrict funding (``restrictions``: what
    was just found, else it is looked up now)."""
    codes = credit_codes(applicant)
    if restrictions is None:
        restrictions = _restrictions(codes)
    findings = [
        {
            "entry": entry.number,
            "list_type": entry.list_type,
            "subject": entry.subject.name,
            "measures": [{"code": m.code, "text": m.text, "text_en": m.text_en} for m in measures],
        }
        for entry, measures in restrictions
    ]
    row = CreditCheck.objects.create(
        programme=programme,
        application=application,
        applicant=applicant,
        stage=stage,
        codes=codes,
        blocked=bool(restrictions),
        findings=findings,
        by=user,
        at=timezone.now(),
    )
    return Check(row, restrictions)


def _report_refusal(check: Check, *, department: Any, by: Any, what: str) -> None:
    """Tell the credit lists' partner feedback that the fund applied its measures: one report per listing and
    measure, naming the check."""
    for entry, measures in check.restrictions:
        for measure in measures:
            MeasureReport.objects.create(
                entry=entry,
                measure=measure,
                department=department,
                reported_by=by,
                action=MeasureAction.APPLIED,
                applied_on=today(),
                note=f"{what}（信用核查 #{check.row.pk}）",
                at=timezone.now(),
            )


def _credit_refusal(check: Check) -> ValidationError:
    return refused(
        "credit",
        _("申请人在限制财政资金资助的名单中，不予资助：%(findings)s"),
        findings=check.row.summary(),
    )


# --- applications --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingInput:
    title: str
    held_on: dt.date
    fee: Decimal | None = None


def _number() -> str:
    year = today().year
    row, _created = Counter.objects.select_for_update().get_or_create(year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return f"ZZ-{year}-{row.last:06d}"


def _in_city(programme: Programme, applicant: Party) -> bool:
    region = programme.region_code
    if applicant.id_type == "uscc" and applicant.id_number[2:8].startswith(region):
        return True
    if applicant.id_type == "resident_id" and applicant.id_number.startswith(region):
        return True
    return bool(programme.city_name) and programme.city_name in (applicant.address or "")


def _plan_items(
    *,
    user: Any,
    programme: Programme,
    applicant: Party,
    keys: list[str],
    fees: dict[str, Any],
    training: TrainingInput | None,
) -> list[Item]:
    """The items asked for, checked against the platform's records, with the amount the programme pays."""
    if len(set(keys)) != len(keys):
        raise refused("duplicate_item", _("同一事项只能申请一次。"))
    offered = {c.key: c for c in selectors.candidates(user, programme, applicant)}
    granted, pending = selectors.taken_keys(keys)
    items = []
    for key in keys:
        if key in granted:
            raise refused("subsidised", _("%(item)s 已获得过资助，同一事项不能重复资助。"), item=_item_name(key))
        if key in pending:
            raise refused("pending", _("%(item)s 已在另一份待审核的申请中。"), item=_item_name(key))
        candidate = offered.get(key)
        if candidate is None:
            raise refused("not_eligible", _("%(item)s 不是申请人可以申请本项目资助的事项。"), item=_item_name(key))
        fee = money(fees[key], _("已缴费用")) if fees.get(key) not in (None, "") else None
        items.append(
            Item(
                kind=candidate.kind,
                key=key,
                work=candidate.work,
                reference=candidate.reference,
                dated=candidate.dated,
                fee=fee,
                claimed=programme.amount_for(work_type=candidate.work_type, fee=fee),
            )
        )
    if training is not None:
        if not programme.covers(ItemKind.TRAINING_EVENT):
            raise refused("not_covered", _("本项目不资助培训宣传活动。"))
        title = clean_text(training.title, _("活动名称"), limit=150)
        if training.held_on > today():
            raise refused(
                "future_event",
                _("活动日期 %(date)s 晚于今天：活动举办后才能申请资助。"),
                date=training.held_on.isoformat(),
            )
        key = f"training:{applicant.pk}:{training.held_on.isoformat()}:{title}"
        if Item.objects.filter(Q(claim=key) | Q(key=key, application__status=Status.SUBMITTED)).exists():
            raise refused("subsidised", _("%(item)s 已获得过资助或在另一份待审核的申请中。"), item=title)
        fee = money(training.fee, _("活动费用")) if training.fee is not None else None
        items.append(
            Item(
                kind=ItemKind.TRAINING_EVENT,
                key=key,
                reference=title,
                dated=training.held_on,
                fee=fee,
                claimed=programme.amount_for(fee=fee),
            )
        )
    if not items:
        raise refused("no_items", _("请至少选择一个申请资助的事项。"))
    for item in items:
        if programme.amount_rule == AmountRule.FEE_SHARE and not item.fee:
            raise refused("fee", _("本项目按已缴费用的比例资助，请填写 %(item)s 的已缴费用。"), item=item.reference)
        if item.claimed <= 0:
            raise refused("not_covered", _("本项目对 %(item)s 不予资助（该类别没有资助金额）。"), item=item.reference)
    return items


def _item_name(key: str) -> str:
    if key.startswith("registry.work:"):
        from artrights.registry.models import Work

        work = Work.objects.filter(pk=key.split(":", 1)[1]).first() if key.split(":", 1)[1].isdigit() else None
        if work is not None:
            return f"{work.number or ''}《{work.title}》"
    return key[:80]


def _check_amounts(programme: Programme, applicant: Party, claimed: Decimal, day: dt.date) -> None:
    """The amount asked for fits the applicant's yearly cap and the programme's remaining budget."""
    used = selectors.year_granted(programme, applicant, day.year)
    if used + claimed > programme.cap_per_applicant_year:
        raise refused(
            "cap",
            _("申请金额 %(claimed)s 元超过每个申请人每年的上限：今年已获资助 %(used)s 元，上限 %(cap)s 元。"),
            claimed=str(claimed),
            used=str(used),
            cap=str(programme.cap_per_applicant_year),
        )
    remaining = selectors.budget_line(programme).remaining
    if claimed > remaining:
        raise refused(
            "budget",
            _("申请金额 %(claimed)s 元超过项目剩余预算 %(remaining)s 元。"),
            claimed=str(claimed),
            remaining=str(remaining),
        )


def apply(
    *,
    user: Any,
    programme: Programme,
    applicant: Party,
    keys: list[str],
    fees: dict[str, Any] | None = None,
    training: TrainingInput | None = None,
    documents: dict[str, UploadedFile[bytes]] | None = None,
) -> Application:
    """Apply for a subsidy for the owner ``applicant``: items from the platform's records, the required documents;
    the applicant's credit is checked first."""
    require(user, "apply", programme)
    day = today()
    if not programme.is_open_on(day):
        raise refused(
            "window",
            _("项目 %(code)s 的申报时间为 %(opens)s 至 %(closes)s，现在不能申请。"),
            code=programme.code,
            opens=programme.opens_on.isoformat(),
            closes=programme.closes_on.isoformat(),
        )
    if not selectors.owners_for(user).filter(pk=applicant.pk).exists():
        raise refused(
            "applicant",
            _("您不能以 %(name)s 的名义申请（只能为本人、本机构或代理的权利人申请）。"),
            name=applicant.name,
        )
    if programme.local_only and not _in_city(programme, applicant):
        raise refused("not_local", _("本项目只资助在%(city)s登记的申请人。"), city=programme.city_name)
    files = documents or {}
    missing = [name for name in programme.required_documents if files.get(name) is None]
    if missing:
        raise refused("documents", _("缺少须提交的材料：%(names)s"), names="、".join(missing))
    items = _plan_items(
        user=user, programme=programme, applicant=applicant, keys=keys, fees=fees or {}, training=training
    )
    claimed = sum((i.claimed for i in items), ZERO)
    _check_amounts(programme, applicant, claimed, day)
    # A restricted applicant is refused here; the check and the measure reported back to the credit lists are
    # kept, in their own transaction, though nothing of the application is.
    restrictions = restrictions_of(applicant)
    if restrictions:
        with transaction.atomic():
            check = check_credit(
                user=user, programme=programme, applicant=applicant, stage=CheckStage.APPLY, restrictions=restrictions
            )
            _report_refusal(
                check,
                department=programme.department,
                by=programme.created_by,
                what=f"{programme.code} 资助申请不予受理",
            )
            audit.record("funding.refused_on_credit", check.row, changes={"findings": check.row.findings})
        raise _credit_refusal(check)
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)  # one application at a time against the budget
        _check_amounts(programme, applicant, claimed, day)
        application = Application.objects.create(
            number=_number(),
            programme=programme,
            applicant=applicant,
            filed_by=user,
            agency=user.organisation if applicant.pk not in own_party_ids(user) else None,
            submitted_at=timezone.now(),
            review_due=working_calendar().add_working_days(day, programme.review_days),
            claimed_total=claimed,
        )
        for item in items:
            item.application = application
            item.save()
        for name in programme.required_documents:
            Document.objects.create(
                application=application, name=name, stored_file=store_file(owner=user, upload=files[name])
            )
        check = check_credit(
            user=user,
            programme=programme,
            applicant=applicant,
            stage=CheckStage.APPLY,
            application=application,
            restrictions=[],
        )
        audit.record(
            "funding.applied",
            application,
            changes={
                "programme": programme.code,
                "items": [i.key for i in items],
                "claimed": str(claimed),
                "credit_check": check.row.pk,
            },
        )
    return application


@transaction.atomic
def withdraw(*, user: Any, application: Application) -> Application:
    """The applicant withdraws an application not yet decided."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(user, "withdraw", application)
    APPLICATION_FLOW.apply(application, "withdraw")
    application.save(update_fields=["status"])
    audit.record("funding.withdrawn", application)
    return application


# --- decisions -----------------------------------------------------------------------------------------------


def _recipients(application: Application) -> list[Any]:
    users = get_user_model()._default_manager.filter(
        Q(pk=application.filed_by_id) | Q(party=application.applicant) | Q(organisation__party=application.applicant),
        is_active=True,
    )
    return list(users)


def _tell(application: Application, outcome: str, *, actor: Any) -> None:
    notify(
        recipients=_recipients(application),
        actor=actor,
        kind=DECIDED.key,
        subject=application,
        params={
            "number": application.number,
            "outcome": outcome,
            "programme": application.programme.name,
            "amount": str(application.approved_total or ZERO),
            "note": application.decision_note,
        },
        url=reverse("funding:application", args=[application.number]),
    )


def approve(
    *, user: Any, application: Application, amounts: dict[int, Any], notes: dict[int, str] | None = None, note: str = ""
) -> Application:
    """Grant the application, in full or in part (an amount per item; 0 refuses the item), within the applicant's
    yearly cap and the programme's remaining budget; the programme's rules are kept with the decision."""
    application = Application.objects.select_related("programme", "applicant").get(pk=application.pk)
    require(user, "decide", application)
    programme = application.programme
    # A restricted applicant is never granted: the check is kept, and the administrator refuses on that ground.
    restrictions = restrictions_of(application.applicant)
    if restrictions:
        with transaction.atomic():
            check = check_credit(
                user=user,
                programme=programme,
                applicant=application.applicant,
                stage=CheckStage.APPROVE,
                application=application,
                restrictions=restrictions,
            )
        raise refused(
            "credit",
            _(
                "申请人在限制财政资金资助的名单中（%(findings)s），不能予以资助，请以“申请人受联合惩戒措施限制”为由不予资助。"
            ),
            findings=check.row.summary(),
        )
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        application = Application.objects.select_for_update().get(pk=application.pk)
        require(user, "decide", application)
        items = list(application.items.all())
        notes = notes or {}
        granted = ZERO
        full = True
        for item in items:
            if item.pk not in amounts:
                raise refused("amount_missing", _("请为 %(item)s 填写核定金额（不予资助填 0）。"), item=item.reference)
            amount = money(amounts[item.pk], _("核定金额"))
            if amount > item.claimed:
                raise refused(
                    "over_claim",
                    _("%(item)s 的核定金额 %(amount)s 元超过申请金额 %(claimed)s 元。"),
                    item=item.reference,
                    amount=str(amount),
                    claimed=str(item.claimed),
                )
            item.approved = amount
            item.note = clean_text(notes.get(item.pk, ""), _("核定说明"), limit=300, required=False)
            granted += amount
            full = full and amount == item.claimed
        if granted <= 0:
            raise refused("nothing_granted", _("核定金额合计为零：请改为不予资助，并说明理由。"))
        note = clean_text(note, _("审核意见"), limit=2000, required=not full)
        year = today().year
        used = selectors.year_granted(programme, application.applicant, year, excluding=application.pk)
        if used + granted > programme.cap_per_applicant_year:
            raise refused(
                "cap",
                _("核定金额 %(granted)s 元超过每个申请人每年的上限：今年已获资助 %(used)s 元，上限 %(cap)s 元。"),
                granted=str(granted),
                used=str(used),
                cap=str(programme.cap_per_applicant_year),
            )
        remaining = selectors.budget_line(programme).remaining
        if granted > remaining:
            raise refused(
                "budget",
                _("核定金额 %(granted)s 元超过项目剩余预算 %(remaining)s 元。"),
                granted=str(granted),
                remaining=str(remaining),
            )
        taken = set(Item.objects.filter(claim__in=[i.key for i in items if i.approved]).values_list("claim", flat=True))
        if taken:
            raise refused(
                "subsidised",
                _("%(item)s 已获得过资助，同一事项不能重复资助。"),
                item="、".join(_item_name(k) for k in sorted(t for t in taken if t)),
            )
        try:
            with transaction.atomic():
                for item in items:
                    item.claim = item.key if item.approved else None
                    item.save(update_fields=["approved", "note", "claim"])
        except IntegrityError:
            raise refused("subsidised", _("%(item)s 已获得过资助，同一事项不能重复资助。"), item="—") from None
        APPLICATION_FLOW.apply(application, "approve" if full else "approve_part")
        application.approved_total = granted
        application.decided_by = user
        application.decided_at = timezone.now()
        application.decision_note = note
        application.decision_rules = programme.rules()
        application.save()
        check_credit(
            user=user,
            programme=programme,
            applicant=application.applicant,
            stage=CheckStage.APPROVE,
            application=application,
            restrictions=[],
        )
        audit.record(
            "funding.approved",
            application,
            changes={
                "status": application.status,
                "approved_total": str(granted),
                "items": {i.key: str(i.approved) for i in items},
                "rules": application.decision_rules,
            },
        )
        _tell(application, application.status, actor=user)
    return application


@transaction.atomic
def refuse(*, user: Any, application: Application, ground: str, note: str) -> Application:
    """Refuse the application with its ground; on the credit ground, the check names the list and the measure and
    the refusal is reported to the credit lists' partner feedback."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(user, "decide", application)
    if ground not in RefusalGround.values:
        raise refused("ground", _("请选择不予资助的理由。"))
    note = clean_text(note, _("审核意见"), limit=2000, required=ground != RefusalGround.CREDIT)
    programme = application.programme
    if ground == RefusalGround.CREDIT:
        check = check_credit(
            user=user,
            programme=programme,
            applicant=application.applicant,
            stage=CheckStage.APPROVE,
            application=application,
        )
        if not check.blocked:
            raise refused("not_listed", _("申请人现在不在限制财政资金资助的名单中，不能以信用理由不予资助。"))
        named = check.row.summary()
        note = f"{named}。{note}" if note else named
        _report_refusal(
            check,
            department=programme.department,
            by=user,
            what=f"{programme.code} 资助申请 {application.number} 不予资助",
        )
    APPLICATION_FLOW.apply(application, "refuse")
    application.refusal_ground = ground
    application.decision_note = note[:2000]
    application.decided_by = user
    application.decided_at = timezone.now()
    application.approved_total = ZERO
    application.decision_rules = programme.rules()
    application.save()
    audit.record(
        "funding.refused",
        application,
        changes={"ground": ground, "note": application.decision_note, "rules": application.decision_rules},
    )
    _tell(application, application.status, actor=user)
    return application


@transaction.atomic
def pay(*, user: Any, application: Application, amount: Any, paid_on: dt.date, voucher_no: str) -> Payment:
    """Record the payment of a granted application (the approved amount, its date and voucher) and tell the
    applicant."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(user, "pay", application)
    value = money(amount, _("拨付金额"))
    if value != application.approved_total:
        raise refused(
            "amount",
            _("拨付金额 %(amount)s 元与核定金额 %(approved)s 元不符。"),
            amount=str(value),
            approved=str(application.approved_total),
        )
    voucher = clean_text(voucher_no, _("凭证号"), limit=60)
    if paid_on > today():
        raise refused("future_date", _("拨付日期 %(date)s 晚于今天。"), date=paid_on.isoformat())
    assert application.decided_at is not None
    if paid_on < timezone.localdate(application.decided_at):
        raise refused("before_decision", _("拨付日期 %(date)s 早于核定日期。"), date=paid_on.isoformat())
    if Payment.objects.filter(voucher_no=voucher).exists():
        raise refused("voucher", _("凭证号 %(voucher)s 已登记过另一笔拨付。"), voucher=voucher)
    payment = Payment.objects.create(
        application=application,
        amount=value,
        paid_on=paid_on,
        voucher_no=voucher,
        recorded_by=user,
        at=timezone.now(),
        rules=application.programme.rules(),
    )
    APPLICATION_FLOW.apply(application, "pay")
    application.save(update_fields=["status"])
    audit.record(
        "funding.paid",
        application,
        changes={"amount": str(value), "paid_on": paid_on.isoformat(), "voucher_no": voucher, "rules": payment.rules},
    )
    notify(
        recipients=_recipients(application),
        actor=user,
        kind=PAID.key,
        subject=application,
        params={"number": application.number, "amount": str(value), "date": paid_on.isoformat(), "voucher": voucher},
        url=reverse("funding:application", args=[application.number]),
    )
    return payment
