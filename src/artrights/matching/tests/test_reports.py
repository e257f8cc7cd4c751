"""Match reports a court can read: the matched area on both images, what kind of copy it is, priority by
registration date, and monitoring that tells a failed check from "nothing found"."""

import datetime as dt
import http.server
import io
import threading

import numpy as np
import pytest
from django.utils import timezone
from PIL import Image, ImageEnhance, ImageOps

from artrights.matching import selectors, services
from artrights.matching.models import PageCheck
from artrights.matching.scoring import matched_areas, polygon_area
from artrights.matching.tests import factories
from artrights.matching.tests.factories import copy_of
from artrights.registry import services as registry
from artrights.registry.models import Work
from artrights.registry.tests.factories import OTHER_OWNER, artwork_png, upload
from artrights.testing import allow_fetching

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_index")]

SIZE = (640, 480)


def _artwork(seed):
    return Image.open(io.BytesIO(artwork_png(seed, SIZE))).convert("RGB")


def _jpeg(image, quality=90):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _box(polygon):
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _inside(polygon, width, height):
    return all(-0.5 <= x <= width + 0.5 and -0.5 <= y <= height + 0.5 for x, y in polygon)


def _only_match(register, user, seed, query):
    work = register(image=artwork_png(seed, SIZE))
    report = services.check_image(user=user, data=query, name="suspect.jpg")
    assert [r["number"] for r in report.results] == [work.number]
    return report, report.results[0]


# The matched area on both images --------------------------------------------------------------------------


def test_a_crop_is_marked_inside_the_suspect_image_and_on_the_part_of_the_work_it_shows(register, outsider):
    suspect = _artwork(81).crop((200, 120, 520, 400))  # the middle of the painting, 320 x 280
    report, match = _only_match(register, outsider, 81, _jpeg(suspect))
    assert _inside(match["query_area"], report.width, report.height)
    assert match["query_share"] > 0.97  # all of the suspect image is the copied part
    assert _inside(match["work_area"], *SIZE)
    x0, y0, x1, y1 = _box(match["work_area"])
    assert abs(x0 - 200) < 8 and abs(y0 - 120) < 8 and abs(x1 - 520) < 8 and abs(y1 - 400) < 8
    assert match["work_share"] == pytest.approx(320 * 280 / (640 * 480), abs=0.03)
    assert match["label"] == "near_copy"
    # The engine's region (the work's corners in the suspect image) still lies outside it, as before.
    assert not _inside(match["region"], report.width, report.height)


def test_a_rotated_copy_is_marked_where_the_turned_picture_lies(register, outsider):
    suspect = _artwork(82).rotate(30, expand=True, fillcolor=(255, 255, 255))
    report, match = _only_match(register, outsider, 82, _jpeg(suspect))
    assert _inside(match["query_area"], report.width, report.height)
    # The four corners of the painting, turned 30 degrees about the centre of the enlarged canvas.
    c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
    cx, cy = suspect.width / 2, suspect.height / 2
    expected = [(cx + (x - 320) * c + (y - 240) * s, cy - (x - 320) * s + (y - 240) * c) for x, y in
                [(0, 0), (640, 0), (640, 480), (0, 480)]]  # fmt: skip
    for ex, ey in expected:
        assert min(np.hypot(ex - x, ey - y) for x, y in match["query_area"]) < 12
    assert match["work_share"] > 0.95 and match["query_share"] == pytest.approx(
        640 * 480 / suspect.size[0] / suspect.size[1], abs=0.03
    )


def test_a_mirrored_crop_is_marked_on_the_side_of_the_work_it_was_taken_from(register, outsider):
    suspect = ImageOps.mirror(_artwork(83).crop((0, 0, 330, 480)))  # the left part, flipped
    report, match = _only_match(register, outsider, 83, _jpeg(suspect))
    assert _inside(match["query_area"], report.width, report.height) and match["query_share"] > 0.97
    x0, y0, x1, y1 = _box(match["work_area"])
    assert x0 < 8 and abs(x1 - 330) < 10 and y0 < 8 and y1 > 472


def test_a_copy_in_perspective_is_marked_on_its_four_corners(register, outsider):
    import cv2

    corners = np.array([[0, 0], [640, 0], [640, 480], [0, 480]], np.float32)
    seen = np.array([[150, 90], [610, 140], [560, 470], [110, 420]], np.float32)
    warped = cv2.warpPerspective(
        np.asarray(_artwork(84)), cv2.getPerspectiveTransform(corners, seen), (720, 560), borderValue=(240, 240, 240)
    )
    _report, match = _only_match(register, outsider, 84, _jpeg(Image.fromarray(warped)))
    for ex, ey in seen:
        assert min(np.hypot(ex - x, ey - y) for x, y in match["query_area"]) < 12
    assert match["work_share"] > 0.95


