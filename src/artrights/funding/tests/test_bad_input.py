"""Bad input is refused with the reason, and nothing is half-changed (issue 18, "Bad input")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from artrights.core.models import StoredFile
from artrights.funding import selectors, services
from artrights.funding.models import Application, Item, Payment, Programme, Status
from artrights.funding.tests import factories

pytestmark = pytest.mark.django_db


def _nothing_applied_for(files_before: int) -> bool:
    """No application, item or document, and no file kept (the registrations' samples were there before)."""
    return not Application.objects.exists() and not Item.objects.exists() and StoredFile.objects.count() == files_before


def test_an_item_already_subsidised_is_refused_even_under_another_programme(owner, fund_admin, programme, works):
    first = factories.application(owner, programme, works[:1])
    item = first.items.get()
    services.approve(user=fund_admin, application=first, amounts={item.pk: item.claimed})
    other = factories.programme(fund_admin)
    with pytest.raises(ValidationError, match="已获得过资助"):
        factories.application(owner, other, works[:1])
    assert not Application.objects.filter(programme=other).exists()
    # And in English.
    with override("en"), pytest.raises(ValidationError, match="already been subsidised"):
        factories.application(owner, other, works[:1])


def test_the_same_item_awaiting_review_in_two_programmes_is_granted_once(owner, fund_admin, programme, works):
    """Two programmes cover the same registration; the second grant is refused by the check (and the database)."""
    first = factories.application(owner, programme, works[:1])
    services.withdraw(user=owner, application=first)
    second = factories.application(owner, factories.programme(fund_admin), works[:1])
    item = second.items.get()
    services.approve(user=fund_admin, application=second, amounts={item.pk: item.claimed})
    assert Item.objects.get(pk=item.pk).claim == f"registry.work:{works[0].pk}"


def test_an_application_after_the_window_is_refused(owner, fund_admin, works):
    day = timezone.localdate()
    closed = factories.programme(fund_admin, opens_on=day - dt.timedelta(days=60), closes_on=day - dt.timedelta(days=1))
    files = StoredFile.objects.count()
    with pytest.raises(ValidationError, match="申报时间"):
        factories.application(owner, closed, works)
    assert _nothing_applied_for(files)


def test_an_amount_over_the_applicants_yearly_cap_is_refused(owner, fund_admin, works, registrar):
    capped = factories.programme(fund_admin, cap_per_applicant_year="1500")
    files = StoredFile.objects.count()
    with pytest.raises(ValidationError, match="每年的上限"):
        factories.application(owner, capped, works)
    assert _nothing_applied_for(files)


def test_an_amount_over_the_remaining_budget_is_refused(owner, fund_admin, works):
    small = factories.programme(fund_admin, budget="1500")
    files = StoredFile.objects.count()
    with pytest.raises(ValidationError, match="剩余预算"):
        factories.application(owner, small, works)
    assert _nothing_applied_for(files)


def test_an_approval_over_the_remaining_budget_or_the_claim_is_refused_and_changes_nothing(
    owner, fund_admin, works, make_user
):
    from artrights.testing import give_identity

    tight = factories.programme(fund_admin, budget="2000")
    first = factories.application(owner, tight, works)
    first_items = list(first.items.all())
    with pytest.raises(ValidationError, match="超过申请金额"):
        services.approve(user=fund_admin, application=first, amounts={i.pk: "1500" for i in first_items}, note="x")
    # Another applicant's application is granted first: the budget left is too small for this one in full.
    other = give_identity(make_user("other-owner", "artist"), factories.shenzhen_identity("冯其他"))
    Programme.objects.filter(pk=tight.pk).update(budget=Decimal("2500"))
    other_work = factories.registered_work(other, make_user("registrar-two", "registrar"), seed=451)
    granted = factories.application(other, tight, [other_work])
    services.approve(user=fund_admin, application=granted, amounts={granted.items.get().pk: "1000"})
    with pytest.raises(ValidationError, match="剩余预算"):
        services.approve(user=fund_admin, application=first, amounts={i.pk: i.claimed for i in first_items})
    first.refresh_from_db()
    assert first.status == Status.SUBMITTED and first.approved_total is None
    assert not Item.objects.filter(application=first, claim__isnull=False).exists()


def test_a_missing_document_is_refused_naming_it(owner, programme, works):
    files = StoredFile.objects.count()
    with pytest.raises(ValidationError, match=factories.FORM):
        factories.application(owner, programme, works, documents={})
    assert _nothing_applied_for(files)


def test_an_owner_outside_the_city_is_refused_by_a_local_programme(artist, programme, registrar):
    work = factories.registered_work(artist, registrar, seed=461)
    with pytest.raises(ValidationError, match="深圳"):
        factories.application(artist, programme, [work])
    assert not Application.objects.exists()


def test_someone_elses_registration_is_not_an_item_of_mine(owner, outsider, programme, works):
    with pytest.raises(ValidationError, match="不是申请人可以申请"):
        services.apply(
            user=outsider,
            programme=programme,
            applicant=outsider.party,
            keys=[f"registry.work:{works[0].pk}"],
            documents={factories.FORM: factories.form()},
        )
    with pytest.raises(ValidationError, match="不能以"):
        factories.application(outsider, programme, works, applicant=owner.party)
    assert not Application.objects.exists()


def test_a_payment_must_match_the_approved_amount_and_its_voucher_be_new(owner, fund_admin, programme, works):
    first = factories.application(owner, programme, works[:1])
    services.approve(user=fund_admin, application=first, amounts={first.items.get().pk: "1000"})
    day = timezone.localdate()
    with pytest.raises(ValidationError, match="与核定金额"):
        services.pay(user=fund_admin, application=first, amount="999.99", paid_on=day, voucher_no="PZ-1")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.pay(
            user=fund_admin, application=first, amount="1000", paid_on=day + dt.timedelta(days=1), voucher_no="PZ-1"
        )
    with pytest.raises(ValidationError, match="有效的金额"):
        services.pay(user=fund_admin, application=first, amount="一千", paid_on=day, voucher_no="PZ-1")
    services.pay(user=fund_admin, application=first, amount="1000", paid_on=day, voucher_no="PZ-1")
    second = factories.application(owner, programme, works[1:])
    services.approve(user=fund_admin, application=second, amounts={second.items.get().pk: "1000"})
    with pytest.raises(ValidationError, match="PZ-1"):
        services.pay(user=fund_admin, application=second, amount="1000", paid_on=day, voucher_no="PZ-1")
    assert Payment.objects.count() == 1
    assert selectors.budget_line(programme).paid == Decimal("1000.00")


def test_a_programme_with_impossible_rules_is_refused(fund_admin):
    day = timezone.localdate()
    with pytest.raises(ValidationError, match="截止日期"):
        factories.programme(fund_admin, opens_on=day, closes_on=day - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="资助比例"):
        factories.programme(fund_admin, amount_rule="fee_share", fee_share_percent=0)
    with pytest.raises(ValidationError, match="未知的作品类别"):
        factories.programme(fund_admin, amount_rule="per_class", class_amounts={"PAINTING": "100"})
    for kinds in ([], ["lottery_ticket"]):
        with pytest.raises(ValidationError, match="资助的对象"):
            factories.programme(fund_admin, item_kinds=kinds)
    assert not Programme.objects.exists()
