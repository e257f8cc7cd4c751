"""Test data for mediation, made through the app's own services: an organisation with its staff and mediators, and
cases brought to any state of the workflow."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from artrights.accounts.models import OrganisationKind, Role
from artrights.accounts.services import create_user
from artrights.accounts.tests.factories import organisation
from artrights.core.services import PartyInput
from artrights.mediation import services
from artrights.mediation.models import Case, Source
from artrights.testing import TEST_PASSWORD, WU

_serials = itertools.count(1)


def mediation_org(name: str = "") -> Any:
    return organisation(OrganisationKind.MEDIATION_ORG, name or f"测试调解委员会{next(_serials)}")


def staff(org: Any, role: str = Role.MEDIATION_ADMIN, name: str = "") -> Any:
    serial = next(_serials)
    return create_user(
        username=f"{role}-{serial}",
        role=role,
        password=TEST_PASSWORD,
        organisation=org,
        display_name=name or f"{role}{serial}",
        email=f"{role}-{serial}@example.test",
    )


def court_liaison(court: str) -> Any:
    """A court's liaison account for mediation (诉调对接)."""
    return staff(organisation(OrganisationKind.COURT, court), Role.COURT)


def mediator(
    admin: Any,
    *,
    name: str = "",
    specialties: tuple[str, ...] = ("copyright", "art"),
    courts: tuple[str, ...] = ("深圳市南山区人民法院",),
) -> Any:
    account = staff(admin.organisation, Role.MEDIATOR, name)
    return services.enrol(
        user=admin,
        account=account,
        name=name or account.display_name,
        specialties=list(specialties),
        court_rosters=list(courts),
        level="一级",
    )


WU_PARTY = PartyInput(name=WU["name"], id_type=WU["id_type"], id_number=WU["id_number"])


def application(**overrides: Any) -> services.CaseInput:
    fields: dict[str, Any] = {
        "dispute_type": "infringement",
        "summary": "被申请人在网店销售印有申请人油画《大芬晨光》的装饰画。",
        "respondents": [WU_PARTY],
        "claims": [("停止销售并赔偿损失", "20000")],
        "online": True,
    }
    fields.update(overrides)
    return services.CaseInput(**fields)


def applied(applicant: Any, org: Any, **overrides: Any) -> Case:
    return services.open_case(user=applicant, data=application(organisation_id=org.pk, **overrides))


def accepted(applicant: Any, admin: Any, **overrides: Any) -> Case:
    return services.decide_acceptance(user=admin, case=applied(applicant, admin.organisation, **overrides), accept=True)


def consented(applicant: Any, respondent: Any, admin: Any, **overrides: Any) -> Case:
    return services.answer(user=respondent, case=accepted(applicant, admin, **overrides), consent=True)


def assigned(applicant: Any, respondent: Any, admin: Any, chosen: Any, **overrides: Any) -> Case:
    return services.appoint(user=admin, case=consented(applicant, respondent, admin, **overrides), mediator=chosen)


def mediating(applicant: Any, respondent: Any, admin: Any, chosen: Any, **overrides: Any) -> Case:
    case = assigned(applicant, respondent, admin, chosen, **overrides)
    return services.confirm(user=chosen.user, case=case, accept=True)


def registered(admin: Any, source: str = Source.COURT_DELEGATED, **overrides: Any) -> Case:
    from artrights.testing import LIN

    fields: dict[str, Any] = {
        "source": source,
        "applicants": [PartyInput(name=LIN["name"], id_type=LIN["id_type"], id_number=LIN["id_number"])],
        "court": "深圳市南山区人民法院",
    }
    if source == Source.COURT_ENTRUSTED:
        fields.update(court_case_no="（2026）粤0305民初1234号", procedure="ordinary")
    fields.update(overrides)
    return services.open_case(user=admin, data=application(**fields))


def days_from_now(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)