def test_matched_areas_cut_a_perspective_at_its_horizon_instead_of_folding_it_over():
    # A steep view: the far edge of the reference lies beyond the horizon of this homography.
    H = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, -0.004, 1.0]])
    in_query, in_ref = matched_areas(H, (400, 400), (300, 300))
    assert in_query and _inside(in_query, 300, 300) and _inside(in_ref, 400, 400)
    # Only the near part of the reference (y < 250) is in front of the camera and maps into the query.
    assert max(y for _x, y in in_ref) < 250
    assert polygon_area(in_query) > 0
    assert matched_areas(H, (400, 400), (300, 300)) == matched_areas(H * -1, (400, 400), (300, 300))


def test_matched_areas_of_a_reference_wholly_outside_the_query_are_empty():
    shifted = np.array([[1.0, 0.0, 1000.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert matched_areas(shifted, (100, 100), (200, 200)) == ([], [])


# What kind of copy ------------------------------------------------------------------------------------------


def test_the_registered_file_itself_is_an_identical_file(register, outsider):
    _report, match = _only_match(register, outsider, 85, artwork_png(85, SIZE))
    assert match["label"] == "identical_file"


def test_the_same_picture_re_encoded_is_an_identical_picture_but_not_the_same_file(register, outsider):
    _report, match = _only_match(register, outsider, 86, _jpeg(_artwork(86).resize((480, 360)), quality=92))
    assert match["label"] == "identical_picture"
    assert match["picture_difference"] < services.IDENTICAL_DIFFERENCE


def test_a_recoloured_copy_of_the_whole_picture_is_a_near_copy(register, outsider):
    _report, match = _only_match(register, outsider, 87, _jpeg(ImageEnhance.Color(_artwork(87)).enhance(1.6)))
    assert match["label"] == "near_copy"
    assert match["picture_difference"] > services.IDENTICAL_DIFFERENCE


def test_a_copy_pasted_into_a_product_photo_is_a_near_copy_covering_part_of_the_photo(register, outsider):
    work = register(88)
    match = services.check_image(user=outsider, data=copy_of(88)).results[0]
    assert match["number"] == work.number and match["label"] == "near_copy"
    assert 0.3 < match["query_share"] < 0.8 and match["work_share"] > 0.7


# Priority ---------------------------------------------------------------------------------------------------


@pytest.fixture
def original_and_later_copy(register, outsider, registrar):
    """An original painting and, filed later by someone else, a cropped recoloured copy of it: screening held the
    copy and a registrar let it through (the copier showed a licence), so both are registered works."""
    original = register(89, title="原作")
    copy = register(image=copy_of(89), title="改头换面", user=outsider, owner=OTHER_OWNER)
    assert copy.status == "held"
    registry.release(work=copy, registrar=registrar, screening_note="被许可人出示了原作者的授权书。")
    copy.refresh_from_db()
    return original, copy


def test_a_later_filing_of_a_copy_is_listed_after_the_original_it_copies(original_and_later_copy, outsider):
    original, copy = original_and_later_copy
    report = services.check_image(user=outsider, data=copy_of(89), name="shop.jpg")  # the copy's own file
    assert {r["number"] for r in report.results} == {original.number, copy.number}
    shown = selectors.report_matches(report)
    assert [m["number"] for m in shown] == [original.number, copy.number]
    first, second = shown
    assert first["priority"] and first["earlier_registration"] is None and first["equals"] == [copy.number]
    assert not second["priority"] and second["earlier_registration"] == original.number
    assert first["registered_at"] < second["registered_at"]
    assert second["label"] == "identical_file" and first["label"] == "near_copy"


def test_a_weak_match_at_the_same_place_does_not_take_priority_over_a_certain_one(original_and_later_copy, outsider):
    original, copy = original_and_later_copy
    report = services.check_image(user=outsider, data=copy_of(89))
    scores = {copy.number: 1.0, original.number: 0.6}
    report.results = sorted([{**r, "score": scores[r["number"]]} for r in report.results], key=lambda r: -r["score"])
    shown = selectors.report_matches(report)
    assert [m["number"] for m in shown] == [copy.number, original.number]
    assert not any(m["priority"] or m["earlier_registration"] for m in shown)
    # Both as good as certain: the scores no longer say which copies which, the dates do.
    report.results = [{**r, "score": 0.97 if r["number"] == original.number else 1.0} for r in report.results]
    assert [m["number"] for m in selectors.report_matches(report)] == [original.number, copy.number]


def test_different_works_in_one_picture_are_not_ranked_by_date(register, outsider):
    left = register(image=artwork_png(90, SIZE), title="左")
    right = register(image=artwork_png(91, SIZE), title="右")
    Work.objects.filter(pk=right.pk).update(registered_at=left.registered_at - dt.timedelta(days=30))
    canvas = Image.new("RGB", (1300, 500), (250, 250, 250))
    canvas.paste(_artwork(90), (0, 10))
    canvas.paste(_artwork(91), (660, 10))
    report = services.check_image(user=outsider, data=_jpeg(canvas))
    shown = selectors.report_matches(report)
    assert {m["number"] for m in shown} == {left.number, right.number}
    assert [m["number"] for m in shown] == [r["number"] for r in report.results]  # the engine's order
    assert not any(m["priority"] or m["earlier_registration"] for m in shown)


# Pages and API ----------------------------------------------------------------------------------------------


def test_the_report_page_names_the_kind_of_copy_the_dates_and_the_priority(client, original_and_later_copy, outsider):
    original, copy = original_and_later_copy
    report = services.check_image(user=outsider, data=copy_of(89), name="shop.jpg")
    client.force_login(outsider)
    page = client.get(f"/matching/reports/{report.pk}/").content.decode()
    assert page.index(original.number) < page.index(copy.number)
    assert "同一文件" in page and "近似复制" in page and "登记在先" in page
    assert f"登记晚于 {original.number}" in page
    for work in (original, copy):
        assert timezone.localtime(work.registered_at).strftime("%Y-%m-%d") in page
    assert page.count('data-testid="work-area"') == 2 and page.count('data-testid="query-area"') == 2
    scores = [r["score"] for r in report.results]
    assert all(f"{s:.4f}" in page for s in scores)
    assert OTHER_OWNER.id_number not in page and "11010519491231002X" not in page


def test_the_report_page_shows_four_decimals_so_a_near_certain_score_is_not_rounded_to_one(client, register, outsider):
    work = register(92)
    report = services.check_image(user=outsider, data=copy_of(92))
    report.results[0]["score"] = 0.9999
    report.save()
    client.force_login(outsider)
    page = client.get(f"/matching/reports/{report.pk}/").content.decode()
    assert work.number in page and ">0.9999<" in page and ">1.00<" not in page


def test_an_older_report_without_areas_still_shows_its_clipped_region(client, register, outsider):
    register(image=artwork_png(93, SIZE))
    report = services.check_image(user=outsider, data=_jpeg(_artwork(93).crop((100, 100, 400, 380))))
    old = {k: report.results[0][k] for k in ("work_id", "number", "title", "score", "region", "homography", "inliers")}
    report.results = [old]
    report.save()
    shown = selectors.report_matches(report)[0]
    assert _inside(shown["query_area"], report.width, report.height) and shown["label_text"] == ""
    client.force_login(outsider)
    response = client.get(f"/matching/reports/{report.pk}/")
    assert response.status_code == 200 and 'data-testid="work-area"' not in response.content.decode()


def test_the_api_gives_the_same_fields_in_the_same_order(client, original_and_later_copy, outsider):
    from artrights.accounts.services import issue_token
    from artrights.testing import bearer

    original, copy = original_and_later_copy
    raw = issue_token(user=outsider, name="scanner", scopes=["read", "write"])[1]
    response = client.post("/api/matching/check", {"image": upload(copy_of(89), "p.jpg", "image/jpeg")}, **bearer(raw))
    assert response.status_code == 201, response.content
    matches = response.json()["matches"]
    assert [m["number"] for m in matches] == [original.number, copy.number]
    assert matches[0]["priority"] and matches[1]["earlier_registration"] == original.number
    assert matches[1]["label"] == "identical_file" and matches[1]["label_text"] == "同一文件"
    stated = dt.datetime.fromisoformat(matches[0]["registered_at"])
    assert abs(stated - original.registered_at) < dt.timedelta(milliseconds=1)
    assert matches[0]["query_area"] and matches[0]["work_area"] and 0 < matches[0]["work_share"] <= 1


# Failed fetches ---------------------------------------------------------------------------------------------


class _Site(http.server.BaseHTTPRequestHandler):
    """A small web site: a shop page, a missing page, a huge page and a redirect loop."""

    def do_GET(self):
        if self.path == "/shop.html":
            self._reply(200, "text/html", b'<html><img src="/gone.jpg"></html>')
        elif self.path == "/huge.html":
            self._reply(200, "text/html", b"x" * (services.PAGE_MAX_BYTES + 10))
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        else:
            self._reply(404, "text/html", b"not here")

    def _reply(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_port)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def silent_port(settings):
    """A port that accepts connections and never answers (a hung server)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    allow_fetching(settings, listener.getsockname()[1])
    yield listener.getsockname()[1]
    listener.close()


def _check(user, url):
    """Check a page ``user`` watches (added earlier: an address that no longer opens is checked all the same)."""
    return services.check_page(factories.watched_page(user, url))


def test_a_page_that_cannot_be_fetched_is_a_failed_check_with_its_reason(outsider, site):
    missing = _check(outsider, f"{site}/nothing.html")
    assert not missing.ok and missing.reason == "http_status" and missing.details["status"] == 404
    assert "404" in missing.failure() and "页面不存在" in missing.failure()
    huge = _check(outsider, f"{site}/huge.html")
    assert not huge.ok and huge.reason == "too_large"
    loop = _check(outsider, f"{site}/loop")
    assert not loop.ok and loop.reason == "redirects"
    nowhere = _check(outsider, "http://no-such-host.invalid/")
    assert not nowhere.ok and nowhere.reason == "dns" and "no-such-host.invalid" in nowhere.failure()


def test_a_page_whose_images_cannot_be_read_is_checked_and_says_so(outsider, site):
    check = _check(outsider, f"{site}/shop.html")
    assert check.ok and check.images_found == 1 and check.images_unreadable == 1 and check.new_hits == 0


def test_a_hung_site_times_out_with_a_plain_reason(silent_port):
    from artrights.core.fetch import FetchError, fetch

    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{silent_port}/", max_bytes=1000, timeout=0.5)
    assert caught.value.reason == "timeout" and "超时" in str(caught.value)


def test_a_failed_check_reads_in_the_readers_language(outsider):
    from django.utils import translation

    check = _check(outsider, "http://127.0.0.1:9/")
    with translation.override("en"):
        english = check.failure()
    assert check.reason == "unreachable" and "Could not connect" in english and "无法" not in english
    assert "Errno" not in english and "Errno" not in check.failure()


def test_a_failure_recorded_by_an_earlier_release_reads_with_the_neutral_words(outsider):
    page = factories.watched_page(outsider, "http://127.0.0.1:9/old")
    old = PageCheck.objects.create(page=page, ok=False, reason="refused", details={"host": "127.0.0.1"})
    assert old.failure() == _check(outsider, "http://127.0.0.1:9/").failure()
    assert "拒绝" not in old.failure()


def test_a_url_check_that_fails_says_why_in_plain_words(client, outsider, site, django_capture_on_commit_callbacks):
    client.force_login(outsider)
    for url, words in (
        (f"{site}/nothing.html", "网站返回错误 404"),
        (f"{site}/shop.html", "网址打开的是网页而不是图片"),
        ("http://127.0.0.1:9/x.jpg", "无法连接网站 127.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "无法连接网站 169.254.169.254"),
    ):
        with django_capture_on_commit_callbacks(execute=True):  # the worker's turn, after the request
            response = client.post("/matching/", {"url": url})
        page = client.get(response["Location"]).content.decode()
        assert response["Location"].startswith("/matching/url-checks/"), url
        assert words in page and "Errno" not in page and "urlopen" not in page, url
    client.cookies["django_language"] = "en"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Could not connect to 169.254.169.254" in page and "无法连接" not in page


def test_the_watch_page_shows_a_failed_check_as_failed_not_as_nothing_found(client, outsider, site):
    failed = factories.watched_page(outsider, f"{site}/nothing.html")
    services.check_page(failed)
    never = services.watch_page(user=outsider, url=f"{site}/later.html")
    client.force_login(outsider)
    page = client.get("/matching/watch/").content.decode()
    assert "失败" in page and "页面不存在" in page and "尚未检查" in page
    assert "暂未发现复制品" not in page
    assert PageCheck.objects.filter(page=never).count() == 0


def test_the_watch_page_shows_what_a_successful_check_saw(client, register, outsider, tmp_path, serve_folder):
    register(94)
    (tmp_path / "shop.jpg").write_bytes(copy_of(94))
    (tmp_path / "index.html").write_text('<html><img src="shop.jpg"><img src="missing.jpg"></html>')
    check = services.check_page(services.watch_page(user=outsider, url=f"{serve_folder}/index.html"))
    assert check.ok and check.images_found == 2 and check.images_unreadable == 1 and check.new_hits == 1
    client.force_login(outsider)
    body = client.get("/matching/watch/").content.decode()
    assert "成功" in body and "其中 1 张无法读取" in body and "暂未发现复制品" not in body


def test_an_outsider_does_not_see_anothers_watched_pages(client, outsider, artist, site):
    services.check_page(services.watch_page(user=artist, url=f"{site}/private-shop.html"))
    client.force_login(outsider)
    assert "private-shop" not in client.get("/matching/watch/").content.decode()
