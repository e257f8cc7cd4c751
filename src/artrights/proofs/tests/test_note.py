from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_der_public_key

from artrights.proofs import merkle, note
from artrights.proofs.note import (
    Checkpoint,
    CosignatureV1Signer,
    Ed25519Signer,
    InvalidKeyError,
    InvalidSignatureError,
    MalformedCheckpointError,
    MalformedNoteError,
    UnverifiedNoteError,
)
from artrights.proofs.tests.vectors import b64, load_json

TEXT = "example.com/artrights\n3\n" + base64.b64encode(b"\x07" * 32).decode() + "\n"


def _signer(name: str, seed: int) -> Ed25519Signer:
    return Ed25519Signer(name, Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


# --- signed-note vector (golang.org/x/mod/sumdb/note) ---------------------------------


def test_signed_note_vector_is_reproduced_byte_for_byte_by_our_signer() -> None:
    v = load_json("signed-note.json")
    signer = note.new_signer(v["signer_key"])
    assert note.sign_note(v["text"], [signer]) == v["signed_note"]


def test_signed_note_vector_keys_round_trip_through_our_key_text_format() -> None:
    v = load_json("signed-note.json")
    signer = note.new_signer(v["signer_key"])
    assert signer.skey() == v["signer_key"]
    assert signer.verifier().vkey() == v["verifier_key"]
    assert note.new_verifier(v["verifier_key"]).key_hash == signer.key_hash


def test_signed_note_vector_opens_with_its_verifier_key() -> None:
    v = load_json("signed-note.json")
    opened = note.open_note(v["signed_note"], [note.new_verifier(v["verifier_key"])])
    assert opened.text == v["text"]
    assert [s.name for s in opened.sigs] == ["PeterNeumann"]
    assert opened.unverified_sigs == []


def test_key_hash_is_the_first_four_bytes_of_sha256_of_name_newline_type_and_key() -> None:
    signer = _signer("example.com/k", 1)
    pub = signer.verifier().raw_public_key
    want = int.from_bytes(hashlib.sha256(b"example.com/k\n\x01" + pub).digest()[:4], "big")
    assert signer.key_hash == want


# --- opening notes ---------------------------------------------------------------------


def test_note_signed_only_by_unknown_keys_is_rejected_with_a_clear_error() -> None:
    signed = note.sign_note(TEXT, [_signer("stranger.example", 2)])
    with pytest.raises(UnverifiedNoteError, match="no verifiable signatures from known keys") as exc:
        note.open_note(signed, [_signer("example.com/artrights", 1).verifier()])
    assert [s.name for s in exc.value.unverified] == ["stranger.example"]


def test_note_with_no_known_keys_configured_is_rejected() -> None:
    signed = note.sign_note(TEXT, [_signer("example.com/artrights", 1)])
    with pytest.raises(UnverifiedNoteError):
        note.open_note(signed, [])


def test_cosignatures_from_extra_known_keys_are_accepted_and_unknown_ones_ignored() -> None:
    log, witness, stranger = (
        _signer("log.example", 1),
        _signer("witness.example", 2),
        _signer("other.example", 3),
    )
    signed = note.sign_note(TEXT, [log, stranger, witness])
    opened = note.open_note(signed, [log.verifier(), witness.verifier()])
    assert [s.name for s in opened.sigs] == ["log.example", "witness.example"]
    assert [s.name for s in opened.unverified_sigs] == ["other.example"]


def test_key_sharing_only_the_name_with_a_known_key_is_ignored_not_failed() -> None:
    real, impostor = _signer("log.example", 1), _signer("log.example", 9)
    signed = note.sign_note(TEXT, [impostor, real])
    opened = note.open_note(signed, [real.verifier()])
    assert [s.key_hash for s in opened.sigs] == [real.key_hash]
    assert [s.key_hash for s in opened.unverified_sigs] == [impostor.key_hash]


def test_bad_signature_from_a_known_key_rejects_the_whole_note() -> None:
    log, witness = _signer("log.example", 1), _signer("witness.example", 2)
    signed = note.sign_note(TEXT, [log, witness])
    tampered = signed.replace("\n3\n", "\n4\n", 1)
    with pytest.raises(InvalidSignatureError, match=r"log\.example"):
        note.open_note(tampered, [log.verifier(), witness.verifier()])


def test_signature_line_with_a_flipped_bit_is_rejected() -> None:
    log = _signer("log.example", 1)
    signed = note.sign_note(TEXT, [log])
    text, sig_line = signed.rsplit("\n\n", 1)
    name, data = sig_line.rstrip("\n").split(" ")[1:]
    raw = bytearray(base64.b64decode(data))
    raw[10] ^= 1
    forged = f"{text}\n\n— {name} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(InvalidSignatureError):
        note.open_note(forged, [log.verifier()])


@pytest.mark.parametrize(
    ("msg", "why"),
    [
        ("no blank line\n— a AAAAAAA=\n", "no blank line"),
        ("text\n\n", "signature block is empty"),
        ("text\n\n— a AAAAAAAA", "does not end in a newline"),
        ("text\n\n- a AAAAAAAA\n", "malformed signature line"),
        ("text\n\n— a+b AAAAAAAA\n", "malformed signature line"),
        ("text\n\n— a !!!!\n", "base64"),
        ("text\n\n— a AAAA\n", "too short"),
        ("te\x01xt\n\n— a AAAAAAAA\n", "control characters"),
    ],
)
def test_malformed_notes_are_rejected_with_the_reason(msg: str, why: str) -> None:
    with pytest.raises(MalformedNoteError, match=why):
        note.open_note(msg, [_signer("a", 1).verifier()])


def test_note_that_is_not_utf8_is_rejected() -> None:
    with pytest.raises(MalformedNoteError, match="UTF-8"):
        note.open_note(b"\xff\n\n\xe2\x80\x94 a AAAAAAAA\n", [])


def test_signing_text_without_a_final_newline_is_refused() -> None:
    with pytest.raises(MalformedNoteError, match="newline"):
        note.sign_note("no newline", [_signer("a", 1)])


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+c74f20a3",  # too few fields
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # hash must be lowercase
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong hash
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
        "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # unknown type 0x02
    ],
)
def test_malformed_verifier_keys_are_rejected(vkey: str) -> None:
    with pytest.raises(InvalidKeyError):
        note.new_verifier(vkey)


