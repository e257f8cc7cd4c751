"""A real Huey consumer process picks up a task and finishes it."""

import json
import os
import subprocess
import sys
import uuid

import pytest


@pytest.mark.slow
def test_a_task_enqueued_by_the_web_process_is_finished_by_a_separate_worker(tmp_path):
    queue_file = tmp_path / "queue.sqlite3"
    env = {
        **os.environ,
        "HUEY_IMMEDIATE": "0",
        "HUEY_SQLITE_PATH": str(queue_file),
        "ARTRIGHTS_DATA_DIR": str(tmp_path),
        "REDIS_URL": "",
    }
    consumer = subprocess.Popen(
        [sys.executable, "-m", "artrights.cli", "run_huey", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    producer_code = (
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
            check=True,
        )
        result = json.loads(produced.stdout.decode().strip().splitlines()[-1])
        assert result["token"] == token
        assert result["pid"] == consumer.pid
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode(errors="replace")
    assert "worker_probe" in output
