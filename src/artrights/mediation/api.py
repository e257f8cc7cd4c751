"""The mediation API: a user's cases and what is due from them, applying, one move on a case (the same table the case
page offers, ``actions.ACTIONS``), the roster and the statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Body, Field, Router, Schema, Status

from artrights.core.errors import BilingualError
from artrights.core.messages import error_messages
from artrights.core.services import PartyInput

from . import selectors, services
from .actions import ACTIONS
from .models import Agreement, Case, Mediator, Source

router = Router(tags=["mediation"])


class PartyOut(Schema):
    side: str
    name: str
    consent: bool | None


class CaseOut(Schema):
    number: str
    source: str
    status: str
    dispute_type: str
    court: str
    court_case_no: str
    mediator: str | None
    applied_on: dt.date
    acceptance_due: dt.date
    consent_due: dt.date | None
    choice_due: dt.date | None
    appointment_due: dt.date | None
    confirmation_due: dt.date | None
    taken_on: dt.date | None
    mediation_due: dt.date | None = Field(description="the last day of the mediation period (calendar days)")
    ended_on: dt.date | None
    end_reason: str
    ending: str = Field(
        description="how an ended case ended, as a code: respondent_refused, no_answer, or empty (see end_reason)"
    )
    overdue_step: str
    parties: list[PartyOut]
    agreement_number: str | None
    agreement_status: str | None
    agreement_sha256: str | None

    @staticmethod
    def resolve_mediator(obj: Case) -> str | None:
        return obj.mediator.name if obj.mediator else None

    @staticmethod
    def resolve_parties(obj: Case) -> list[dict[str, Any]]:
        return [
            {"side": p.side, "name": p.party.name, "consent": p.consent} for p in obj.parties.select_related("party")
        ]

    @staticmethod
    def _agreement(obj: Case) -> Agreement | None:
        return Agreement.objects.filter(case=obj).first()

    @staticmethod
    def resolve_agreement_number(obj: Case) -> str | None:
        a = CaseOut._agreement(obj)
        return a.number if a else None

    @staticmethod
    def resolve_agreement_status(obj: Case) -> str | None:
        a = CaseOut._agreement(obj)
        return a.status if a else None

    @staticmethod
    def resolve_agreement_sha256(obj: Case) -> str | None:
        a = CaseOut._agreement(obj)
        return a.sha256 if a else None


class DueOut(Schema):
    case: str
    what: str
    due: dt.date | None
    overdue: bool
    working_days: bool


class PartyIn(Schema):
    name: str
    id_type: str
    id_number: str
    kind: str = "natural"


class ApplyIn(Schema):
    dispute_type: str
    summary: str
    respondents: list[PartyIn]
    claims: list[tuple[str, str]] = Field(description="[text, amount or empty]")
    organisation_id: int | None = None
    online: bool = True
    work_ids: list[int] = []
    match_report_ids: list[int] = []
    evidence_ids: list[int] = []

    def case_input(self, source: str = Source.PARTY_APPLICATION) -> services.CaseInput:
        """The application as the services take it; the signed-in party applies."""
        return services.CaseInput(
            source=source,
            dispute_type=self.dispute_type,
            summary=self.summary,
            respondents=[
                PartyInput(name=p.name, id_type=p.id_type, id_number=p.id_number, kind=p.kind) for p in self.respondents
            ],
            claims=self.claims,
            organisation_id=self.organisation_id,
            online=self.online,
            work_ids=self.work_ids,
            match_report_ids=self.match_report_ids,
            evidence_ids=self.evidence_ids,
        )


class ErrorOut(Schema):
    detail: str


class MediatorOut(Schema):
    id: int
    name: str
    organisation: str
    specialties: list[str]
    court_rosters: list[str]
    status: str
    load: int

    @staticmethod
    def resolve_organisation(obj: Mediator) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_load(obj: Mediator) -> int:
        return int(getattr(obj, "load", 0))


class StatsOut(Schema):
    total: int
    by_source: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    average_days: dict[str, float]
    success_rate: float | None


def _refused(exc: Exception) -> Status[ErrorOut]:
    return Status(422, ErrorOut(detail=" ".join(error_messages(exc))))


@router.get("/cases", response=list[CaseOut], summary="The cases the user is party to, mediates or administers")
def cases(request: HttpRequest) -> Any:
    return list(selectors.cases_for(request.user)[:200])


@router.get("/cases/{number}", response=CaseOut, summary="One case")
def case(request: HttpRequest, number: str) -> Any:
    return selectors.case_for(request.user, number)


@router.post("/cases", response={201: CaseOut, 422: ErrorOut}, summary="Apply for mediation in one's own name")
def apply(request: HttpRequest, payload: ApplyIn) -> Any:
    from artrights.accounts.access import require

    require(request.user, "apply", Case)
    data = payload.case_input()
    try:
        return Status(201, services.open_case(user=request.user, data=data))
    except (ValidationError, BilingualError) as exc:
        return _refused(exc)


@router.post(
    "/cases/{number}/actions/{action}",
    response={200: CaseOut, 404: ErrorOut, 422: ErrorOut},
    summary="One move on a case (the case page's table: accept, answer, choose, appoint, confirm, recusal, …)",
)
def act(request: HttpRequest, number: str, action: str, payload: Body[dict[str, Any]]) -> Any:
    found = selectors.case_for(request.user, number)
    spec = ACTIONS.get(action)
    if spec is None:
        return Status(404, ErrorOut(detail=f"unknown action {action!r}"))
    form = spec.form(payload)
    if not form.is_valid():
        return Status(422, ErrorOut(detail=form.errors.as_text()))
    extra: dict[str, Any] = {k: payload[k] for k in ("confirmation", "obligation") if k in payload}
    try:
        spec.run(request.user, found, form.cleaned_data, extra)
    except (ValidationError, BilingualError) as exc:
        return _refused(exc)
    return selectors.case_for(request.user, number)


@router.get("/dues", response=list[DueOut], summary="What is due from the user, and when")
def dues(request: HttpRequest) -> Any:
    return [
        DueOut(case=d.case.number, what=str(d.what), due=d.due, overdue=d.overdue, working_days=d.working_days)
        for d in selectors.due_for(request.user)
    ]


@router.get("/mediators", response=list[MediatorOut], summary="The roster with status and workload")
def mediators(request: HttpRequest) -> Any:
    return list(selectors.roster())


@router.get("/statistics", response=StatsOut, summary="Cases by source, outcome and duration")
def statistics(request: HttpRequest) -> Any:
    s = selectors.statistics(request.user)
    return StatsOut(
        total=s.total,
        by_source=s.by_source,
        by_outcome=s.by_outcome,
        average_days=s.average_days,
        success_rate=s.success_rate,
    )
