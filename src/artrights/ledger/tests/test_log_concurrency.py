"""Concurrent appenders get consecutive indices: threads on PostgreSQL, threads on a SQLite file (WAL)."""

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest
from django.db import connection, connections

from artrights.ledger import fsck, services
from artrights.ledger.models import LogEntry, LogHash
from artrights.ledger.selectors import current_head

THREADS = 6
APPENDS_PER_THREAD = 15


def _hammer(errors: list[BaseException], worker: int) -> None:
    try:
        for i in range(APPENDS_PER_THREAD):
            if i % 3 == 0:
                services.append_many(items=[("test", {"w": worker, "i": i, "b": b}) for b in range(3)])
            else:
                services.append(kind="test", statement={"w": worker, "i": i})
    except BaseException as exc:  # reported to the main thread, which fails the test
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_in_threads_get_consecutive_indices():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database cannot be shared by threads; see the SQLite file test")
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_hammer, args=(errors, w)) for w in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    total = THREADS * (APPENDS_PER_THREAD + 2 * len(range(0, APPENDS_PER_THREAD, 3)))
    assert sorted(LogEntry.objects.values_list("index", flat=True)) == list(range(total))
    assert current_head().size == total
    assert LogHash.objects.count() == 2 * total - total.bit_count()
    assert fsck.verify_log().ok


SQLITE_SCRIPT = textwrap.dedent(
    """
    import json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connections
    call_command("migrate", verbosity=0)
    from artrights.ledger import fsck, services
    from artrights.ledger.models import LogEntry

    errors = []

    def work(w):
        try:
            for i in range(40):
                services.append(kind="test", statement={"w": w, "i": i})
        except BaseException as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    report = fsck.verify_log()
    print(json.dumps({
        "errors": errors,
        "indices": sorted(LogEntry.objects.values_list("index", flat=True)),
        "ok": report.ok,
        "summary": report.text(),
    }))
    """
)


@pytest.mark.slow
@pytest.mark.own_database
def test_concurrent_appenders_in_threads_get_consecutive_indices_on_a_sqlite_file(tmp_path, copy_migrated):
    copy_migrated(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ARTRIGHTS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "artrights.settings"})
    done = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["indices"] == list(range(240))
    assert result["ok"], result["summary"]
