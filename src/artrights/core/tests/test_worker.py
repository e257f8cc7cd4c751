"""A real Huey consumer process picks up a task and finishes it."""

import json
import os
import subprocess
import sys
import uuid

import pytest


def _redis_url() -> str:
    url = os.environ.get("ARTRIGHTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {url} (.ci/run starts one)")
    return url


@pytest.mark.slow
@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_a_task_enqueued_by_the_web_process_is_finished_by_a_separate_worker(tmp_path, queue):
    env = {
        **os.environ,
        "HUEY_IMMEDIATE": "0",
        "HUEY_SQLITE_PATH": str(tmp_path / "queue.sqlite3"),
        "ARTRIGHTS_DATA_DIR": str(tmp_path),
        "REDIS_URL": _redis_url() if queue == "redis" else "",
        # A queue name of its own, so parallel runs never pick up each other's tasks.
        "HUEY_NAME": f"artrights-test-{uuid.uuid4().hex[:8]}",
    }
    if queue == "sqlite":
        # `serve` creates the queue file (its own django.setup()) before it starts the web process and the worker;
        # so does this test, rather than have both processes create it at once.
        from huey import SqliteHuey

        SqliteHuey(env["HUEY_NAME"], filename=env["HUEY_SQLITE_PATH"], timeout=30).storage.close()
    consumer = subprocess.Popen(
        [sys.executable, "-m", "artrights.cli", "run_huey", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    producer_code = (
        # The queue is imported before django.setup(), which would hide its error behind "issubclass() arg 1 must be
        # a class" (the producer failed that way twice, under full-suite load, cause unknown).
        "import huey.contrib.djhuey;"
        "import django, json, sys; django.setup();"
        "from artrights.core.tasks import worker_probe;"
        "print(json.dumps(worker_probe(sys.argv[1]).get(blocking=True, timeout=60)))"
    )
    try:
        # A second process enqueues as the web app does; this test process runs tasks eagerly, so it can't.
        token = uuid.uuid4().hex
        produced = subprocess.run(
            [sys.executable, "-c", producer_code, token],
            env={**env, "DJANGO_SETTINGS_MODULE": "artrights.settings"},
            capture_output=True,
            timeout=90,
        )
        assert produced.returncode == 0, produced.stderr.decode(errors="replace")[-3000:]
        result = json.loads(produced.stdout.decode().strip().splitlines()[-1])
        assert result["token"] == token
        assert result["pid"] == consumer.pid
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode(errors="replace")
    assert "worker_probe" in output
