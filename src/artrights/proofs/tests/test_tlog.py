from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_der_public_key

from artrights.proofs import merkle, note
from artrights.proofs.merkle import CompactRange, MemoryHashStore
from artrights.proofs.note import Checkpoint, CosignatureV1Signer, Ed25519Signer, UnverifiedNoteError
from artrights.proofs.tests.vectors import b64, load_json
from artrights.proofs.tlog import (
    HEADER,
    TlogProof,
    TlogProofError,
    make_tlog_proof,
    parse_tlog_proof,
    verify_tlog_proof,
)

ORIGIN = "artrights.example/log"
ENTRIES = [f"registration {i}".encode() for i in range(37)]


@pytest.fixture()
def log() -> tuple[Ed25519Signer, MemoryHashStore, str]:
    signer = Ed25519Signer(ORIGIN, Ed25519PrivateKey.from_private_bytes(b"\x11" * 32))
    store = MemoryHashStore()
    result = CompactRange().append_many(merkle.leaf_hash(e) for e in ENTRIES)
    store.write_hashes(result.stored)
    signed = note.sign_checkpoint(Checkpoint(ORIGIN, result.size, result.root), [signer])
    return signer, store, signed


def test_tlog_proof_text_has_header_index_hashes_blank_line_and_checkpoint(log: tuple) -> None:
    _, store, signed = log
    text = make_tlog_proof(5, signed, store).to_text()
    lines = text.split("\n")
    assert lines[0] == HEADER
    assert lines[1] == "index 5"
    proof = merkle.inclusion_proof(5, len(ENTRIES), store)
    assert lines[2 : 2 + len(proof)] == [base64.b64encode(h).decode() for h in proof]
    assert lines[2 + len(proof)] == ""
    assert text.split("\n\n", 1)[1] == signed


def test_tlog_proof_round_trips_and_verifies_for_every_entry(log: tuple) -> None:
    signer, store, signed = log
    for i, entry in enumerate(ENTRIES):
        text = make_tlog_proof(i, signed, store, extra=b"ctx" if i % 2 else None).to_text()
        assert parse_tlog_proof(text).to_text() == text
        ok = verify_tlog_proof(text, origin=ORIGIN, log_verifiers=[signer.verifier()], data=entry)
        assert ok.index == i and ok.checkpoint.size == len(ENTRIES)
        assert ok.extra == (b"ctx" if i % 2 else None)


def test_tlog_proof_for_other_data_is_rejected(log: tuple) -> None:
    signer, store, signed = log
    text = make_tlog_proof(3, signed, store).to_text()
    with pytest.raises(TlogProofError, match="inclusion proof does not verify"):
        verify_tlog_proof(text, origin=ORIGIN, log_verifiers=[signer.verifier()], data=b"registration 4")


def test_tlog_proof_with_a_tampered_hash_is_rejected(log: tuple) -> None:
    signer, store, signed = log
    p = make_tlog_proof(3, signed, store)
    bad = TlogProof(p.index, (bytes(32), *p.hashes[1:]), p.signed_checkpoint)
    with pytest.raises(TlogProofError, match="root mismatch"):
        verify_tlog_proof(bad.to_text(), origin=ORIGIN, log_verifiers=[signer.verifier()], data=ENTRIES[3])


def test_tlog_proof_with_a_shifted_index_is_rejected(log: tuple) -> None:
    signer, store, signed = log
    text = make_tlog_proof(3, signed, store).to_text().replace("index 3\n", "index 2\n")
    with pytest.raises(TlogProofError):
        verify_tlog_proof(text, origin=ORIGIN, log_verifiers=[signer.verifier()], data=ENTRIES[3])


