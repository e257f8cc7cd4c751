from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from artrights.core.public_url import DEFAULT_HOST, DEFAULT_PORT, configured, served_address


class Command(BaseCommand):
    help = "运行平台：Web 服务和后台任务进程 / Run the platform: web server and background worker"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=DEFAULT_HOST)
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程 / no background worker")
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据 / skip the demo data")
        parser.add_argument(
            "--debug",
            action="store_true",
            help="显示 Django 调试页面（仅供开发）/ Django debug pages (for development)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        served = served_address(opts["host"], opts["port"])
        # The address certificates, links and the demo banner give: the operator's, or the one served here. The
        # children get it in their environment, so the worker's certificates carry the served port too.
        public = configured() or served
        # Visitors get the platform's own error pages, not Django's debug pages (settings, URL list), unless asked.
        child_env = {**os.environ, "ARTRIGHTS_PUBLIC_URL": public, "DEBUG": "1" if opts["debug"] else "0"}
        if not opts["no_demo"]:
            call_command("demo", url=public)
        python = sys.executable
        children: list[subprocess.Popen[bytes]] = []
        self.worker_pids: set[int] = set()
        if not opts["no_worker"]:
            # Own sessions: Ctrl-C reaches only this process, which then stops each child the way it likes.
            worker = subprocess.Popen(
                [python, "-m", "artrights.cli", "run_huey"], start_new_session=True, env=child_env
            )
            self.worker_pids = {worker.pid}
            children.append(worker)
        bind = f"{opts['host']}:{opts['port']}"
        children.append(
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "artrights.wsgi",
                    "--bind",
                    bind,
                    "--workers",
                    str(opts["web_workers"]),
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "10",
                ],
                start_new_session=True,
                env=child_env,
            )
        )
        self.stdout.write(f"ArtRights 已启动 / running on {served}/  (Ctrl-C 停止 / to stop)")
        if public != served:
            self.stdout.write(f"公开网址 / public URL: {public}/")

        # Ctrl-C and SIGTERM only raise a flag. A KeyboardInterrupt raised inside Popen.poll() can leave the
        # child's wait lock held, and the wait after killing that child then blocks for ever (serve hung after
        # Ctrl-C, now and then, in the test suite).
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
            if stopping:
                self.stdout.write("正在停止 / stopping…")
            else:
                self.stderr.write("一个子进程已退出，正在停止 / a child process exited; stopping")
        finally:
            self._stop(children)
        self.stdout.write("已停止 / stopped")

    def _stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        """Stop the children gracefully; a second Ctrl-C (or 15 s) kills them."""
        forced = False

        def force(*_: Any) -> None:
            nonlocal forced
            forced = True

        signal.signal(signal.SIGINT, force)
        signal.signal(signal.SIGTERM, force)
        for child in children:
            if child.poll() is None:
                # Huey finishes its running tasks on SIGINT; gunicorn drains requests on SIGTERM.
                child.send_signal(signal.SIGINT if child.pid in self.worker_pids else signal.SIGTERM)
        deadline = time.monotonic() + 15
        while any(c.poll() is None for c in children) and not forced and time.monotonic() < deadline:
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
