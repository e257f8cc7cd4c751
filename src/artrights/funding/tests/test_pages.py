"""The fund's pages: applying from the owner's records, the application's page with its decisions and payment,
the administrator's programmes, queue and budget with its CSV; outsiders see nothing; English pages read in
English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from artrights.funding.models import Application, Programme, Status
from artrights.funding.tests import factories

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def _main(html: str) -> str:
    """The page's own content, without the header, the footer and the (bilingual) language switch."""
    body = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


def test_the_owner_applies_from_the_page_with_the_items_prefilled(client, owner, programme, works):
    client.force_login(owner)
    page = client.get(f"/funding/programmes/{programme.code}/apply/").content.decode()
    assert works[0].number in page and works[1].number in page
    response = client.post(
        f"/funding/programmes/{programme.code}/apply/",
        {"owner": owner.party.pk, "items": [f"registry.work:{works[0].pk}"], "doc_0": factories.form()},
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/funding/applications/{application.number}/"
    page = client.get(response["Location"]).content.decode()
    assert works[0].number in page and "待审核" in page
    assert application.number in client.get("/funding/").content.decode()


def test_a_missing_document_is_shown_on_the_page_and_nothing_is_saved(client, owner, programme, works):
    client.force_login(owner)
    response = client.post(
        f"/funding/programmes/{programme.code}/apply/",
        {"owner": owner.party.pk, "items": [f"registry.work:{works[0].pk}"]},
    )
    assert response.status_code == 200
    assert f"缺少须提交的材料：{factories.FORM}" in response.content.decode()
    assert not Application.objects.exists()


def test_the_administrator_grants_and_records_the_payment_and_the_budget_shows_it(
    client, owner, fund_admin, programme, works
):
    application = factories.application(owner, programme, works[:1])
    item = application.items.get()
    client.force_login(fund_admin)
    assert application.number in client.get("/funding/admin/queue/").content.decode()
    response = client.post(f"/funding/applications/{application.number}/approve/", {f"amount_{item.pk}": "1000.00"})
    assert response.status_code == 302
    response = client.post(
        f"/funding/applications/{application.number}/pay/",
        {"amount": "1000.00", "paid_on": timezone.localdate().isoformat(), "voucher_no": "PZ-PAGE-1"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.PAID
    page = client.get("/funding/admin/budget/").content.decode()
    assert "99000.00" in page and "1000.00" in page
    day = timezone.localdate()
    csv = client.get(
        "/funding/admin/budget/", {"start": (day - dt.timedelta(days=1)).isoformat(), "end": day.isoformat()}
    )
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert f"{programme.code},{application.number},{owner.party.name},1000.00,{day.isoformat()},PZ-PAGE-1" in text


def test_a_refused_approval_is_shown_and_changes_nothing(client, owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works[:1])
    item = application.items.get()
    client.force_login(fund_admin)
    response = client.post(f"/funding/applications/{application.number}/approve/", {f"amount_{item.pk}": "5000"})
    assert response.status_code == 400
    assert "超过申请金额" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_administrator_sets_up_a_programme_on_the_page(client, fund_admin):
    client.force_login(fund_admin)
    day = timezone.localdate()
    response = client.post(
        "/funding/admin/programmes/",
        {
            "code": "SZ-PAGE",
            "name": "页面设立的项目",
            "item_kinds": ["work_registration"],
            "amount_rule": "per_class",
            "amount": "0",
            "class_amounts": "FINE_ART=3000\nPHOTOGRAPHY=800",
            "fee_share_percent": "0",
            "cap_per_applicant_year": "9000",
            "budget": "90000",
            "local_only": "on",
            "region_code": "4403",
            "city_name": "深圳",
            "opens_on": day.isoformat(),
            "closes_on": (day + dt.timedelta(days=30)).isoformat(),
            "required_documents": "资助申请表\n身份证明",
            "review_days": "20",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(code="SZ-PAGE")
    assert programme.class_amounts == {"FINE_ART": "3000.00", "PHOTOGRAPHY": "800.00"}
    assert programme.required_documents == ["资助申请表", "身份证明"]


def test_outsiders_see_no_application_and_no_administration(client, owner, outsider, programme, works):
    application = factories.application(owner, programme, works[:1])
    client.force_login(outsider)
    assert client.get(f"/funding/applications/{application.number}/").status_code == 404
    assert client.post(f"/funding/applications/{application.number}/withdraw/").status_code == 404
    for path in ("/funding/admin/programmes/", "/funding/admin/queue/", "/funding/admin/budget/"):
        assert client.get(path).status_code == 403, path
    assert application.number not in client.get("/funding/").content.decode()
    client.logout()
    assert client.get("/funding/").status_code == 302


def test_the_fund_pages_read_in_english(client, owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works[:1])
    client.cookies["django_language"] = "en"
    client.force_login(fund_admin)
    pages = [
        "/funding/",
        f"/funding/applications/{application.number}/",
        "/funding/admin/programmes/",
        f"/funding/admin/programmes/{programme.code}/",
        "/funding/admin/queue/",
        "/funding/admin/budget/",
    ]
    # What people wrote (names, titles, document names, registration numbers) stays as written.
    names = programme.name + owner.party.name + "".join(f"{w.title}{w.number}" for w in works)
    names += str(fund_admin) + fund_admin.organisation.name + factories.FORM
    for user, paths in ((owner, [f"/funding/programmes/{programme.code}/apply/"]), (fund_admin, pages)):
        client.force_login(user)
        for path in paths:
            leftover = [c for c in CJK.findall(_main(client.get(path).content.decode())) if c not in names]
            assert leftover == [], (path, "".join(leftover))


def test_a_training_event_without_its_date_is_refused_on_the_page(client, owner, programme, works):
    client.force_login(owner)
    response = client.post(
        f"/funding/programmes/{programme.code}/apply/",
        {"owner": owner.party.pk, "event_title": "版权保护讲座", "doc_0": factories.form()},
    )
    assert "请同时填写活动名称和活动日期" in response.content.decode()
    assert not Application.objects.exists()


def test_a_training_event_is_applied_for_from_the_page(client, owner, programme):
    client.force_login(owner)
    held = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(
        f"/funding/programmes/{programme.code}/apply/",
        {
            "owner": owner.party.pk,
            "event_title": "版权保护讲座",
            "event_date": held.isoformat(),
            "doc_0": factories.form(),
        },
    )
    assert response.status_code == 302
    item = Application.objects.get().items.get()
    assert (item.kind, item.reference, item.dated) == ("training_event", "版权保护讲座", held)
