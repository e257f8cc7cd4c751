"""The audit trail is a hash chain: every event names its predecessor's hash, and a broken link is named."""

import itertools
import json
import os
import subprocess
import sys
import textwrap
import threading
from typing import Any

import pytest
from django.db import DatabaseError, connection, connections, transaction

from artrights.core import audit, auditchain
from artrights.core.models import AuditChainHead, AuditEvent
from artrights.core.tests import factories
from artrights.testing import drop_append_only_guard, raw_sql

pytestmark = pytest.mark.django_db


def _events(n, **context):
    with audit.context(**context):
        return [
            audit.record("test.action", object_type="test.thing", object_id=str(i), changes={"i": i}) for i in range(n)
        ]


def test_each_event_is_chained_to_the_one_before(registrar):
    _events(5, actor=registrar, ip_address="::ffff:203.0.113.7", via="web")
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == auditchain.GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
    report = audit.verify_chain()
    assert report.problem is None and report.count == len(events)


def test_a_chain_read_back_from_the_database_verifies_with_awkward_values(registrar):
    with audit.context(actor=registrar, ip_address="2001:DB8::1", user_agent="测试\u2028客户端"):
        changes: dict[Any, Any] = {
            "big": 2**62 + 1,
            "float": 1e16,
            "neg0": -0.0,
            "tuple": (1, 2),
            3: "int key",
            "text": "林\n画家",
        }
        audit.record("test.values", registrar, changes=changes)
    assert audit.verify_chain().problem is None


def test_a_deleted_event_is_named_by_its_position(registrar):
    _events(6, actor=registrar)
    victim = AuditEvent.objects.order_by("seq")[2]
    drop_append_only_guard("core_auditevent")
    raw_sql("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
    report = audit.verify_chain()
    assert report.problem_code == "audit_event_missing" and report.problem_seq == victim.seq
    assert f"审计日志第 {victim.seq} 条事件缺失（已被删除）" in report.problem.render("zh-hans")
    assert f"Audit event {victim.seq} is missing (deleted)" in report.problem.render("en")


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "forged"), ("object_id", "99"), ("changes", '{"i": 99}'), ("actor_label", "someone"), ("at", None)],
)
def test_a_changed_event_is_named_by_its_position(registrar, column, value):
    _events(6, actor=registrar)
    victim = AuditEvent.objects.order_by("seq")[3]
    drop_append_only_guard("core_auditevent")
    if column == "at":
        raw_sql("UPDATE core_auditevent SET at = %s WHERE id = %s", [victim.at.replace(year=2020), victim.pk])
    else:
        raw_sql(f"UPDATE core_auditevent SET {column} = %s WHERE id = %s", [value, victim.pk])
    report = audit.verify_chain()
    assert report.problem_code == "audit_event_changed" and report.problem_seq == victim.seq
    assert "的内容与其哈希不符：该事件被改动过。" in report.problem.render("zh-hans")


def test_an_event_rehashed_without_its_successor_breaks_the_next_link(registrar):
    _events(6, actor=registrar)
    victim = AuditEvent.objects.order_by("seq")[1]
    drop_append_only_guard("core_auditevent")
    fields = {**audit.chain_fields(victim), "action": "forged"}
    raw_sql(
        "UPDATE core_auditevent SET action = 'forged', hash = %s WHERE id = %s",
        [auditchain.event_hash(victim.seq, victim.prev_hash, fields), victim.pk],
    )
    report = audit.verify_chain()
    assert report.problem_code == "audit_link_broken" and report.problem_seq == victim.seq + 1


def test_the_newest_event_deleted_is_found_through_the_chain_head(registrar):
    _events(3, actor=registrar)
    newest = AuditEvent.objects.order_by("-seq").first()
    drop_append_only_guard("core_auditevent")
    raw_sql("DELETE FROM core_auditevent WHERE id = %s", [newest.pk])
    report = audit.verify_chain()
    assert report.problem_code == "audit_tail_missing"


def test_the_database_refuses_to_delete_an_audit_event(registrar):
    event = audit.record("test.action", registrar)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_sql("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_event_recorded_in_a_rolled_back_transaction_leaves_no_hole(registrar):
    _events(2, actor=registrar)
    with pytest.raises(RuntimeError), transaction.atomic():
        _events(2, actor=registrar)
        raise RuntimeError("the service failed")
    _events(1, actor=registrar)
    assert audit.verify_chain().problem is None


# --- two writers at once ------------------------------------------------------------------------------------------

WRITERS = 6
EVENTS_PER_WRITER = 20


def _write(errors, worker):
    try:
        for i in range(EVENTS_PER_WRITER):
            if i % 4 == 0:
                with transaction.atomic():  # several events, and a model write, in one transaction
                    factories.party(name=f"当事人{worker}-{i}", id_type="passport", id_number=f"P{worker:02d}{i:04d}")
                    audit.record("test.batch", object_type="test.thing", object_id=f"{worker}-{i}")
            else:
                audit.record("test.single", object_type="test.thing", object_id=f"{worker}-{i}")
    except BaseException as exc:  # reported to the main thread, which fails the test
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_in_threads_never_fork_the_chain():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database cannot be shared by threads; see the SQLite file test")
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_write, args=(errors, w)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(seqs) >= WRITERS * EVENTS_PER_WRITER
    assert audit.verify_chain().problem is None


SQLITE_SCRIPT = textwrap.dedent(
    """
    import json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connections
    call_command("migrate", verbosity=0)
    from artrights.core import audit
    from artrights.core.models import AuditEvent

    errors = []

    def work(w):
        try:
            for i in range(40):
                audit.record("test.single", object_type="test.thing", object_id=f"{w}-{i}")
        except BaseException as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    report = audit.verify_chain()
    print(json.dumps({
        "errors": errors,
        "seqs": list(AuditEvent.objects.filter(action="test.single").order_by("seq").values_list("seq", flat=True)),
        "count": report.count,
        "problem": report.problem and report.problem.render("en"),
    }))
    """
)


@pytest.mark.slow
@pytest.mark.own_database
def test_concurrent_writers_in_threads_never_fork_the_chain_on_a_sqlite_file(tmp_path, copy_migrated):
    copy_migrated(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ARTRIGHTS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "artrights.settings"})
    done = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert len(result["seqs"]) == 240 and result["problem"] is None
    assert result["seqs"][-1] == result["count"]
