"""Licensing in the browser: the holder's desk and offer, the public catalogue, a buyer's request, both signatures
filing the contract, the work's chain of title and the exchange; every page in Chinese, in English and at phone
width."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _three_ways(page, screenshot, name):
    """The page as it is (Chinese), in English, and at phone width without sideways scrolling; back to Chinese."""
    screenshot(f"licensing-{name}-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(f"licensing-{name}-en")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    screenshot(f"licensing-{name}-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()


def _disclosed(listing):
    """The listing as it stands once its disclosure period has ended (as if listed four weeks before)."""
    import datetime as dt

    from django.utils import timezone

    from artrights.licensing.models import Listing

    Listing.objects.filter(pk=listing.pk).update(disclosure_until=timezone.localdate() - dt.timedelta(days=1))
    listing.refresh_from_db()
    return listing


@pytest.fixture
def work(artist, registrar):
    from artrights.licensing.tests import factories

    return factories.registered(artist, registrar)


def test_an_offer_is_published_asked_for_signed_by_both_and_filed(
    live_server, page, screenshot, login, artist, outsider, work
):
    from artrights.licensing.models import Contract

    base = live_server.url
    login("artist-lin")
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name="许可与交易").first.click()
    page.wait_for_load_state()
    form = page.get_by_test_id("offer-form")
    form.locator("input[name=rights][value=network]").check()
    form.locator("select[name=royalty_model]").select_option("running_royalty")
    form.locator("input[name=royalty_rate]").fill("8")
    form.locator("input[name=channels]").fill("电商平台、文创衍生品")
    page.get_by_test_id("create-offer").click()
    page.wait_for_load_state()
    assert work.title in page.get_by_test_id("offers").inner_text()
    _three_ways(page, screenshot, "desk")

    page.get_by_test_id("logout").click()
    page.goto(f"{base}/licensing/catalogue/?right=network")
    assert work.title in page.get_by_test_id("offers").inner_text()
    _three_ways(page, screenshot, "catalogue")

    login("outsider-wu")
    page.goto(f"{base}/licensing/catalogue/")
    page.get_by_test_id("offers").get_by_role("link", name=work.title).click()
    page.wait_for_load_state()
    page.get_by_test_id("request-form").locator("input[name=valid_from]").fill("2026-01-01")
    page.get_by_test_id("request-licence").click()
    page.wait_for_load_state()
    page.get_by_test_id("sign").click()
    page.wait_for_load_state()
    assert any("确定签署" in question for question in page.dialogs)
    assert "林画家" in page.get_by_test_id("missing").inner_text()
    _three_ways(page, screenshot, "contract-draft")

    contract = Contract.objects.get()
    page.get_by_test_id("logout").click()
    login("artist-lin")
    page.goto(f"{base}/licensing/")
    page.get_by_test_id("to-sign").get_by_role("link", name=contract.number).click()
    page.wait_for_load_state()
    page.get_by_test_id("sign").click()
    page.wait_for_load_state()
    contract.refresh_from_db()
    assert contract.is_filed and contract.filing.number in page.get_by_test_id("filing-number").inner_text()
    _three_ways(page, screenshot, "contract-filed")

    page.goto(f"{base}/licensing/works/{work.number}/")
    assert contract.filing.number in page.get_by_test_id("licences").inner_text()
    assert "林*" in page.get_by_test_id("current-owner").inner_text()
    _three_ways(page, screenshot, "work")


def test_a_listing_is_bought_on_the_exchange_and_ends_in_a_transfer(
    live_server, page, screenshot, login, artist, outsider, work
):
    from artrights.licensing import services

    base = live_server.url
    listing = _disclosed(
        services.create_listing(
            user=artist, work=work, rights=["exhibition"], method="agreement", price=Decimal("80000")
        )
    )
    login("outsider-wu")
    page.goto(f"{base}/licensing/exchange/")
    assert listing.number in page.get_by_test_id("listings").inner_text()
    _three_ways(page, screenshot, "exchange")
    page.get_by_role("link", name=listing.number).click()
    page.wait_for_load_state()
    page.get_by_test_id("buy").click()
    page.wait_for_load_state()
    assert "转让合同" in page.locator("h1").inner_text()
    page.get_by_test_id("sign").click()
    page.wait_for_load_state()
    page.goto(f"{base}/licensing/exchange/{listing.number}/")
    assert "待签署" in page.get_by_test_id("trade").inner_text()
    _three_ways(page, screenshot, "listing")


def test_a_bidder_pays_the_deposit_waits_for_the_disclosure_and_bids_in_an_auction(
    live_server, page, screenshot, login, artist, outsider, work
):
    from artrights.licensing.tests import factories

    base = live_server.url
    listing = factories.auction(artist, work)
    login("outsider-wu")
    page.goto(f"{base}/licensing/exchange/{listing.number}/")
    assert "5000" in page.get_by_test_id("listing").inner_text()
    page.get_by_test_id("deposit-form").get_by_label("付款凭证号").fill("BZJ-E2E-1")
    page.get_by_test_id("register-deposit").click()
    page.wait_for_load_state()
    assert "BZJ-E2E-1" in page.get_by_test_id("deposits").inner_text()
    assert page.get_by_test_id("wait-disclosure").is_visible()
    _disclosed(listing)
    page.reload()
    page.get_by_test_id("bid-form").get_by_label("出价（元）").fill("51000")
    page.get_by_test_id("place-bid").click()
    page.wait_for_load_state()
    assert "51000" in page.get_by_test_id("bids").inner_text()
    assert "已交纳" in page.get_by_test_id("deposit-status").inner_text()
    _three_ways(page, screenshot, "auction")


def test_a_licensee_sees_the_guarantee_top_up_and_offers_a_sub_licence(
    live_server, page, screenshot, login, artist, outsider, work
):
    import datetime as dt

    from artrights.licensing import services
    from artrights.licensing.tests import factories

    base = live_server.url
    contract = factories.signed(
        factories.contract(
            artist,
            outsider,
            work,
            start=dt.date(2026, 1, 1),
            rights=["network"],
            royalty_model="minimum_guarantee",
            price=Decimal("8000"),
            royalty_rate=Decimal("10"),
            sublicensable=True,
        ),
        outsider,
        artist,
    )
    services.report_royalty(user=outsider, contract=contract, period_start=dt.date(2026, 1, 1), revenue=Decimal(6000))
    login("outsider-wu")
    page.goto(f"{base}/licensing/contracts/{contract.number}/")
    assert page.get_by_test_id("top-up").inner_text() == "400.00"
    page.get_by_test_id("sublicence-details").locator("summary").click()
    _three_ways(page, screenshot, "contract-guarantee")
    page.get_by_test_id("sublicence-details").locator("summary").click()
    form = page.get_by_test_id("sublicence-form")
    form.get_by_label("地域范围").select_option("worldwide")
    form.get_by_label("总价/保底/预付金额（元）").fill("1000")
    page.get_by_test_id("offer-sublicence").click()
    page.wait_for_load_state()
    assert "sublicence_scope" in page.content()
    page.get_by_test_id("sublicence-details").locator("summary").click()
    page.get_by_test_id("sublicence-form").get_by_label("地域范围").select_option("mainland")
    page.get_by_test_id("offer-sublicence").click()
    page.wait_for_load_state()
    assert page.url.endswith("/licensing/")
    page.goto(f"{base}/licensing/catalogue/")
    page.get_by_role("link", name=work.title).first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("sublicence").is_visible()


def test_the_public_statistics_draw_their_charts_for_every_capability(live_server, page, screenshot, artist, work):
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_test_id("nav-statistics").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("series-registrations").locator("svg.chart-wide rect").count() == 12
    assert page.get_by_test_id("series-mediation_cases").get_by_test_id("absent").count() == 0
    assert page.get_by_test_id("series-mediation_outcomes").is_visible()
    _three_ways(page, screenshot, "statistics")
    page.get_by_test_id("yearly-report").click()
    page.wait_for_load_state()
    assert "作品登记" in page.get_by_test_id("headline").inner_text()
    _three_ways(page, screenshot, "yearly-report")


def test_the_exchange_staff_record_a_losers_deposit_as_returned_and_the_bidder_sees_the_reference(
    live_server, page, screenshot, login, artist, outsider, registrar, make_user, work
):
    import datetime as dt

    from django.utils import timezone

    from artrights.licensing import services
    from artrights.licensing.models import Listing
    from artrights.licensing.tests import factories
    from artrights.testing import give_identity

    third = give_identity(
        make_user("third-zhou", "artist"), {"name": "周三", "id_type": "resident_id", "id_number": "110101199003070011"}
    )
    listing = _disclosed(factories.deposited(factories.auction(artist, work), outsider, third))
    services.bid(user=outsider, listing=listing, amount=Decimal("50000"))
    services.bid(user=third, listing=listing, amount=Decimal("58000"))
    # The bidding ended a minute ago; the seller awards the auction to the third bidder.
    Listing.objects.filter(pk=listing.pk).update(bidding_ends_at=timezone.now() - dt.timedelta(minutes=1))
    services.close_auction(user=artist, listing=Listing.objects.get(pk=listing.pk))

    base = live_server.url
    login("registrar-chen")
    page.goto(f"{base}/licensing/exchange/{listing.number}/")
    row = page.get_by_test_id("deposit-row").filter(has_text="吴路人")
    assert "待退还" in row.get_by_test_id("deposit-status").inner_text()
    row.get_by_test_id("return-details").locator("summary").click()
    row.get_by_test_id("return-form").get_by_label("退款凭证号（银行流水号或收据号）").fill("TK-E2E-20261130")
    screenshot("licensing-deposit-return-form-zh")
    row.get_by_test_id("return-deposit").click()
    page.wait_for_load_state()
    assert any("登记后不能撤销" in question for question in page.dialogs)
    row = page.get_by_test_id("deposit-row").filter(has_text="吴路人")
    assert "已退还" in row.get_by_test_id("deposit-status").inner_text()
    assert page.get_by_test_id("return-form").count() == 0  # the winner's deposit is part of the price

    page.context.clear_cookies()
    login("outsider-wu")
    page.goto(f"{base}/licensing/exchange/{listing.number}/")
    mine = page.get_by_test_id("deposits").inner_text()
    assert "已退还" in mine and "TK-E2E-20261130" in mine and "周三" not in mine
    _three_ways(page, screenshot, "deposit-returned")


def test_the_licensee_terminates_a_licence_on_its_page_after_confirming_and_the_licensor_reads_why(
    live_server, page, screenshot, login, artist, outsider, work
):
    import datetime as dt

    from django.utils import timezone

    from artrights.licensing.models import Contract
    from artrights.licensing.tests import factories

    start = timezone.localdate() - dt.timedelta(days=60)
    licence = factories.signed(
        factories.contract(artist, outsider, work, start=start, rights=["reproduction"], licensee_industry="出版"),
        outsider,
        artist,
    )
    base = live_server.url
    login("outsider-wu")
    page.goto(f"{base}/licensing/contracts/{licence.number}/")
    page.get_by_test_id("terminate-details").locator("summary").click()
    form = page.get_by_test_id("terminate-form")
    form.get_by_label("终止事由").select_option("breach")
    form.get_by_label("终止理由").fill("许可方交付的作品高清文件与登记作品不符，经书面催告十五日内仍未更正。")
    screenshot("licensing-contract-terminate-form-zh")
    page.get_by_test_id("terminate").click()
    page.wait_for_load_state()
    assert any("终止后不能撤销" in question for question in page.dialogs)
    assert Contract.objects.get(pk=licence.pk).status == "terminated"
    assert "已终止" in page.get_by_test_id("contract-status").inner_text()
    assert page.get_by_test_id("terminate-form").count() == 0

    page.context.clear_cookies()
    login("artist-lin")
    page.goto(f"{base}/licensing/contracts/{licence.number}/")
    notice = page.get_by_test_id("termination").inner_text()
    assert timezone.localdate().isoformat() in notice and "经书面催告" in notice and "吴路人" in notice
    _three_ways(page, screenshot, "contract-terminated")


def test_the_licensor_agrees_on_its_page_to_the_licensees_proposal_to_end_the_licence_by_agreement(
    live_server, page, screenshot, login, artist, outsider, work
):
    import datetime as dt

    from django.utils import timezone

    from artrights.licensing.models import Contract
    from artrights.licensing.tests import factories

    start = timezone.localdate() - dt.timedelta(days=60)
    licence = factories.signed(
        factories.contract(artist, outsider, work, start=start, rights=["reproduction"], licensee_industry="出版"),
        outsider,
        artist,
    )
    base = live_server.url
    login("outsider-wu")
    page.goto(f"{base}/licensing/contracts/{licence.number}/")
    page.get_by_test_id("propose-details").locator("summary").click()
    form = page.get_by_test_id("propose-form")
    form.get_by_label("解除说明").fill("我方出版计划取消，提议协商解除本许可；已付许可费不再退还。")
    page.get_by_test_id("propose-termination").click()
    page.wait_for_load_state()
    assert any("对方当事人将收到通知" in question for question in page.dialogs)
    assert "已签署并备案" in page.get_by_test_id("contract-status").inner_text()  # nothing ended yet
    assert page.get_by_test_id("withdraw-termination").is_visible()

    page.goto(f"{base}/licensing/")  # the proposer's desk keeps its open proposal in view
    assert licence.number in page.get_by_test_id("proposals-made").inner_text()

    page.context.clear_cookies()
    login("artist-lin")
    # The proposal waits on the dashboard and the desk of the side asked to answer, linking to the contract.
    page.goto(f"{base}/dashboard/")
    waiting = page.get_by_test_id("proposals-to-answer")
    assert licence.number in waiting.inner_text() and "吴路人" in waiting.inner_text()
    _three_ways(page, screenshot, "dashboard-proposal")
    page.goto(f"{base}/licensing/")
    assert licence.number in page.get_by_test_id("proposals-to-answer").inner_text()
    _three_ways(page, screenshot, "desk-proposal")
    page.get_by_test_id("proposals-to-answer").get_by_role("link", name=licence.number).click()
    page.wait_for_load_state()
    box = page.get_by_test_id("termination-proposal")
    assert "吴路人" in box.inner_text() and "出版计划取消" in box.inner_text()
    assert page.get_by_test_id("agree-termination").is_visible()
    page.get_by_test_id("decline-details").locator("summary").click()
    _three_ways(page, screenshot, "contract-proposal")
    page.get_by_test_id("decline-details").locator("summary").click()
    page.get_by_test_id("agree-termination").click()
    page.wait_for_load_state()
    assert any("不能撤销" in question for question in page.dialogs)
    assert Contract.objects.get(pk=licence.pk).status == "terminated"
    notice = page.get_by_test_id("termination").inner_text()
    assert "双方协商一致解除" in notice and "林画家" in page.get_by_test_id("agreed-by").inner_text()
    assert page.get_by_test_id("termination-proposal").count() == 0


def test_the_sub_licensee_reads_that_its_sub_licence_ended_with_the_licence_above(
    live_server, page, screenshot, login, artist, outsider, make_user, work
):
    import datetime as dt

    from django.utils import timezone

    from artrights.licensing import services
    from artrights.licensing.tests import factories
    from artrights.testing import give_identity

    third = give_identity(
        make_user("third-zhou", "artist"), {"name": "周三", "id_type": "resident_id", "id_number": "110101199003070011"}
    )
    start = timezone.localdate() - dt.timedelta(days=90)
    parent = factories.signed(
        factories.contract(
            artist, outsider, work, start=start, rights=["exhibition"], exclusivity="exclusive", sublicensable=True
        ),
        outsider,
        artist,
    )
    offer = services.create_offer(
        user=outsider, parent=parent, rights=["exhibition"], territory="cn-44", price=Decimal("6000"), term_months=3
    )
    sub = services.request_licence(user=third, offer=offer, valid_from=timezone.localdate() - dt.timedelta(days=20))
    sub = factories.signed(sub, third, outsider)
    day = timezone.localdate() - dt.timedelta(days=2)
    services.terminate_contract(
        user=artist, contract=parent, on_date=day, ground="breach", reason="被许可方未按约定支付许可费。"
    )
    base = live_server.url
    login("third-zhou")
    page.goto(f"{base}/licensing/contracts/{sub.number}/")
    assert "已终止" in page.get_by_test_id("contract-status").inner_text()
    assert page.get_by_test_id("terminated-parent").inner_text() == parent.number
    assert parent.number in page.get_by_test_id("termination-reason").inner_text()
    assert page.get_by_test_id("termination-date").inner_text() == day.isoformat()
    _three_ways(page, screenshot, "sublicence-terminated")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert "was terminated, so this sub-licence" in page.get_by_test_id("termination-reason").inner_text()
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()


def test_the_royalty_reports_of_a_terminated_guarantee_licence_show_the_cut_short_last_period(
    live_server, page, screenshot, login, artist, outsider, work
):
    import datetime as dt

    from artrights.licensing import services
    from artrights.licensing.tests import factories

    licence = factories.signed(
        factories.contract(
            artist,
            outsider,
            work,
            start=dt.date(2025, 1, 1),
            rights=["network"],
            royalty_model="minimum_guarantee",
            price=Decimal("8000"),
            royalty_rate=Decimal("10"),
            reporting_months=3,
        ),
        outsider,
        artist,
    )
    services.terminate_contract(
        user=artist, contract=licence, on_date=dt.date(2025, 5, 15), ground="other", reason="被许可方停止经营。"
    )
    licence.refresh_from_db()
    services.report_royalty(user=outsider, contract=licence, period_start=dt.date(2025, 1, 1), revenue=Decimal(2000))
    services.report_royalty(user=outsider, contract=licence, period_start=dt.date(2025, 4, 1), revenue=Decimal(1000))
    base = live_server.url
    login("outsider-wu")
    page.goto(f"{base}/licensing/contracts/{licence.number}/")
    tops = page.get_by_test_id("top-up").all_inner_texts()
    assert tops == ["800.00", "394.51"]
    assert "494.51" in page.get_by_test_id("cut-short").inner_text()
    page.get_by_test_id("reports").scroll_into_view_if_needed()
    screenshot("licensing-contract-terminated-royalties-zh")
