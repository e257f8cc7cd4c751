"""`artrights serve` hands the address it serves to its web and worker processes (the demo accounts file that
shows it is tested with the demo data, in test_demo)."""

import signal

import pytest
from django.core.management import call_command

from artrights.portal.management.commands import serve

pytestmark = pytest.mark.django_db


class _FinishedChild:
    """Stands in for the web server or worker: records how it was started and has already exited."""

    started: list[tuple[list[str], dict[str, str]]] = []

    def __init__(self, args, env=None, **kwargs):
        self.pid = 4242
        _FinishedChild.started.append((args, env or {}))

    def poll(self):
        return 0


@pytest.fixture
def children(monkeypatch):
    _FinishedChild.started = []
    monkeypatch.setattr(serve.subprocess, "Popen", _FinishedChild)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: signal.SIG_DFL)  # leave pytest's Ctrl-C alone
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)  # no migrate or collectstatic
    return _FinishedChild.started


def test_the_worker_and_the_web_server_get_the_served_address_and_no_debug_pages(children, settings, capsys):
    settings.ARTRIGHTS_PUBLIC_URL = ""
    call_command("serve", "--port", "8123", "--no-demo")
    assert len(children) == 2
    for _args, env in children:
        assert env["ARTRIGHTS_PUBLIC_URL"] == "http://127.0.0.1:8123"
        assert env["DEBUG"] == "0"
    assert "running on http://127.0.0.1:8123/" in capsys.readouterr().out


def test_an_operators_public_address_is_passed_on_unchanged_and_printed(children, settings, capsys):
    settings.ARTRIGHTS_PUBLIC_URL = "https://copyright.example.cn/"
    call_command("serve", "--port", "8123", "--no-demo", "--debug")
    assert {env["ARTRIGHTS_PUBLIC_URL"] for _args, env in children} == {"https://copyright.example.cn"}
    assert {env["DEBUG"] for _args, env in children} == {"1"}
    assert "public URL: https://copyright.example.cn/" in capsys.readouterr().out
