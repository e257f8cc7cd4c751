"""A registration in the browser, as an artist and a registrar would do it, then public verification."""

import pytest

from artrights.registry.tests.factories import artwork_png
from artrights.testing import LIN, WU

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()


def test_an_artist_files_a_digital_work_and_anyone_can_verify_its_certificate(
    live_server, page, screenshot, make_user, tmp_path, login
):
    make_user("e2e-painter", "artist", identity=LIN)
    image = tmp_path / "painting.png"
    image.write_bytes(artwork_png(71))
    login("e2e-painter")
    page.goto(f"{live_server.url}/registry/digital/")
    page.fill("input[name=title]", "梧桐山日出")
    page.fill("textarea[name=authors]", "林画家")
    page.fill("input[name=completed_on]", "2026-04-01")
    assert "林画家" in page.get_by_test_id("filing-as-self").inner_text()
    page.set_input_files("input[name=image]", str(image))
    screenshot("digital-filing-form-zh")
    page.get_by_test_id("digital-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("work-status").inner_text() == "已备案"
    number = page.get_by_test_id("work-number").inner_text()
    assert number.startswith("粤数备字-")
    screenshot("digital-filing-done-zh")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载证书PDF").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(str(pdf))
    _logout(page)

    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("input[name=file]", str(pdf))
    page.get_by_test_id("verify-submit").click()
    page.wait_for_load_state()
    verdict = page.get_by_test_id("verdict").inner_text()
    assert "验证通过" in verdict and number in verdict
    screenshot("verify-certificate-zh")


def test_a_registrar_sees_the_duplicate_warning_and_registers_in_english(
    live_server, page, screenshot, make_user, tmp_path, login
):
    from artrights.registry import services
    from artrights.registry.tests.factories import OTHER_OWNER, OWNER, samples, work_fields

    artist = make_user("e2e-artist", "artist", identity=LIN)
    copier = make_user("e2e-copier", "artist", identity=WU)
    registrar = make_user("e2e-registrar", "registrar")
    original = services.file_digital_work(
        user=artist, fields=work_fields(), owners=[OWNER], files=samples(72), issue_now=False
    )
    copy = services.create_application(
        user=copier, fields=work_fields(title="抄袭之作"), owners=[OTHER_OWNER], files=samples(72)
    )
    services.submit(work=copy, user=copier)
    login(registrar.username)
    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/registry/works/{copy.pk}/")
    warning = page.get_by_test_id("duplicate-warning").inner_text()
    assert original.number in warning
    screenshot("registrar-duplicate-warning-en")
    page.get_by_test_id("action-accept").click()
    page.get_by_test_id("action-start_review").click()
    # Another owner's work: registering asks for the registrar's conclusion and for confirmation.
    page.get_by_test_id("action-register").click()
    page.wait_for_load_state()
    assert not page.get_by_test_id("work-number").count()
    page.get_by_label("Screening note", exact=False).fill("The copier holds a written licence from the owner.")
    page.get_by_test_id("action-register").click()
    page.wait_for_load_state()
    assert page.dialogs, "registering writes the public log: the page must ask first"
    assert page.get_by_test_id("work-number").inner_text().startswith("粤作登字-")
    screenshot("registrar-registered-en")
