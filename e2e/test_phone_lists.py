"""Lists on a phone: every list table with a heading row becomes a stack of cards at phone width, each cell on its
own line after its column's heading, with nothing to scroll sideways and no word or date broken over two lines;
at desktop width the same tables keep their columns side by side. In Chinese and in English."""

from __future__ import annotations

import itertools

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _cards(layout, table, labels):
    """Each row of ``table`` reads as a card at phone width: its heading row hidden, its cells one under another,
    each after its column's label (``labels``, in the page's language). Returns the rows' cells."""
    layout.no_sideways_scrolling()
    assert not table.locator("thead").is_visible()
    # Shown as blocks, it is still a table to a screen reader: the roles its elements have are written out.
    assert table.get_attribute("role") == "table"
    assert table.locator("tbody > tr").first.get_attribute("role") == "row"
    assert table.locator("thead th").first.get_attribute("role") == "columnheader"
    rows = layout.cells(table)
    assert rows
    for cells in rows:
        assert [cell["label"] for cell in cells] == [f'"{label}"' for label in labels]
        assert all(cell["labelShown"] for cell in cells)
        for above, below in itertools.pairwise(cells):
            assert below["top"] >= above["bottom"] - 1, (above, below)
            assert abs(below["left"] - above["left"]) < 1
        assert all(cell["right"] <= PHONE["width"] for cell in cells)
    return rows


def _columns(layout, table):
    """At desktop width the table is a table again: heading row shown, cells of a row side by side, no labels."""
    assert table.locator("thead").is_visible()
    for cells in layout.cells(table):
        assert len({round(cell["top"]) for cell in cells}) == 1
        assert [cell["left"] for cell in cells] == sorted({cell["left"] for cell in cells})
        assert all(cell["label"] in ("none", "normal") for cell in cells)


def test_the_auction_deposits_read_as_cards_on_a_phone_with_the_status_and_dates_on_one_line(
    live_server, page, layout, screenshot, login, artist, outsider, registrar, make_user
):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from artrights.licensing import services
    from artrights.licensing.models import Deposit, Listing
    from artrights.licensing.tests import factories
    from artrights.testing import give_identity

    work = factories.registered(artist, registrar)
    third = give_identity(
        make_user("third-zhou", "artist"), {"name": "周三", "id_type": "resident_id", "id_number": "110101199003070011"}
    )
    listing = factories.deposited(factories.auction(artist, work), outsider, third)
    Listing.objects.filter(pk=listing.pk).update(disclosure_until=timezone.localdate() - dt.timedelta(days=1))
    listing = Listing.objects.get(pk=listing.pk)
    services.bid(user=outsider, listing=listing, amount=Decimal("50000"))
    services.bid(user=third, listing=listing, amount=Decimal("58000"))
    Listing.objects.filter(pk=listing.pk).update(bidding_ends_at=timezone.now() - dt.timedelta(minutes=1))
    services.close_auction(user=artist, listing=Listing.objects.get(pk=listing.pk))

    login("registrar-chen")
    page.goto(f"{live_server.url}/licensing/exchange/{listing.number}/")
    deposits = page.get_by_test_id("deposits")
    _columns(layout, deposits)
    labels = ["竞买人", "金额（元）", "交纳日期", "付款凭证号", "状态", "退还"]

    # The loser's card holds the form to record the return: under its label, as wide as the card, and usable.
    page.set_viewport_size(PHONE)
    _cards(layout, deposits, labels)
    row = page.get_by_test_id("deposit-row").filter(has_text="吴路人")
    row.get_by_test_id("return-details").locator("summary").click()
    form = row.get_by_test_id("return-form")
    form.get_by_label("退款凭证号（银行流水号或收据号）").fill("TK-E2E-20261130")
    layout.no_sideways_scrolling()
    cell, card = row.get_by_test_id("deposit-return").bounding_box(), row.bounding_box()
    label = row.get_by_test_id("deposit-return").evaluate("(cell) => getComputedStyle(cell, '::before').display")
    assert label == "block" and form.bounding_box()["width"] > card["width"] * 0.8 and cell["x"] - card["x"] < 2
    screenshot("phone-list-licensing-deposit-return-form")
    row.get_by_test_id("return-deposit").click()
    page.wait_for_load_state()
    assert Deposit.objects.get(listing=listing, bidder_user=outsider).return_reference == "TK-E2E-20261130"

    page.set_viewport_size(DESKTOP)
    _columns(layout, deposits)
    screenshot("desktop-list-licensing-deposits")
    page.set_viewport_size(PHONE)
    rows = _cards(layout, deposits, labels)
    returned = next(cells for cells in rows if cells[4]["text"] == "已退还")
    assert returned[2]["lines"] == 1  # the date paid
    assert returned[4]["lines"] == 1  # 已退还, not 已退 / 还
    assert "TK-E2E-20261130" in returned[5]["text"]
    screenshot("phone-list-licensing-deposits-zh")

    layout.switch_language()
    rows = _cards(layout, deposits, ["Bidder", "Amount (CNY)", "Paid on", "Payment reference", "Status", "Return"])
    returned = next(cells for cells in rows if cells[4]["text"] == "Returned")
    assert returned[2]["lines"] == 1 and returned[4]["lines"] == 1
    screenshot("phone-list-licensing-deposits-en")


