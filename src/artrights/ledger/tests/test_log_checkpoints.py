"""Signed checkpoints: the log key, when a new checkpoint is signed, RFC 3161 tokens, the periodic task."""

import stat

import pytest

from artrights.ledger import keys, services, tasks
from artrights.ledger.models import Checkpoint
from artrights.ledger.selectors import current_head
from artrights.proofs.merkle import EMPTY_ROOT
from artrights.proofs.note import (
    Checkpoint as NoteCheckpoint,
)
from artrights.proofs.note import (
    UnverifiedNoteError,
    generate_key,
    new_signer,
    new_verifier,
    open_checkpoint,
    sign_checkpoint,
)
from artrights.timestamps import keys as tsa_keys
from artrights.timestamps import services as timestamps

pytestmark = pytest.mark.django_db


def _log_verifier():
    return new_verifier(keys.log_verifier_key())


def test_the_log_key_is_created_once_with_owner_only_permissions(settings, tmp_path):
    settings.ARTRIGHTS_LOG_KEY_FILE = tmp_path / "keys" / "log.key"
    vkey = keys.log_verifier_key()
    mode = stat.S_IMODE((tmp_path / "keys" / "log.key").stat().st_mode)
    assert mode == 0o600
    assert vkey.startswith(keys.log_origin() + "+")
    assert keys.log_verifier_key() == vkey  # loaded, not regenerated


def test_a_checkpoint_is_signed_by_the_log_key_for_the_current_size_and_root():
    services.append_many(items=[("test", {"n": i}) for i in range(5)])
    checkpoint = services.publish_checkpoint()
    signed = open_checkpoint(checkpoint.signed_note(), [_log_verifier()], origin=keys.log_origin())
    head = current_head()
    assert signed.checkpoint.size == checkpoint.size == 5
    assert signed.checkpoint.root_hash == bytes(head.root_hash) == bytes(checkpoint.root_hash)


def test_an_empty_log_publishes_the_empty_tree():
    checkpoint = services.publish_checkpoint()
    assert checkpoint.size == 0
    assert bytes(checkpoint.root_hash) == EMPTY_ROOT


def test_a_new_checkpoint_is_signed_only_when_the_log_grew_unless_forced():
    services.append(kind="test", statement={"n": 1})
    first = services.publish_checkpoint()
    assert services.publish_checkpoint().pk == first.pk
    services.append(kind="test", statement={"n": 2})
    grown = services.publish_checkpoint()
    assert grown.pk != first.pk and grown.size == 2
    forced = services.publish_checkpoint(force=True)
    assert forced.pk != grown.pk and forced.size == 2
    assert Checkpoint.objects.count() == 3


def test_the_periodic_task_publishes_a_checkpoint_only_when_the_log_grew():
    services.append(kind="test", statement={"n": 1})
    tasks.publish_log_checkpoint.call_local()
    tasks.publish_log_checkpoint.call_local()
    assert Checkpoint.objects.count() == 1
    services.append(kind="test", statement={"n": 2})
    assert tasks.publish_log_checkpoint.call_local() == 2
    assert Checkpoint.objects.count() == 2


def test_a_checkpoint_signed_by_an_unknown_key_is_refused_by_a_client_pinning_the_log_key():
    services.append(kind="test", statement={"n": 1})
    real = services.publish_checkpoint()
    impostor = new_signer(generate_key(keys.log_origin())[0])
    forged = sign_checkpoint(NoteCheckpoint(keys.log_origin(), real.size, b"\x01" * 32), [impostor])
    with pytest.raises(UnverifiedNoteError):
        open_checkpoint(forged, [_log_verifier()], origin=keys.log_origin())


def test_a_checkpoint_carries_an_rfc3161_token_over_its_note_text():
    from artrights.proofs import rfc3161

    services.append(kind="test", statement={"n": 1})
    checkpoint = services.publish_checkpoint()
    assert checkpoint.timestamp_token
    verified = rfc3161.verify(
        bytes(checkpoint.timestamp_token),
        data=checkpoint.note.encode(),
        trusted_roots=[tsa_keys.tsa_chain()[-1]],
        intermediates=tsa_keys.tsa_chain()[:1],
    )
    assert verified is not None


def test_a_failing_time_stamp_authority_does_not_stop_the_log_from_publishing(monkeypatch):
    def broken(data: bytes) -> bytes:
        raise ConnectionError("TSA unreachable")

    monkeypatch.setattr(timestamps, "stamp", broken)
    services.append(kind="test", statement={"n": 1})
    checkpoint = services.publish_checkpoint()
    assert checkpoint.size == 1
    assert checkpoint.timestamp_token is None
