"""The platform's public address: the operator's setting first, then the address the visitor came to."""

import pytest
from django.test import RequestFactory

from artrights.core import public_url
from artrights.core.checks import public_url_configured


def test_the_configured_address_wins_over_the_request(settings):
    settings.ARTRIGHTS_PUBLIC_URL = "https://copyright.example.cn/"
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8123")
    assert public_url.public_url(request) == "https://copyright.example.cn"
    assert (
        public_url.absolute("/verify/粤作登字-2026-F-00000001")
        == "https://copyright.example.cn/verify/粤作登字-2026-F-00000001"
    )


def test_without_a_setting_a_page_links_to_the_address_it_was_served_on(settings):
    settings.ARTRIGHTS_PUBLIC_URL = ""
    request = RequestFactory().get("/log/", HTTP_HOST="127.0.0.1:8123")
    assert public_url.public_url(request) == "http://127.0.0.1:8123"
    with public_url.serving(request):
        # Work a request does inline (a digital filing's certificate) gets the same address without the request.
        assert public_url.absolute("verify/x") == "http://127.0.0.1:8123/verify/x"
    assert public_url.public_url() == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("host", "port", "address"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("::1", 8001, "http://[::1]:8001"),
        ("artrights.local", 8080, "http://artrights.local:8080"),
    ],
)
def test_the_served_address_is_one_a_browser_on_this_machine_can_open(host, port, address):
    assert public_url.served_address(host, port) == address


def test_the_deploy_check_asks_for_the_public_address_in_production_only(settings):
    settings.PRODUCTION = True
    settings.ARTRIGHTS_PUBLIC_URL = ""
    warnings = public_url_configured(None)
    assert [w.id for w in warnings] == ["artrights.W002"]
    assert "ARTRIGHTS_PUBLIC_URL" in warnings[0].msg
    settings.ARTRIGHTS_PUBLIC_URL = "https://copyright.example.cn"
    assert public_url_configured(None) == []
    settings.PRODUCTION = False
    settings.ARTRIGHTS_PUBLIC_URL = ""
    assert public_url_configured(None) == []
