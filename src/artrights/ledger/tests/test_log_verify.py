"""`artrights log verify`: a sound log passes; any tampering found in the database is named, exit status 1.

Tampering here is what someone with database rights could do: drop the append-only trigger, then rewrite rows
with raw SQL.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from artrights import cli
from artrights.ledger import services
from artrights.proofs.note import Checkpoint as NoteCheckpoint
from artrights.proofs.note import generate_key, new_signer, sign_checkpoint
from artrights.testing import drop_append_only_guard, raw_sql

pytestmark = pytest.mark.django_db


_sql = raw_sql
_drop_guard = drop_append_only_guard


@pytest.fixture
def log():
    for start in range(0, 1000, 250):
        services.append_many(items=[("test", {"n": i}) for i in range(start, start + 250)])
        services.publish_checkpoint()
    services.append(kind="test", statement={"n": 1000})  # one entry beyond the latest checkpoint


def _verify_fails():
    with pytest.raises(CommandError) as err:
        call_command("log", "verify")
    assert err.value.returncode == 1
    return str(err.value)


def test_a_sound_log_verifies_with_a_one_line_summary(log, capsys):
    call_command("log", "verify")
    out = capsys.readouterr().out.strip()
    assert "\n" not in out
    assert "1001 条记录" in out and "4 个检查点" in out and "4 个可信时间戳" in out


def test_the_artrights_command_exits_1_when_the_log_was_tampered_with(log, capsys, monkeypatch):
    # The command closes its connections when done; here that would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    cli.main(["artrights", "log", "verify"])
    _drop_guard("ledger_logentry")
    _sql("UPDATE ledger_logentry SET data = %s WHERE idx = 7", [b'{"n":70}'])
    with pytest.raises(SystemExit) as exit_:
        cli.main(["artrights", "log", "verify"])
    assert exit_.value.code == 1
    assert "第 7 条记录" in capsys.readouterr().err


def test_a_rewritten_statement_is_named(log):
    _drop_guard("ledger_logentry")
    _sql("UPDATE ledger_logentry SET data = %s WHERE idx = 613", [b'{"n":6130}'])
    assert "第 613 条记录的叶哈希与其内容不符" in _verify_fails()


def test_a_rewritten_statement_with_a_matching_leaf_hash_is_caught_by_the_stored_hashes(log):
    from artrights.proofs.merkle import leaf_hash

    _drop_guard("ledger_logentry")
    forged = b'{"n":"forged"}'
    _sql("UPDATE ledger_logentry SET data = %s, leaf_hash = %s WHERE idx = 300", [forged, leaf_hash(forged)])
    assert "层 0，序号 300" in _verify_fails()


def test_a_rewritten_stored_hash_is_named(log):
    _drop_guard("ledger_loghash")
    _sql("UPDATE ledger_loghash SET hash = %s WHERE level = 3 AND idx = 20", [b"\x00" * 32])
    assert "层 3，序号 20" in _verify_fails()


def test_a_deleted_stored_hash_is_named(log):
    _drop_guard("ledger_loghash")
    _sql("DELETE FROM ledger_loghash WHERE level = 5 AND idx = 4")
    assert "层 5，序号 4" in _verify_fails()


def test_an_extra_forged_hash_is_found(log):
    _sql("INSERT INTO ledger_loghash (level, idx, hash) VALUES (40, 0, %s)", [b"\x01" * 32])
    assert "子树哈希数量" in _verify_fails()


def test_a_deleted_entry_is_named(log):
    _drop_guard("ledger_logentry")
    _sql("DELETE FROM ledger_logentry WHERE idx = 999")
    assert "第 999 条记录缺失" in _verify_fails()


def test_a_rewritten_checkpoint_is_named(log):
    _drop_guard("ledger_checkpoint")
    _sql("UPDATE ledger_checkpoint SET note = REPLACE(note, '\n500\n', '\n499\n') WHERE size = 500")
    message = _verify_fails()
    assert "检查点" in message and "大小 500" in message


@pytest.mark.parametrize("forgery", ["another checkpoint's token", "garbage"])
def test_a_checkpoint_whose_time_stamp_token_does_not_cover_its_note_is_named(log, forgery):
    from artrights.ledger.models import Checkpoint

    other = bytes(Checkpoint.objects.get(size=250).timestamp_token)
    token = other if forgery == "another checkpoint's token" else b"\x30\x03\x02\x01\x00"
    _drop_guard("ledger_checkpoint")
    _sql("UPDATE ledger_checkpoint SET timestamp_token = %s WHERE size = 500", [token])
    message = _verify_fails()
    assert "大小 500" in message and "可信时间戳无效" in message


def test_a_checkpoint_signed_by_an_unknown_key_is_named(log):
    from artrights.ledger import keys
    from artrights.ledger.models import Checkpoint

    head = Checkpoint.objects.order_by("-id").first()
    assert head is not None
    impostor = new_signer(generate_key(keys.log_origin())[0])
    note = sign_checkpoint(NoteCheckpoint(keys.log_origin(), head.size, bytes(head.root_hash)), [impostor])
    Checkpoint(
        seq=head.seq + 1, size=head.size, root_hash=bytes(head.root_hash), note=note, key=impostor.verifier().vkey()
    ).save()
    assert "不是用当前账本密钥签名的" in _verify_fails()


def test_a_checkpoint_whose_root_was_never_the_logs_is_named(log):
    from artrights.ledger import keys
    from artrights.ledger.models import Checkpoint

    signer = keys.log_signer()
    note = sign_checkpoint(NoteCheckpoint(keys.log_origin(), 1001, b"\x07" * 32), [signer])
    Checkpoint(seq=5, size=1001, root_hash=b"\x07" * 32, note=note, key=signer.verifier().vkey()).save()
    assert "根哈希与记录重算的结果不符" in _verify_fails()


def test_publishing_a_checkpoint_from_the_command_line(log, capsys):
    call_command("log", "checkpoint")
    out = capsys.readouterr().out
    assert "大小 1001" in out
    assert "\n— " in out
