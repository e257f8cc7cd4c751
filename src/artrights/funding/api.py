"""The fund's API: programmes and what an owner may claim, applications, decisions, payments and the budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from artrights.accounts.access import require

from . import selectors, services
from .models import Application, Payment, Programme

router = Router(tags=["funding"])


class ProgrammeOut(Schema):
    code: str
    name: str
    name_en: str
    item_kinds: list[str]
    amount_rule: str
    amount: Decimal
    class_amounts: dict[str, str]
    fee_share_percent: int
    cap_per_applicant_year: Decimal
    budget: Decimal
    local_only: bool
    registered_from: dt.date | None
    registered_until: dt.date | None
    opens_on: dt.date
    closes_on: dt.date
    required_documents: list[str]
    review_days: int


class ProgrammeIn(Schema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    name_en: str = Field("", max_length=300)
    item_kinds: list[str]
    amount_rule: str
    amount: Decimal = Decimal(0)
    class_amounts: dict[str, str] = Field(default_factory=dict)
    fee_share_percent: int = Field(0, ge=0, le=100)
    cap_per_applicant_year: Decimal
    budget: Decimal
    local_only: bool = True
    region_code: str = Field("4403", max_length=6)
    city_name: str = Field("深圳", max_length=40)
    registered_from: dt.date | None = None
    registered_until: dt.date | None = None
    opens_on: dt.date
    closes_on: dt.date
    required_documents: list[str] = Field(default_factory=list)
    review_days: int = Field(20, ge=1, le=60)


class CandidateOut(Schema):
    kind: str
    key: str
    reference: str
    title: str
    dated: dt.date


class ItemOut(Schema):
    id: int
    kind: str
    key: str
    reference: str
    dated: dt.date
    fee: Decimal | None
    claimed: Decimal
    approved: Decimal | None
    note: str


class PaymentOut(Schema):
    amount: Decimal
    paid_on: dt.date
    voucher_no: str


class ApplicationOut(Schema):
    number: str
    programme: str = Field(alias="programme.code")
    applicant: str = Field(alias="applicant.name")
    status: str
    submitted_at: dt.datetime
    review_due: dt.date
    claimed_total: Decimal
    approved_total: Decimal | None
    decided_at: dt.datetime | None
    refusal_ground: str
    decision_note: str
    items: list[ItemOut]
    payment: PaymentOut | None = None

    @staticmethod
    def resolve_items(obj: Application) -> list[Any]:
        return list(obj.items.all())

    @staticmethod
    def resolve_payment(obj: Application) -> Payment | None:
        return Payment.objects.filter(application=obj).first()


class ApproveIn(Schema):
    amounts: dict[int, Decimal] = Field(description="the amount granted per item id (0 refuses the item)")
    notes: dict[int, str] = Field(default_factory=dict)
    note: str = Field("", max_length=2000)


class RefuseIn(Schema):
    ground: str
    note: str = Field("", max_length=2000)


class PayIn(Schema):
    amount: Decimal
    paid_on: dt.date
    voucher_no: str = Field(max_length=60)


class BudgetOut(Schema):
    programme: str
    budget: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal


@router.get("/programmes", response=list[ProgrammeOut], summary="Programmes open for applications now")
def open_programmes(request: HttpRequest) -> Any:
    return selectors.open_programmes()


@router.post("/programmes", response={201: ProgrammeOut}, summary="Set up a programme (the fund's administrator)")
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[Programme]:
    return Status(201, services.create_programme(user=request.user, fields=payload.dict()))


@router.get(
    "/programmes/{code}/candidates",
    response=list[CandidateOut],
    summary="What an owner the caller may apply for may claim under the programme (prefilled from the records)",
)
def candidates(request: HttpRequest, code: str, owner: int) -> Any:
    programme = selectors.programme_by_code(code)
    require(request.user, "apply", programme)
    party = get_object_or_404(selectors.owners_for(request.user), pk=owner)
    return selectors.candidates(request.user, programme, party)


@router.post(
    "/programmes/{code}/applications",
    response={201: ApplicationOut},
    summary="Apply: the items' keys (`items`), the owner, and one file per required document in the programme's order",
)
def apply(
    request: HttpRequest,
    code: str,
    owner: Form[int],
    items: Form[list[str]],
    documents: File[list[UploadedFile]] | None = None,
) -> Status[Application]:
    programme = selectors.programme_by_code(code)
    require(request.user, "apply", programme)
    party = get_object_or_404(selectors.owners_for(request.user), pk=owner)
    given = list(documents or [])
    application = services.apply(
        user=request.user,
        programme=programme,
        applicant=party,
        keys=items,
        documents=dict(zip(programme.required_documents, given, strict=False)),
    )
    return Status(201, application)


@router.get("/applications", response=list[ApplicationOut], summary="Applications the caller may read")
def list_applications(request: HttpRequest) -> Any:
    return selectors.applications_for(request.user).prefetch_related("items")[:100]


@router.get("/applications/{number}", response=ApplicationOut)
def get_application(request: HttpRequest, number: str) -> Application:
    return selectors.application_for(request.user, number)


@router.post("/applications/{number}/approve", response=ApplicationOut, summary="Grant in full or in part")
def approve(request: HttpRequest, number: str, payload: ApproveIn) -> Application:
    found = selectors.application_for(request.user, number)
    return services.approve(
        user=request.user,
        application=found,
        amounts=dict(payload.amounts),
        notes=dict(payload.notes),
        note=payload.note,
    )


@router.post("/applications/{number}/refuse", response=ApplicationOut, summary="Refuse with the ground")
def refuse(request: HttpRequest, number: str, payload: RefuseIn) -> Application:
    found = selectors.application_for(request.user, number)
    return services.refuse(user=request.user, application=found, ground=payload.ground, note=payload.note)


@router.post("/applications/{number}/pay", response={201: PaymentOut}, summary="Record the payment")
def pay(request: HttpRequest, number: str, payload: PayIn) -> Status[Payment]:
    found = selectors.application_for(request.user, number)
    payment = services.pay(
        user=request.user,
        application=found,
        amount=payload.amount,
        paid_on=payload.paid_on,
        voucher_no=payload.voucher_no,
    )
    return Status(201, payment)


@router.post("/applications/{number}/withdraw", response=ApplicationOut, summary="Withdraw before the decision")
def withdraw(request: HttpRequest, number: str) -> Application:
    found = selectors.application_for(request.user, number)
    return services.withdraw(user=request.user, application=found)


@router.get("/budget", response=list[BudgetOut], summary="Committed, paid and remaining per programme")
def budget(request: HttpRequest) -> Any:
    require(request.user, "view_budget", Programme)
    return [
        {
            "programme": line.programme.code,
            "budget": line.programme.budget,
            "committed": line.committed,
            "paid": line.paid,
            "remaining": line.remaining,
        }
        for line in selectors.budget()
    ]