def test_the_registrars_queue_reads_as_labelled_cards_on_a_phone_and_as_columns_on_a_desktop(
    live_server, page, layout, screenshot, login, artist, registrar
):
    from artrights.registry import services
    from artrights.registry.tests.factories import OWNER, samples, work_fields

    for n, title in enumerate(["山水长卷", "城市夜景系列之二"]):
        work = services.create_application(
            user=artist, fields=work_fields(title=title), owners=[OWNER], files=samples(60 + n)
        )
        services.submit(work=work, user=artist)

    login("registrar-chen")
    page.goto(f"{live_server.url}/registry/review/")
    queue = page.locator("table.queue")
    _columns(layout, queue)
    screenshot("desktop-list-review-queue")

    page.set_viewport_size(PHONE)
    rows = _cards(layout, queue, ["流水号", "作品名称", "申请人", "状态", "提交时间", "审核期限", "重复登记提示"])
    assert len(rows) == 2
    for cells in rows:
        assert cells[3]["lines"] == 1 and cells[4]["lines"] == 1  # the status badge and the date submitted
    screenshot("phone-list-review-queue-zh")

    layout.switch_language()
    labels = ["Acceptance number", "Title", "Requester", "Status", "Submitted", "Review deadline", "Duplicate warnings"]
    for cells in _cards(layout, queue, labels):
        assert cells[4]["lines"] == 1
    screenshot("phone-list-review-queue-en")


def test_the_public_credit_records_read_as_cards_on_a_phone(live_server, page, layout, screenshot, make_user):
    from artrights.accounts.models import OrganisationKind
    from artrights.accounts.tests.factories import organisation
    from artrights.credit.tests import factories

    department = organisation(OrganisationKind.DEPARTMENT, "深圳市市场监督管理局")
    supervisor = make_user("credit-supervisor", "supervisor", organisation=department)
    subject = factories.subject(supervisor, name="深圳市卡片测试科技有限公司")
    factories.record(supervisor, subject)
    factories.record(supervisor, subject, behaviour="MAL_TM", decided_on=factories.days_ago(30))

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/credit/?q=卡片测试")
    records = page.get_by_test_id("records")
    labels = ["记录编号", "信用主体", "失信行为", "严重程度", "决定日期", "公示截止", "状态"]
    rows = _cards(layout, records, labels)
    assert len(rows) == 2
    for cells in rows:
        assert cells[4]["lines"] == 1 and cells[5]["lines"] == 1  # both dates
        assert cells[6]["lines"] == 1
    screenshot("phone-list-credit-records-zh")

    layout.switch_language()
    labels = ["Record number", "Credit subject", "Dishonest conduct", "Severity", "Decision date", "Published until"]
    for cells in _cards(layout, records, [*labels, "Status"]):
        assert cells[4]["lines"] == 1 and cells[5]["lines"] == 1
    screenshot("phone-list-credit-records-en")


def test_a_list_htmx_swaps_in_later_is_labelled_too_a_table_without_headings_stays_a_table_and_a_queue_stacks(
    live_server, page, layout
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/credit/")
    # As a panel polling for its result would bring it: a list with an empty cell and a row across all columns.
    page.evaluate(
        """htmx.swap(document.querySelector("main"), `
        <table class="list" data-testid="swapped"><thead><tr><th>编号</th><th>备注</th><th>操作</th></tr></thead>
        <tbody><tr><td>A-1</td><td> </td><td><button type="button">撤回</button></td></tr>
        <tr><td colspan="3">没有更多记录。</td></tr></tbody></table>
        <table class="list" data-testid="plain"><tbody><tr><th>决定日期</th><td>2026-12-01</td></tr></tbody></table>
        <table class="list queue" data-testid="clocks"><tbody>
        <tr><th>申请日期</th><td>2026-12-01</td><th>受理期限</th><td>2026-12-04</td></tr></tbody></table>`,
        {swapStyle: "beforeend"})"""
    )
    swapped = page.get_by_test_id("swapped")
    cells = layout.cells(swapped)
    assert [cell["label"] for cell in cells[0]] == ['"编号"', '"备注"', '"操作"']
    empty = swapped.locator("tbody tr").first.locator("td").nth(1)
    assert empty.evaluate("(cell) => getComputedStyle(cell, '::after').content") == '"—"'
    assert cells[1][0]["label"] in ("none", "normal")  # one cell across every column: no label
    assert not swapped.locator("thead").is_visible()
    plain = layout.cells(page.get_by_test_id("plain"))[0]
    assert round(plain[0]["top"]) == round(plain[1]["top"]) and plain[0]["left"] < plain[1]["left"]
    assert all(cell["label"] in ("none", "normal") for cell in plain)
    # A queue without a heading row (the headings in its rows) still stacks, each heading above its value.
    clocks = layout.cells(page.get_by_test_id("clocks"))[0]
    for above, below in itertools.pairwise(clocks):
        assert below["top"] >= above["bottom"] - 1 and abs(below["left"] - above["left"]) < 1
    assert clocks[1]["lines"] == 1 and clocks[3]["lines"] == 1
    layout.no_sideways_scrolling()
