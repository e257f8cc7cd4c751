"""What deleting rows used to hide from `artrights log verify`: checkpoints, cosignatures, a rollback of the newest
entries, a fork, time-stamp tokens, audit events. Each is found and named, in Chinese and English, exit status 1.

The attacker here owns the database: drops the append-only triggers, deletes and rewrites rows with raw SQL, and
fixes up the mutable head rows where that would help them.
"""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from artrights import cli
from artrights.core import auditchain
from artrights.core.models import AuditEvent
from artrights.ledger import fsck, keys, services, tasks
from artrights.ledger.models import Checkpoint, LogEntry, LogHash
from artrights.ledger.storage import DatabaseHashReader
from artrights.ledger.tests.factories import append_statements
from artrights.proofs.merkle import CompactRange
from artrights.proofs.note import ALG_COSIGNATURE_V1, cosign_note, generate_key, new_signer, new_verifier
from artrights.proofs.statements import StatementType
from artrights.testing import drop_append_only_guard, raw_sql

pytestmark = pytest.mark.django_db

LOG_TABLES = ["ledger_logentry", "ledger_loghash", "ledger_checkpoint", "ledger_cosignature"]


@pytest.fixture
def log(make_user):
    """Four checkpoints over 400 entries (the third cosigned by a witness), then one entry not yet covered; a few
    people's accounts made in between, so the audit trail has events of all sorts."""
    make_user("registrar-one", "registrar")
    signer_key, vkey = generate_key("witness.example/w1", ALG_COSIGNATURE_V1)
    services.add_witness(name="见证方一", vkey=vkey)
    for start in range(0, 400, 100):
        append_statements(100, start=start)
        checkpoint = services.publish_checkpoint()
        make_user(f"artist-{start}")
        if start == 200:
            cosigned = cosign_note(
                checkpoint.signed_note(), [new_verifier(checkpoint.key)], new_signer(signer_key, clock=lambda: 1)
            )
            services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=cosigned)
    append_statements(1, start=400)


def _checkpoint(seq):
    """The checkpoint numbered ``seq`` and how reports name it (ids are not numbers: PostgreSQL never reuses them)."""
    checkpoint = Checkpoint.objects.get(seq=seq)
    return checkpoint, f"检查点 #{checkpoint.id}（大小 {checkpoint.size}）"


def _signing_event(checkpoint):
    return AuditEvent.objects.get(object_type="ledger.checkpoint", object_id=str(checkpoint.id), action="create")


def _problems(**kwargs):
    report = fsck.verify_log(**kwargs)
    assert not report.ok
    return report


def _verify_fails(*args):
    with pytest.raises(CommandError) as err:
        call_command("log", "verify", *args)
    assert err.value.returncode == 1
    return str(err.value)


def _lift_log_guards():
    for table in LOG_TABLES:
        drop_append_only_guard(table)


def _roll_back_to(size):
    """What a careful attacker does: cut the newest entries and every checkpoint over them, and rewrite the head so
    the shortened log is consistent in itself (leaf hashes, stored hashes, root, checkpoint count)."""
    _lift_log_guards()
    raw_sql(
        "DELETE FROM ledger_cosignature WHERE checkpoint_id IN (SELECT id FROM ledger_checkpoint WHERE size > %s)",
        [size],
    )
    raw_sql("DELETE FROM ledger_checkpoint WHERE size > %s", [size])
    raw_sql("DELETE FROM ledger_logentry WHERE idx >= %s", [size])
    for level, index in list(LogHash.objects.values_list("level", "index")):
        if (index + 1) << level > size:
            raw_sql("DELETE FROM ledger_loghash WHERE level = %s AND idx = %s", [level, index])
    tree = CompactRange.from_reader(size, DatabaseHashReader())
    last = Checkpoint.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    raw_sql(
        "UPDATE ledger_loghead SET size = %s, root_hash = %s, edge = %s, checkpoints = %s",
        [size, tree.root(), b"".join(tree.edge), last],
    )