def test_generated_keys_sign_and_verify_each_other() -> None:
    skey, vkey = note.generate_key("artrights.example/log")
    signed = note.sign_note(TEXT, [note.new_signer(skey)])
    assert note.open_note(signed, [note.new_verifier(vkey)]).text == TEXT
    with pytest.raises(UnverifiedNoteError):
        note.open_note(signed, [note.new_verifier(note.generate_key("artrights.example/log")[1])])


# --- checkpoints -------------------------------------------------------------------------


def test_checkpoint_round_trips_through_its_text_form() -> None:
    cp = Checkpoint("example.com/artrights", 20852163, b"\x01" * 32, ("ext one",))
    assert note.parse_checkpoint(cp.to_text()) == cp
    assert cp.to_text().endswith("\next one\n")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("origin\n10\n" + base64.b64encode(b"\0" * 32).decode(), "end in a newline"),
        ("origin\n10\n", "at least 3"),
        ("origin\n010\n" + base64.b64encode(b"\0" * 32).decode() + "\n", "leading zeros"),
        ("origin\n-1\n" + base64.b64encode(b"\0" * 32).decode() + "\n", "decimal"),
        ("origin\n+1\n" + base64.b64encode(b"\0" * 32).decode() + "\n", "decimal"),
        ("origin\n1\n" + base64.b64encode(b"\0" * 31).decode() + "\n", "length 31"),
        ("origin\n1\nnot base64!\n", "not base64"),
        ("\n1\n" + base64.b64encode(b"\0" * 32).decode() + "\n", "origin"),
        ("origin\n1\n" + base64.b64encode(b"\0" * 32).decode() + "\n\n", "extension"),
        ("origin\n18446744073709551616\n" + base64.b64encode(b"\0" * 32).decode() + "\n", "uint64"),
    ],
)
def test_malformed_checkpoints_are_rejected_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(MalformedCheckpointError, match=why):
        note.parse_checkpoint(text)


def test_signed_checkpoint_opens_only_for_the_expected_origin() -> None:
    log = _signer("example.com/artrights", 1)
    signed = note.sign_checkpoint(note.parse_checkpoint(TEXT), [log])
    assert note.open_checkpoint(signed, [log.verifier()], origin="example.com/artrights").checkpoint.size == 3
    with pytest.raises(MalformedCheckpointError, match="origin"):
        note.open_checkpoint(signed, [log.verifier()], origin="example.com/other")


# --- cosignature/v1 -----------------------------------------------------------------------


def test_cosignature_v1_signs_the_header_time_line_and_checkpoint_body() -> None:
    key = Ed25519PrivateKey.from_private_bytes(b"\x05" * 32)
    witness = CosignatureV1Signer("witness.example/w1", key, clock=lambda: 1679315147)
    sig = witness.sign(TEXT.encode())
    assert note.cosignature_timestamp(sig) == 1679315147
    key.public_key().verify(sig[8:], b"cosignature/v1\ntime 1679315147\n" + TEXT.encode())
    pub = key.public_key().public_bytes_raw()
    assert witness.key_hash == int.from_bytes(hashlib.sha256(b"witness.example/w1\n\x04" + pub).digest()[:4], "big")


