"""A match report for a cropped copy, and the watch page with a failed check, as a rights holder sees them; a
near-copy application as its registrar sees it (Chinese, English, and a phone's width)."""

import http.server
import io
import re
import threading

import pytest
from PIL import Image, ImageOps

from artrights.matching import services as matching
from artrights.matching.models import UrlCheck
from artrights.matching.tests import factories
from artrights.registry import services as registry
from artrights.registry.tests.factories import OTHER_OWNER, OWNER, artwork_png, upload, work_fields
from artrights.testing import LIN, WU, allow_fetching

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def _check(page, base, suspect):
    """Check the image file ``suspect`` on the check page; the browser lands on the report."""
    page.goto(f"{base}/matching/")
    page.set_input_files("input[name=image]", str(suspect))
    page.get_by_test_id("check-submit").click()
    page.wait_for_load_state()


def _no_sideways_scrolling(page):
    wide = page.evaluate(
        f"""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > {PHONE["width"]})
        .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide


def _registered(user, seed, title, *, image=None, owner=OWNER):
    matching._process_index.reset()  # the live server shares this process's index; start it afresh
    work = registry.file_digital_work(
        user=user,
        fields=work_fields(title=title),
        owners=[owner],
        files=[registry.SampleInput(upload(image or artwork_png(seed, (640, 480))))],
        issue_now=False,
    )
    matching.fingerprint_work(work)
    return work


def _box(drawn):
    """The bounding box of a drawn area, in the pixels of the image it is drawn on."""
    return drawn.evaluate("el => { const b = el.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; }")


def test_a_report_marks_a_cropped_copy_on_both_images(live_server, page, screenshot, make_user, tmp_path, login):
    owner = make_user("e2e-owner", "artist", identity=LIN)
    work = _registered(owner, 301, "梧桐山日出")
    crop = Image.open(io.BytesIO(artwork_png(301, (640, 480)))).convert("RGB").crop((220, 140, 540, 420))
    suspect = tmp_path / "shop-crop.jpg"
    crop.save(suspect, "JPEG", quality=85)

    login(owner.username)
    _check(page, live_server.url, suspect)
    match = page.get_by_test_id("match")
    assert work.number in match.inner_text()
    assert page.get_by_test_id("match-label").inner_text() == "近似复制"
    score = page.get_by_test_id("match-score").inner_text()
    assert len(score.split(".")[1]) == 4
    # On the suspect image the area is the whole crop; on the work, the part the crop was cut from.
    qx0, qy0, qx1, qy1 = _box(page.get_by_test_id("query-area"))
    assert qx0 >= 0 and qy0 >= 0 and qx1 <= 320.5 and qy1 <= 280.5 and (qx1 - qx0) * (qy1 - qy0) > 0.95 * 320 * 280
    wx0, wy0, wx1, wy1 = _box(page.get_by_test_id("work-area"))
    assert abs(wx0 - 220) < 10 and abs(wy0 - 140) < 10 and abs(wx1 - 540) < 10 and abs(wy1 - 420) < 10
    assert page.get_by_test_id("registered-at").inner_text() != "—"
    # why it was found: the agreeing keypoints spread over most of the textured cells of the matched area
    agreeing, _, textured, _ = page.get_by_test_id("regions").inner_text().split(maxsplit=4)[:4]
    assert int(textured) >= 20 and int(agreeing) > 0.5 * int(textured)
    screenshot("match-report-crop-zh")

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("match-label").inner_text() == "Near copy"
    assert " of " in page.get_by_test_id("regions").inner_text()
    screenshot("match-report-crop-en")

    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("match-report-crop-phone")
    _no_sideways_scrolling(page)


def test_a_registrar_sees_why_an_application_was_found_to_copy_a_registered_work(
    live_server, page, screenshot, make_user, login
):
    owner = make_user("e2e-painter", "artist", identity=LIN)
    copier = make_user("e2e-copier", "artist", identity=WU)
    registrar = make_user("e2e-registrar", "registrar")
    original = _registered(owner, 305, "大鹏湾晨雾")
    # the copier cuts most of the painting out, brightens it and puts it on a product page
    painting = Image.open(io.BytesIO(artwork_png(305, (640, 480)))).convert("RGB").crop((40, 30, 600, 450))
    page_image = Image.new("RGB", (900, 700), (240, 238, 230))
    page_image.paste(painting.resize((504, 378)), (60, 90))
    data = io.BytesIO()
    page_image.save(data, "JPEG", quality=85)
    copy = registry.create_application(
        user=copier,
        fields=work_fields(title="晨雾海湾"),
        owners=[OTHER_OWNER],
        files=[registry.SampleInput(upload(data.getvalue(), "product.jpg", "image/jpeg"))],
    )
    registry.submit(work=copy, user=copier)

    login(registrar.username)
    page.goto(f"{live_server.url}/registry/works/{copy.pk}/")
    warning = page.get_by_test_id("duplicate-warning")
    assert original.number in warning.inner_text()
    why = page.get_by_test_id("why").inner_text()
    assert "几何吻合的特征点" in why and "匹配部分占本申请样本" in why
    # the product page shows 560 x 420 of the 640 x 480 painting (76.6 %), not all of it
    earlier = float(re.search(r"占该作品样本 ([\d.]+)%", why).group(1))  # type: ignore[union-attr]
    assert 70 < earlier < 83
    screenshot("registrar-near-copy-why-zh")

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert "keypoints" in page.get_by_test_id("why").inner_text()
    screenshot("registrar-near-copy-why-en")

    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("registrar-near-copy-why-phone")
    _no_sideways_scrolling(page)


def test_a_later_filing_of_a_mirrored_copy_is_listed_after_the_original(
    live_server, page, screenshot, make_user, tmp_path, login
):
    from artrights.registry.tests.factories import OTHER_OWNER

    painter, copier = make_user("e2e-painter", "artist", identity=LIN), make_user("e2e-copier", "artist", identity=WU)
    registrar = make_user("e2e-registrar", "registrar")
    flipped = ImageOps.mirror(Image.open(io.BytesIO(artwork_png(303, (640, 480)))).crop((0, 60, 400, 480)))
    buffer = io.BytesIO()
    flipped.save(buffer, "PNG")
    # Filed after the original: screening held it, and a registrar let it through (a licence was shown).
    original = _registered(painter, 303, "原作")
    copy = _registered(copier, None, "镜中花", image=buffer.getvalue(), owner=OTHER_OWNER)
    assert copy.status == "held"
    registry.release(work=copy, registrar=registrar, screening_note="被许可人出示了原作者的授权书。")
    copy.refresh_from_db()
    suspect = tmp_path / "copy.png"
    suspect.write_bytes(buffer.getvalue())  # the copy's own file

    login(painter.username)
    _check(page, live_server.url, suspect)
    matches = page.get_by_test_id("match")
    assert matches.count() == 2
    first, second = matches.nth(0), matches.nth(1)
    assert original.number in first.get_by_role("heading").inner_text()
    assert first.get_by_test_id("priority").is_visible()
    assert second.get_by_test_id("match-label").inner_text() == "同一文件"
    assert original.number in second.get_by_test_id("later-note").inner_text()
    # On the original, the area is the part the mirrored copy was cut from: the left 400 x 420 pixels.
    x0, y0, x1, y1 = _box(first.get_by_test_id("work-area"))
    assert x0 < 10 and abs(x1 - 400) < 12 and abs(y0 - 60) < 12 and y1 > 470
    screenshot("match-report-priority-zh")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_watch_page_shows_a_failed_check_with_its_reason(
    live_server, page, screenshot, make_user, tmp_path, login, settings
):
    owner = make_user("e2e-watcher", "artist", identity=LIN)
    work = _registered(owner, 302, "大芬村的早晨")
    copy = Image.open(io.BytesIO(artwork_png(302, (640, 480)))).convert("RGB").crop((0, 0, 500, 400))
    copy.save(tmp_path / "poster.jpg", "JPEG", quality=85)
    (tmp_path / "shop.html").write_text('<html><img src="poster.jpg"><img src="banner-gone.png"></html>')
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_port)
    try:
        shop = matching.watch_page(user=owner, url=f"http://127.0.0.1:{server.server_port}/shop.html")
        assert matching.check_page(shop).new_hits == 1
        gone = matching.watch_page(user=owner, url=f"http://127.0.0.1:{server.server_port}/closed-store.html")
        matching.check_page(gone)
    finally:
        server.shutdown()
    down = factories.watched_page(owner, "http://127.0.0.1:9/market/item-8848.html")  # a shop since closed
    matching.check_page(down)

    login(owner.username)
    page.goto(f"{live_server.url}/matching/watch/")
    outcomes = page.get_by_test_id("check-outcome").all_inner_texts()
    assert any("失败" in o and "无法连接网站 127.0.0.1" in o for o in outcomes)
    assert any("失败" in o and "404" in o for o in outcomes)
    assert "成功" in outcomes
    assert work.number in page.content()
    assert page.get_by_test_id("no-copies").count() == 0
    screenshot("watch-failed-check-zh")

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    outcomes = page.get_by_test_id("check-outcome").all_inner_texts()
    assert any("Failed" in o and "Could not connect to 127.0.0.1" in o for o in outcomes)
    screenshot("watch-failed-check-en")

    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("watch-failed-check-phone")
    _no_sideways_scrolling(page)


def test_a_suspect_image_given_by_its_url_is_checked_by_the_worker_and_its_page_opens_the_report(
    live_server, page, screenshot, make_user, tmp_path, login, settings
):
    owner = make_user("e2e-url-checker", "artist", identity=LIN)
    work = _registered(owner, 304, "莲花山的风筝")
    crop = Image.open(io.BytesIO(artwork_png(304, (640, 480)))).convert("RGB").crop((100, 60, 560, 420))
    crop.save(tmp_path / "poster.jpg", "JPEG", quality=85)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_port)
    poster = f"http://127.0.0.1:{server.server_port}/poster.jpg"
    login(owner.username)
    try:
        # Waiting for the worker: the page says so, and opens the report by itself once the worker is done.
        waiting = UrlCheck.objects.create(requester=owner, url=poster)
        page.goto(f"{live_server.url}/matching/url-checks/{waiting.pk}/")
        assert "已排队" in page.get_by_test_id("url-check-status").inner_text()
        screenshot("url-check-waiting-zh")
        matching.run_url_check(waiting.pk)
        page.wait_for_url(f"**/matching/reports/{UrlCheck.objects.get(pk=waiting.pk).report_id}/", timeout=10_000)
        assert work.number in page.get_by_test_id("match").first.inner_text()

        # From the check page (the worker runs at once in tests): the browser lands on the report.
        page.goto(f"{live_server.url}/matching/")
        page.fill("input[name=url]", poster)
        page.get_by_test_id("check-submit").click()
        page.wait_for_url("**/matching/reports/**")
        assert work.number in page.get_by_test_id("match").first.inner_text()
    finally:
        server.shutdown()

    # An address inside the platform's network fails with the same words as a dead site, in the reader's language.
    page.goto(f"{live_server.url}/matching/")
    page.fill("input[name=url]", "http://169.254.169.254/latest/meta-data/")
    page.get_by_test_id("check-submit").click()
    page.wait_for_url("**/matching/url-checks/**")
    assert "无法连接网站 169.254.169.254" in page.get_by_test_id("url-check-failure").inner_text()
    screenshot("url-check-failed-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert "Could not connect to 169.254.169.254" in page.get_by_test_id("url-check-failure").inner_text()
    screenshot("url-check-failed-en")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("url-check-failed-phone")
    _no_sideways_scrolling(page)


def test_a_person_with_too_many_url_checks_under_way_is_told_to_wait(
    live_server, page, screenshot, make_user, login, settings
):
    settings.ARTRIGHTS_URL_CHECKS_PER_USER = 1
    owner = make_user("e2e-busy-checker", "artist", identity=LIN)
    UrlCheck.objects.create(requester=owner, url="https://shop.example.com/item/8848/main-picture.jpg")
    login(owner.username)
    page.goto(f"{live_server.url}/matching/")
    page.fill("input[name=url]", "https://shop.example.com/item/8849/main-picture.jpg")
    page.get_by_test_id("check-submit").click()
    page.wait_for_load_state()
    assert "您已有 1 个网址检查正在进行" in page.get_by_test_id("check-form").inner_text()
    assert "排队中" in page.get_by_test_id("url-checks").inner_text()
    screenshot("url-check-limit-zh")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert "Queued" in page.get_by_test_id("url-checks").inner_text()
    page.fill("input[name=url]", "https://shop.example.com/item/8849/main-picture.jpg")
    page.get_by_test_id("check-submit").click()
    page.wait_for_load_state()
    assert "You already have 1 URL check under way" in page.get_by_test_id("check-form").inner_text()
    screenshot("url-check-limit-en")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("url-check-limit-phone")
    _no_sideways_scrolling(page)