def _truncate_audit_trail(after_seq):
    """Delete every audit event after ``after_seq`` and point the chain head at the one left last."""
    drop_append_only_guard("core_auditevent")
    raw_sql("DELETE FROM core_auditevent WHERE seq > %s", [after_seq])
    last = AuditEvent.objects.get(seq=after_seq)
    raw_sql("UPDATE core_auditchainhead SET seq = %s, hash = %s", [after_seq, last.hash])


def test_a_sound_log_verifies_and_says_so_in_both_languages(log, capsys):
    call_command("log", "verify")
    out = capsys.readouterr().out.strip()
    assert "账本完整：401 条记录" in out and "4 个检查点" in out and "1 个见证签名" in out
    assert "The log is sound: 401 entries" in out
    assert "\n" not in out


# --- the latest checkpoint ----------------------------------------------------------------------------------------


def test_deleting_the_latest_checkpoint_is_named(log):
    _latest, label = _checkpoint(4)
    drop_append_only_guard("ledger_checkpoint")
    raw_sql("DELETE FROM ledger_checkpoint WHERE seq = 4")
    message = _verify_fails()
    assert "最新的 1 个检查点缺失（已被删除）：账本已签发 4 个检查点，现存的只到第 3 个。" in message
    assert "The newest 1 checkpoint(s) are missing (deleted)" in message
    assert f"{label}已被删除：审计日志第" in message


def test_deleting_the_latest_checkpoint_and_fixing_the_head_is_still_found_through_the_audit_trail(log):
    event = _signing_event(_checkpoint(4)[0])
    drop_append_only_guard("ledger_checkpoint")
    raw_sql("DELETE FROM ledger_checkpoint WHERE seq = 4")
    raw_sql("UPDATE ledger_loghead SET checkpoints = 3")
    report = _problems()
    assert report.codes == ["checkpoint_deleted"]
    assert f"审计日志第 {event.seq} 条事件记录了它的签发" in report.text()


