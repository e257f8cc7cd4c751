"""The fund end to end: a programme, an application prefilled from the owner's registrations, the decision, the
payment, the notices, the budget and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from artrights.core.models import AuditEvent, Notification
from artrights.funding import selectors, services
from artrights.funding.models import CreditCheck, Item, Payment, Status
from artrights.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_the_owner_is_offered_their_granted_registrations_not_yet_subsidised(owner, programme, works, registrar):
    offered = selectors.candidates(owner, programme, owner.party)
    assert [c.reference for c in offered] == [w.number for w in works]
    factories.application(owner, programme, works[:1])
    # One is in an application under review now: only the other is offered.
    assert [c.reference for c in selectors.candidates(owner, programme, owner.party)] == [works[1].number]


def test_an_application_is_numbered_with_a_working_day_deadline_and_its_credit_check(owner, programme, works):
    application = factories.application(owner, programme, works)
    assert application.number.startswith(f"ZZ-{timezone.localdate().year}-")
    assert application.status == Status.SUBMITTED
    assert application.claimed_total == Decimal("2000.00")
    assert application.review_due > timezone.localdate()
    assert [d.name for d in application.documents.all()] == [factories.FORM]
    check = CreditCheck.objects.get(application=application)
    assert check.blocked is False and check.codes == [owner.party.id_number]


def test_approval_payment_and_notices_reach_the_applicant_and_the_budget(owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works)
    items = list(application.items.all())
    approved = services.approve(
        user=fund_admin, application=application, amounts={i.pk: i.claimed for i in items}, note=""
    )
    assert approved.status == Status.APPROVED and approved.approved_total == Decimal("2000.00")
    assert approved.decision_rules["amount"] == "1000.00"
    line = selectors.budget_line(programme)
    assert (line.committed, line.paid, line.remaining) == (Decimal("2000.00"), Decimal(0), Decimal("98000.00"))
    payment = services.pay(
        user=fund_admin, application=approved, amount="2000.00", paid_on=timezone.localdate(), voucher_no="PZ-2026-001"
    )
    assert payment.rules["code"] == programme.code
    line = selectors.budget_line(programme)
    assert (line.committed, line.paid, line.remaining) == (Decimal(0), Decimal("2000.00"), Decimal("98000.00"))
    kinds = list(Notification.objects.filter(recipient=owner).values_list("kind", flat=True))
    assert "funding.decided" in kinds and "funding.paid" in kinds
    actions = set(AuditEvent.objects.filter(object_id=str(application.pk)).values_list("action", flat=True))
    assert {"funding.applied", "funding.approved", "funding.paid"} <= actions


def test_a_partial_approval_needs_a_reason_and_frees_the_refused_item(owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works)
    first, second = application.items.all()
    with pytest.raises(ValidationError, match="审核意见"):
        services.approve(user=fund_admin, application=application, amounts={first.pk: "1000", second.pk: "0"})
    done = services.approve(
        user=fund_admin,
        application=application,
        amounts={first.pk: "1000", second.pk: "0"},
        note="第二件作品的登记地不在本市。",
    )
    assert done.status == Status.PARTLY_APPROVED and done.approved_total == Decimal("1000.00")
    # The item refused may be asked for again; the granted one never.
    keys = [c.key for c in selectors.candidates(owner, programme, owner.party)]
    assert keys == [f"registry.work:{works[1].pk}"]


def test_the_rules_of_a_decision_stay_as_they_were_when_the_programme_changes(owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works[:1])
    item = application.items.get()
    services.approve(user=fund_admin, application=application, amounts={item.pk: "1000"})
    fields = {**programme.rules(), "amount": Decimal("1500.00"), "cap_per_applicant_year": Decimal("3000")}
    fields["class_amounts"] = {}
    fields["opens_on"], fields["closes_on"] = programme.opens_on, programme.closes_on
    fields["budget"] = Decimal("100000")
    services.update_programme(user=fund_admin, programme=programme, fields=fields)
    application.refresh_from_db()
    assert application.decision_rules["amount"] == "1000.00"
    programme.refresh_from_db()
    assert programme.amount == Decimal("1500.00")


def test_the_database_itself_refuses_to_grant_one_item_twice(owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works[:1])
    item = application.items.get()
    services.approve(user=fund_admin, application=application, amounts={item.pk: "1000"})
    other = factories.application(owner, factories.programme(fund_admin), works[1:])
    stray = other.items.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=stray.pk).update(claim=item.key)


def test_payments_are_listed_per_period_and_per_month(owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works[:1])
    item = application.items.get()
    services.approve(user=fund_admin, application=application, amounts={item.pk: "1000"})
    services.pay(user=fund_admin, application=application, amount="1000", paid_on=timezone.localdate(), voucher_no="V1")
    day = timezone.localdate()
    assert list(selectors.payments_between(day - dt.timedelta(days=1), day)) == list(Payment.objects.all())
    assert selectors.payments_between(day + dt.timedelta(days=1), day + dt.timedelta(days=9)).count() == 0
    assert selectors.paid_per_month()[-1] == (f"{day:%Y-%m}", Decimal("1000.00"))


def test_an_agency_applies_for_the_owner_it_filed_for(make_user, fund_admin, programme, registrar):
    from artrights.accounts.models import OrganisationKind
    from artrights.accounts.tests.factories import organisation
    from artrights.core.services import PartyInput
    from artrights.registry import services as registry
    from artrights.registry.tests.factories import power_of_attorney, samples, work_fields

    agency = organisation(OrganisationKind.AGENCY, "深圳市资助代理有限公司")
    agent = make_user("funding-agent", "agency", organisation=agency)
    client = PartyInput(**factories.shenzhen_identity("钱委托"))
    work = registry.create_application(
        user=agent,
        fields=work_fields(title="委托的画", authors=[{"name": "钱委托"}]),
        owners=[client],
        files=[*samples(seed=431), power_of_attorney()],
    )
    registry.submit(work=work, user=agent)
    registry.accept(work=work, registrar=registrar)
    registry.start_review(work=work, registrar=registrar)
    registry.register(work=work, registrar=registrar)
    party = selectors.owners_for(agent).get(name="钱委托")
    application = factories.application(agent, programme, [work], applicant=party)
    assert application.agency == agency and application.applicant == party
    assert selectors.applications_for(agent).get() == application
