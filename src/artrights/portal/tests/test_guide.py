"""The service guide (办事指南) at /guide/: materials, time limits from the settings, fees, FAQ and contact."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_guide_covers_each_business_the_platform_handles(client):
    response = client.get("/guide/")
    assert response.status_code == 200
    page = _text(response)
    for section in (
        "作品登记",
        "数字作品备案",
        "著作权合同备案",
        "著作权质权登记",
        "证书核验",
        "收费与资助",
        "常见问题",
    ):
        assert section in page
    assert "作品说明书" in page and "权属证明" in page and "授权委托书" in page
    assert "著作权质权合同" in page


def test_the_time_limits_are_the_platforms_own_settings(client, settings):
    settings.ARTRIGHTS_REVIEW_WORKING_DAYS = 20
    settings.ARTRIGHTS_CORRECTION_DAYS = 30
    page = _text(client.get("/guide/"))
    assert "材料齐全之日起 20 个工作日内" in page
    assert "收到通知之日起 30 日内补正" in page
    assert "15 个工作日" not in page and "60 日" not in page


def test_registration_is_free_here_and_subsidies_are_left_to_the_city_fund(client):
    page = _text(client.get("/guide/"))
    assert "均不收取费用" in page
    assert "市知识产权专项资金" in page and "《广东省版权条例》" in page
    assert not re.search(r"\d+\s*元", page)  # no amount is promised


def test_the_contact_section_names_the_registry_and_only_the_lines_configured(client, settings):
    settings.ARTRIGHTS_REGISTRY_NAME = "示例市版权登记中心"
    settings.ARTRIGHTS_CONTACT_PHONE = "0755-12345678"
    settings.ARTRIGHTS_CONTACT_ADDRESS = ""
    settings.ARTRIGHTS_CONTACT_EMAIL = ""
    response = client.get("/guide/")
    page = _text(response)
    assert "示例市版权登记中心" in page and "0755-12345678" in page
    assert 'href="tel:0755-12345678"' in response.content.decode()
    assert "地址" not in page.split("联系方式")[-1] and "电子邮箱" not in page
    settings.ARTRIGHTS_CONTACT_PHONE = ""
    assert "尚未在本平台公布地址和电话" in _text(client.get("/guide/"))


def test_the_guide_is_linked_from_the_header_and_the_home_page(client):
    home = client.get("/").content.decode()
    assert 'data-testid="nav-guide"' in home and 'data-testid="home-guide"' in home
    assert home.count('href="/guide/"') == 2
    assert 'href="/log/"' in home and 'href="/api/docs"' in home


def test_the_guide_is_in_english_for_english_readers(client):
    client.cookies["django_language"] = "en"
    html = client.get("/guide/").content.decode()
    main = re.sub(r"<[^>]+>", " ", html.split("<main>")[1].split("</main>")[0])
    assert "Service guide" in main and "working days" in main
    # Only the registry's own name (a setting) stays Chinese.
    assert not re.search(r"[\u4e00-\u9fff]", main.replace("深圳市版权登记服务中心", ""))