def test_deleting_the_latest_checkpoint_and_its_audit_event_breaks_the_audit_chain(log):
    event = _signing_event(_checkpoint(4)[0])
    drop_append_only_guard("ledger_checkpoint")
    drop_append_only_guard("core_auditevent")
    raw_sql("DELETE FROM ledger_checkpoint WHERE seq = 4")
    raw_sql("UPDATE ledger_loghead SET checkpoints = 3")
    raw_sql("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    report = _problems()
    assert "audit_event_missing" in report.codes or "audit_tail_missing" in report.codes
    assert f"第 {event.seq} 条事件缺失" in report.text() or "末尾的 1 条事件缺失" in report.text()


def test_deleting_a_checkpoint_between_others_leaves_a_gap_in_their_numbers(log):
    _next, label = _checkpoint(3)
    drop_append_only_guard("ledger_checkpoint")
    raw_sql("DELETE FROM ledger_checkpoint WHERE seq = 2")
    message = _verify_fails()
    assert f"第 2 个检查点缺失（已被删除）：下一个现存的是{label}，序号 3。" in message


def test_entries_no_checkpoint_covers_after_the_grace_period_are_named(log):
    assert fsck.verify_log().ok  # the uncovered entry is a second old: the worker will sign it within a minute
    later = timezone.now() + fsck.CHECKPOINT_GRACE + dt.timedelta(minutes=1)
    report = _problems(now=later)
    assert report.codes == ["entries_not_checkpointed"]
    assert "第 400 条记录在" in report.text() and "超过 10 分钟仍没有检查点覆盖它" in report.text()


# --- cosignatures ---------------------------------------------------------------------------------------------------


def test_deleting_a_witness_cosignature_is_named(log):
    assert fsck.verify_log().cosignatures == 1
    _cosigned, label = _checkpoint(3)
    drop_append_only_guard("ledger_cosignature")
    raw_sql("DELETE FROM ledger_cosignature")
    message = _verify_fails()
    assert f"{label}上见证方 见证方一 的联署已被删除：审计日志第" in message
    assert "witness 见证方一 was deleted" in message


def test_a_cosignature_line_swapped_for_another_is_named(log):
    drop_append_only_guard("ledger_cosignature")
    raw_sql("UPDATE ledger_cosignature SET line = %s", ["— witness.example/w1 AAAA\n"])
    report = _problems()
    assert "cosignature_replaced" in report.codes or "checkpoint_signature" in report.codes


# --- rollback and fork --------------------------------------------------------------------------------------------


def test_a_rollback_of_the_newest_entries_with_their_checkpoints_is_named(log):
    first_cut = _checkpoint(3)[0]
    _roll_back_to(250)
    assert Checkpoint.objects.count() == 2
    report = _problems()
    assert report.codes == ["recorded_checkpoint_beyond_log", "checkpoint_deleted", "cosignature_deleted"]
    assert "账本被回滚：审计日志第" in report.text()
    # The first checkpoint beyond the shortened log is named.
    assert f"检查点 #{first_cut.id}，大小 300，而账本现在只有 250 条记录" in report.text()


def test_a_rollback_is_named_against_a_checkpoint_saved_earlier(log, tmp_path, capsys):
    saved = tmp_path / "checkpoint.txt"
    call_command("log", "checkpoint", "--save", str(saved))
    assert "已保存到" in capsys.readouterr().out
    assert saved.read_text().startswith(keys.log_origin() + "\n401\n")
    first_removed = _signing_event(_checkpoint(3)[0])
    _roll_back_to(250)
    # The attacker rewinds the audit trail to before the first checkpoint they removed, chain head included.
    _truncate_audit_trail(first_removed.seq - 1)
    message = _verify_fails("--against", str(saved))
    assert "账本被回滚：保存的检查点有 401 条记录，账本现在只有 250 条。" in message
    assert "The log was rolled back: the saved checkpoint has 401 entries, the log now only 250." in message


def test_a_fork_is_named_against_a_checkpoint_saved_earlier(log, tmp_path):
    saved = tmp_path / "checkpoint.txt"
    call_command("log", "checkpoint", "--save", str(saved))
    _roll_back_to(250)
    services.append_many(items=[("test", {"type": "test", "forged": n}) for n in range(300)])
    services.publish_checkpoint()
    message = _verify_fails("--against", str(saved))
    assert "账本分叉：现在的账本（550 条记录）不包含保存的检查点（401 条记录）所签的那棵树" in message
    assert "The log forked" in message
    # Without the file, the checkpoints the audit trail saw being signed tell the same story.
    assert "recorded_checkpoint_forked" in _problems().codes


def test_a_log_that_grew_verifies_against_a_checkpoint_saved_earlier(log, tmp_path, capsys):
    saved = tmp_path / "checkpoint.txt"
    call_command("log", "checkpoint", "--save", str(saved))
    append_statements(30, start=1000)
    services.publish_checkpoint()
    capsys.readouterr()
    call_command("log", "verify", "--against", str(saved))
    out = capsys.readouterr().out
    assert "账本延续了保存的检查点（401 条记录），没有回滚或分叉。" in out
    assert "The log extends the saved checkpoint (401 entries): no rollback, no fork." in out


def test_an_unchanged_log_verifies_against_its_own_latest_checkpoint(log, tmp_path):
    saved = tmp_path / "checkpoint.txt"
    call_command("log", "checkpoint", "--save", str(saved))
    call_command("log", "verify", "--against", str(saved))


@pytest.mark.parametrize(
    ("tamper", "code", "words"),
    [
        (lambda text: text.replace("\n401\n", "\n402\n"), "saved_checkpoint_not_signed", "没有本账本密钥的有效签名"),
        (lambda text: "another.example/log" + text[text.index("\n") :], "saved_checkpoint_wrong_origin", "另一个账本"),
        (lambda text: "not a checkpoint", "saved_checkpoint_wrong_origin", "另一个账本"),
        (lambda text: text.split("\n\n")[0] + "\n", "saved_checkpoint_unreadable", "不是有效的签名检查点"),
    ],
    ids=["altered", "another log", "garbage", "unsigned"],
)
def test_a_saved_checkpoint_that_is_not_this_logs_is_refused_with_a_reason(log, tmp_path, tamper, code, words):
    saved = tmp_path / "checkpoint.txt"
    call_command("log", "checkpoint", "--save", str(saved))
    saved.write_text(tamper(saved.read_text()))
    report = _problems(saved_checkpoint=saved.read_bytes())
    assert report.codes == [code]
    assert words in report.text()


def test_a_missing_checkpoint_file_is_a_usage_error(db, tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("log", "verify", "--against", str(tmp_path / "nowhere.txt"))
    assert err.value.returncode == 2
    assert "无法读取" in str(err.value) and "Cannot read" in str(err.value)


def test_the_artrights_command_exits_1_with_the_rollback_in_both_languages(log, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # would end the test's transaction
    saved = tmp_path / "checkpoint.txt"
    assert cli.main(["artrights", "log", "checkpoint", "--save", str(saved)]) == 0
    _roll_back_to(100)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["artrights", "log", "verify", "--against", str(saved)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "账本被回滚：保存的检查点有 401 条记录，账本现在只有 100 条。" in err
    assert "the log now only 100" in err


# --- time-stamp tokens ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("corruption", ["garbage bytes", "truncated", "text", "a number"])
def test_a_corrupted_checkpoint_token_is_named_and_pages_and_api_still_answer(log, client, corruption):
    if corruption == "a number" and connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses a number in a bytea column")
    drop_append_only_guard("ledger_checkpoint")
    if corruption == "garbage bytes":
        raw_sql("UPDATE ledger_checkpoint SET timestamp_token = %s WHERE seq = 4", [b"\x30\x82\x01\x00garbage"])
    elif corruption == "truncated":
        token = bytes(Checkpoint.objects.get(seq=4).timestamp_token)
        raw_sql("UPDATE ledger_checkpoint SET timestamp_token = %s WHERE seq = 4", [token[:100]])
    elif corruption == "text":
        raw_sql("UPDATE ledger_checkpoint SET timestamp_token = 'not a token' WHERE seq = 4")
    else:
        # bytes(n) would allocate n zero bytes: a gigabyte for this one.
        raw_sql("UPDATE ledger_checkpoint SET timestamp_token = 1000000000 WHERE seq = 4")
    report = _problems()
    assert report.codes[0] == "checkpoint_token_invalid"
    first, (checkpoint, label) = report.problems[0].message, _checkpoint(4)
    assert first.render("zh-hans").startswith(f"{label}的可信时间戳")
    assert first.render("en").startswith(f"The time-stamp token of Checkpoint #{checkpoint.id} (size 400) is")
    # What was stored at signing time is recorded in the audit trail: the token was swapped for another.
    assert "checkpoint_token_replaced" in report.codes
    assert client.get("/api/log/checkpoint").status_code == 200
    assert client.get("/log/").status_code == 200
    assert client.get("/log/checkpoint").status_code == 200


def test_a_deleted_checkpoint_token_is_named(log):
    _stripped, label = _checkpoint(2)
    drop_append_only_guard("ledger_checkpoint")
    raw_sql("UPDATE ledger_checkpoint SET timestamp_token = NULL WHERE seq = 2")
    message = _verify_fails()
    assert f"{label}的可信时间戳已被删除" in message
    assert "was deleted" in message


# --- the audit trail and its anchors ------------------------------------------------------------------------------


def _anchor_entries():
    return LogEntry.objects.filter(kind=StatementType.AUDIT_ANCHOR).order_by("index")


def test_anchoring_logs_only_the_audit_chains_length_and_head(log, make_user):
    make_user("someone")
    entry = services.anchor_audit_log()
    assert entry is not None
    statement = json.loads(bytes(entry.data))
    last = AuditEvent.objects.order_by("-seq").first()
    assert statement == {
        "type": "artrights/audit-anchor@v1",
        "registry": keys.log_origin(),
        "anchored_at": statement["anchored_at"],
        "audit": {"count": last.seq, "head": last.hash},
    }
    services.publish_checkpoint()
    report = fsck.verify_log()
    assert report.ok, report.text()
    assert report.audit_anchors == 1 and report.audit_events == AuditEvent.objects.count()


def test_the_logs_own_checkpoints_alone_do_not_call_for_another_anchor(log, make_user):
    make_user("someone")
    assert tasks.anchor_audit_log.call_local() > 0
    size = Checkpoint.objects.order_by("-seq").first().size
    assert size == LogEntry.objects.count()  # the task signed a checkpoint over its anchor at once
    # That checkpoint was audited; anchoring it would sign another checkpoint, and so on for ever.
    assert tasks.anchor_audit_log.call_local() == 0
    assert services.anchor_audit_log() is None
    assert _anchor_entries().count() == 1
    make_user("someone-else")
    assert tasks.anchor_audit_log.call_local() > 0
    assert _anchor_entries().count() == 2


def test_anchoring_from_the_command_line(log, make_user, capsys):
    make_user("someone")
    call_command("log", "anchor")
    assert "已记入第 401 条记录" in capsys.readouterr().out
    call_command("log", "anchor")
    assert "没有新事件" in capsys.readouterr().out


def test_a_deleted_audit_event_is_named(log):
    victim = AuditEvent.objects.order_by("seq")[5]
    drop_append_only_guard("core_auditevent")
    raw_sql("DELETE FROM core_auditevent WHERE id = %s", [victim.pk])
    message = _verify_fails()
    assert (
        f"审计日志第 {victim.seq} 条事件缺失（已被删除）：下一条现存的是审计日志第 {victim.seq + 1} 条事件" in message
    )
    assert f"Audit event {victim.seq} is missing (deleted)" in message


def test_a_changed_audit_event_is_named(log):
    victim = AuditEvent.objects.order_by("seq")[7]
    drop_append_only_guard("core_auditevent")
    raw_sql("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["改过的", victim.pk])
    message = _verify_fails()
    assert f"审计日志第 {victim.seq} 条事件（编号 {victim.pk}，" in message
    assert "的内容与其哈希不符：该事件被改动过。" in message


def test_the_newest_audit_event_deleted_is_named(log):
    newest = AuditEvent.objects.order_by("-seq").first()
    drop_append_only_guard("core_auditevent")
    raw_sql("DELETE FROM core_auditevent WHERE id = %s", [newest.pk])
    message = _verify_fails()
    assert f"审计日志末尾的 1 条事件缺失（已被删除）：链头记录共 {newest.seq} 条" in message


def test_newest_audit_events_cut_with_the_head_rewritten_are_found_by_the_anchor(log, make_user):
    make_user("someone")
    services.anchor_audit_log()
    anchored = AuditEvent.objects.order_by("-seq").first().seq
    _truncate_audit_trail(anchored - 3)
    message = _verify_fails()
    assert f"审计日志被截短：第 401 条记录锚定了 {anchored} 条审计事件，现在只有 {anchored - 3} 条。" in message


def test_an_audit_event_rewritten_with_the_chain_rehashed_after_it_is_found_by_the_anchor(log, make_user):
    make_user("someone")
    services.anchor_audit_log()
    victim = AuditEvent.objects.order_by("seq")[3]
    drop_append_only_guard("core_auditevent")
    raw_sql("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["改过的", victim.pk])
    prev = victim.prev_hash
    for event in AuditEvent.objects.filter(seq__gte=victim.seq).order_by("seq"):
        digest = auditchain.event_hash(event.seq, prev, {name: getattr(event, name) for name in auditchain.FIELDS})
        raw_sql("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, event.pk])
        prev = digest
    raw_sql("UPDATE core_auditchainhead SET hash = %s", [prev])
    message = _verify_fails()
    assert "审计日志与第 401 条记录的锚定不符" in message
    assert "audit_event_changed" not in fsck.verify_log().codes  # the chain itself is whole again
