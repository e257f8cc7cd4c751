"""`artrights serve` (what `make run` calls): web and worker come up, Ctrl-C stops both, data survives."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path, port):
    env = {
        **os.environ,
        "ARTRIGHTS_DATA_DIR": str(tmp_path),
        "HUEY_IMMEDIATE": "0",
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
    }
    env.pop("DATABASE_URL")
    return subprocess.Popen(
        [sys.executable, "-m", "artrights.cli", "serve", "--port", str(port), "--web-workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


class _Output:
    """Collects a child's output while it runs, so a test can wait for a line without blocking on the pipe."""

    def __init__(self, proc):
        self.lines: list[str] = []
        self._reader = threading.Thread(target=lambda: self.lines.extend(proc.stdout), daemon=True)
        self._reader.start()

    def wait_for_text(self, text, proc, timeout=90.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text:
                return
            if proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared:\n{self.text}")

    @property
    def text(self) -> str:
        return "".join(list(self.lines))

    def finish(self, proc, timeout=60) -> str:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Say what the platform printed before it hung (it failed once this way on a loaded machine).
            proc.kill()
            proc.wait()
            self._reader.join(timeout=10)
            raise AssertionError(f"serve did not stop within {timeout} s; what it printed:\n{self.text}") from None
        self._reader.join(timeout=10)
        return self.text


def _wait_for(url, proc, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("the platform exited before it served a page")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return reply.read().decode()
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the platform did not start")


def _get(port, path, host=None):
    """(status, body) of a GET to the served platform, with another Host header if given."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _shows_no_debug_pages_and_serves_static_files(port):
    """What `make run` serves with DEBUG off: static files, and the platform's own error pages (a bad Host, which
    Django logs with its traceback on the server's side, is tested in test_error_pages)."""
    status, css = _get(port, "/static/css/artrights.css")
    assert status == 200 and ".topbar" in css
    for path, host, code in (("/no-such-page/", None, 404),):
        status, page = _get(port, path, host)
        assert status == code and 'class="topbar"' in page, page
        assert "URLconf" not in page and "Traceback" not in page and "ALLOWED_HOSTS" not in page, page


def test_serve_starts_web_and_worker_stops_on_ctrl_c_and_keeps_the_data(tmp_path):
    port = _free_port()
    first = _serve(tmp_path, port)
    first_output = _Output(first)
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/", first)
        assert "艺术版权保护与活化平台" in page
        _shows_no_debug_pages_and_serves_static_files(port)
        # The worker may still be importing when the first page is served on a slow machine.
        first_output.wait_for_text("Huey consumer started", first)
    finally:
        first.send_signal(signal.SIGINT)
        output = first_output.finish(first)
    assert first.returncode == 0, output
    assert "demo-registrar" in output and "已停止 / stopped" in output
    assert f"http://127.0.0.1:{port}/accounts/login/" in output  # the demo banner names the port served
    assert "Traceback" not in output

    second = _serve(tmp_path, port)
    second_output = _Output(second)
    try:
        _wait_for(f"http://127.0.0.1:{port}/", second)
    finally:
        second.send_signal(signal.SIGINT)
        output = second_output.finish(second)
    assert "演示数据已存在" in output  # the same database, accounts kept