def test_tlog_proof_signed_by_an_untrusted_key_is_rejected(log: tuple) -> None:
    _, store, signed = log
    other = Ed25519Signer(ORIGIN, Ed25519PrivateKey.from_private_bytes(b"\x22" * 32))
    text = make_tlog_proof(0, signed, store).to_text()
    with pytest.raises(UnverifiedNoteError):
        verify_tlog_proof(text, origin=ORIGIN, log_verifiers=[other.verifier()], data=ENTRIES[0])


def test_tlog_proof_for_another_origin_is_rejected(log: tuple) -> None:
    signer, store, signed = log
    text = make_tlog_proof(0, signed, store).to_text()
    with pytest.raises(note.MalformedCheckpointError, match="origin"):
        verify_tlog_proof(text, origin="elsewhere.example/log", log_verifiers=[signer.verifier()], data=ENTRIES[0])


def test_witness_quorum_is_enforced_and_a_witness_alone_is_not_the_log(log: tuple) -> None:
    signer, store, signed = log
    witness = CosignatureV1Signer("witness.example/w", Ed25519PrivateKey.from_private_bytes(b"\x33" * 32))
    cosigned = note.cosign_note(signed, [signer.verifier()], witness)
    text = make_tlog_proof(7, cosigned, store).to_text()
    ok = verify_tlog_proof(
        text,
        origin=ORIGIN,
        log_verifiers=[signer.verifier()],
        cosigners=[witness.verifier()],
        min_cosignatures=1,
        data=ENTRIES[7],
    )
    assert [s.name for s in ok.note.sigs] == [ORIGIN, "witness.example/w"]
    plain = make_tlog_proof(7, signed, store).to_text()
    with pytest.raises(TlogProofError, match="0 cosignatures, policy requires 1"):
        verify_tlog_proof(
            plain,
            origin=ORIGIN,
            log_verifiers=[signer.verifier()],
            cosigners=[witness.verifier()],
            min_cosignatures=1,
            data=ENTRIES[7],
        )
    witness_only = note.sign_note(note.open_note(signed, [signer.verifier()]).text, [witness])
    with pytest.raises(TlogProofError, match="not signed by the log"):
        verify_tlog_proof(
            make_tlog_proof(7, witness_only, store).to_text(),
            origin=ORIGIN,
            log_verifiers=[signer.verifier()],
            cosigners=[witness.verifier()],
            data=ENTRIES[7],
        )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("c2sp.org/tlog-proof@v2\nindex 0\n\ncp\n", "does not start"),
        (HEADER + "\nindex 01\n\ncp\n", "leading zeros"),
        (HEADER + "\nindex -1\n\ncp\n", "decimal"),
        (HEADER + "\nextra !!\nindex 0\n\ncp\n", "extra data is not base64"),
        (HEADER + "\n\ncp\n", "no index line"),
        (HEADER + "\nindex 0\nAAAA\n\ncp\n", "3 bytes, want 32"),
        (HEADER + "\nindex 0\n", "no blank line"),
    ],
)
def test_malformed_tlog_proofs_are_rejected_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(TlogProofError, match=why):
        parse_tlog_proof(text)


def test_rekor_v2_entry_expressed_as_a_tlog_proof_verifies() -> None:
    root = load_json("rekor-v2/trusted_root.json")
    entry = load_json("rekor-v2/bundle.json")["verificationMaterial"]["tlogEntries"][0]
    log_key = next(t for t in root["tlogs"] if t["logId"]["keyId"] == entry["logId"]["keyId"])
    origin = log_key["baseUrl"].removeprefix("https://")
    verifier = note.verifier_from_public_key(origin, load_der_public_key(b64(log_key["publicKey"]["rawBytes"])))
    ip = entry["inclusionProof"]
    text = TlogProof(int(ip["logIndex"]), tuple(b64(h) for h in ip["hashes"]), ip["checkpoint"]["envelope"]).to_text()
    ok = verify_tlog_proof(text, origin=origin, log_verifiers=[verifier], data=b64(entry["canonicalizedBody"]))
    assert ok.index == 645 == int(ip["logIndex"])