def test_cosigned_checkpoint_verifies_with_log_and_witness_keys() -> None:
    log = _signer("example.com/artrights", 1)
    witness = CosignatureV1Signer("witness.example/w1", Ed25519PrivateKey.from_private_bytes(b"\x05" * 32))
    signed = note.sign_note(TEXT, [log])
    cosigned = note.cosign_note(signed, [log.verifier()], witness)
    opened = note.open_note(cosigned, [log.verifier(), witness.verifier()])
    assert [s.name for s in opened.sigs] == ["example.com/artrights", "witness.example/w1"]
    # The cosigner's key also round-trips through the vkey text with type 0x04.
    assert note.new_verifier(witness.verifier().vkey()).key_hash == witness.key_hash


def test_cosignature_with_an_altered_timestamp_is_rejected() -> None:
    log = _signer("example.com/artrights", 1)
    witness = CosignatureV1Signer("w.example", Ed25519PrivateKey.from_private_bytes(b"\x05" * 32), clock=lambda: 100)
    cosigned = note.cosign_note(note.sign_note(TEXT, [log]), [log.verifier()], witness)
    head, last = cosigned.rstrip("\n").rsplit("\n", 1)
    name, data = last.split(" ")[1:]
    raw = bytearray(base64.b64decode(data))
    raw[4 + 7] ^= 1  # last byte of the big-endian timestamp
    forged = f"{head}\n— {name} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(InvalidSignatureError, match=r"w\.example"):
        note.open_note(forged, [log.verifier(), witness.verifier()])


# --- Rekor v2 (sigstore-python test assets) ----------------------------------------------


def _rekor_v2() -> tuple[note.Ed25519Verifier, dict[str, Any], str]:
    root = load_json("rekor-v2/trusted_root.json")
    bundle = load_json("rekor-v2/bundle.json")
    entry = bundle["verificationMaterial"]["tlogEntries"][0]
    log = next(t for t in root["tlogs"] if t["logId"]["keyId"] == entry["logId"]["keyId"])
    assert log["publicKey"]["keyDetails"] == "PKIX_ED25519"
    # Rekor v2 names its checkpoint origin after the log URL without the scheme.
    origin = log["baseUrl"].removeprefix("https://")
    verifier = note.verifier_from_public_key(origin, load_der_public_key(b64(log["publicKey"]["rawBytes"])))
    return verifier, entry, origin


def test_rekor_v2_log_id_is_the_untruncated_signed_note_key_hash() -> None:
    verifier, entry, origin = _rekor_v2()
    log_id = b64(entry["logId"]["keyId"])
    digest = hashlib.sha256(origin.encode() + b"\n\x01" + verifier.raw_public_key).digest()
    assert log_id == digest
    assert verifier.key_hash == int.from_bytes(log_id[:4], "big")


def test_rekor_v2_checkpoint_and_inclusion_proof_verify_with_the_trusted_root_key() -> None:
    verifier, entry, origin = _rekor_v2()
    proof = entry["inclusionProof"]
    signed = note.open_checkpoint(proof["checkpoint"]["envelope"], [verifier], origin=origin)
    cp = signed.checkpoint
    assert cp.size == int(proof["treeSize"])
    assert cp.root_hash == b64(proof["rootHash"])
    leaf = merkle.leaf_hash(b64(entry["canonicalizedBody"]))
    merkle.verify_inclusion(int(proof["logIndex"]), cp.size, leaf, [b64(h) for h in proof["hashes"]], cp.root_hash)


def test_rekor_v2_inclusion_proof_fails_for_a_different_entry_body() -> None:
    verifier, entry, origin = _rekor_v2()
    proof = entry["inclusionProof"]
    cp = note.open_checkpoint(proof["checkpoint"]["envelope"], [verifier], origin=origin).checkpoint
    body = bytearray(b64(entry["canonicalizedBody"]))
    body[-3] ^= 1
    with pytest.raises(merkle.ProofError, match="root mismatch"):
        merkle.verify_inclusion(
            int(proof["logIndex"]),
            cp.size,
            merkle.leaf_hash(bytes(body)),
            [b64(h) for h in proof["hashes"]],
            cp.root_hash,
        )


def test_rekor_v2_checkpoint_is_rejected_under_a_different_key() -> None:
    _, entry, _ = _rekor_v2()
    envelope = entry["inclusionProof"]["checkpoint"]["envelope"]
    impostor = note.verifier_from_public_key(
        "log2025-alpha1.rekor.sigstage.dev", Ed25519PrivateKey.generate().public_key()
    )
    with pytest.raises(UnverifiedNoteError):
        note.open_checkpoint(envelope, [impostor])


def test_non_ed25519_public_keys_are_refused_with_a_clear_error() -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    with pytest.raises(InvalidKeyError, match="only Ed25519"):
        note.verifier_from_public_key("log.example", ec.generate_private_key(ec.SECP256R1()).public_key())
