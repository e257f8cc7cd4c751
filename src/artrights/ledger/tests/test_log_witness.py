"""Witness cosignatures (C2SP tlog-cosignature): accepted only from active witnesses, for exactly that checkpoint."""

import pytest
import rfc8785
from django.core.exceptions import ValidationError

from artrights.ledger import fsck, keys, services
from artrights.ledger.models import Cosignature
from artrights.ledger.tests.factories import published_log, statement
from artrights.proofs.note import (
    ALG_COSIGNATURE_V1,
    Signature,
    cosign_note,
    generate_key,
    new_signer,
    new_verifier,
    sign_note,
)
from artrights.proofs.tlog import TlogProofError, verify_tlog_proof

pytestmark = pytest.mark.django_db


def _witness_key(name="witness.example/w1"):
    skey, vkey = generate_key(name, ALG_COSIGNATURE_V1)
    return new_signer(skey, clock=lambda: 1_790_000_000), vkey


def _published(n=3):
    return published_log(n)


def _cosign(checkpoint, signer):
    return cosign_note(checkpoint.signed_note(), [new_verifier(checkpoint.key)], signer)


def test_a_cosignature_from_an_active_witness_is_stored_and_served_with_the_checkpoint():
    signer, vkey = _witness_key()
    services.add_witness(name="见证方一", vkey=vkey)
    checkpoint = _published()
    stored = services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=_cosign(checkpoint, signer))
    assert [c.witness.name for c in stored] == ["见证方一"]
    note = checkpoint.signed_note()
    assert note.count("\n— ") == 2  # the log's signature and the witness's
    proof = services.tlog_proof(index=1)
    verified = verify_tlog_proof(
        proof,
        origin=keys.log_origin(),
        log_verifiers=[new_verifier(keys.log_verifier_key())],
        data=rfc8785.dumps(statement(1)),
        cosigners=[new_verifier(vkey)],
        min_cosignatures=1,
    )
    assert verified.index == 1
    assert fsck.verify_log().cosignatures == 1


def test_only_the_witness_signature_lines_are_enough():
    signer, vkey = _witness_key()
    services.add_witness(name="w", vkey=vkey)
    checkpoint = _published()
    lines = _cosign(checkpoint, signer)[len(checkpoint.note) :]
    assert lines.startswith("— witness.example/w1 ")
    services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=lines)
    assert Cosignature.objects.count() == 1


def test_submitting_the_same_cosignature_twice_stores_it_once():
    signer, vkey = _witness_key()
    services.add_witness(name="w", vkey=vkey)
    checkpoint = _published()
    text = _cosign(checkpoint, signer)
    services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=text)
    services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=text)
    assert Cosignature.objects.count() == 1


def test_a_cosignature_from_an_unknown_witness_is_refused():
    signer, _vkey = _witness_key()
    checkpoint = _published()
    with pytest.raises(ValidationError) as err:
        services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=_cosign(checkpoint, signer))
    assert err.value.code == "unknown_witness"
    assert not Cosignature.objects.exists()


def test_a_cosignature_from_a_deactivated_witness_is_refused():
    signer, vkey = _witness_key()
    witness = services.add_witness(name="w", vkey=vkey)
    type(witness).objects.filter(pk=witness.pk).update(active=False)
    checkpoint = _published()
    with pytest.raises(ValidationError) as err:
        services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=_cosign(checkpoint, signer))
    assert err.value.code == "unknown_witness"


def test_a_cosignature_over_another_checkpoint_is_refused():
    signer, vkey = _witness_key()
    services.add_witness(name="w", vkey=vkey)
    old = _published(2)
    cosigned_old = _cosign(old, signer)
    new = _published(2)
    with pytest.raises(ValidationError) as err:
        services.add_cosignature(checkpoint=new, cosigned_note_text=cosigned_old)
    assert err.value.code == "wrong_checkpoint"
    # Lines alone cannot be moved to another checkpoint either: the signature does not cover its text.
    lines = cosigned_old[len(old.note) :]
    with pytest.raises(ValidationError) as err:
        services.add_cosignature(checkpoint=new, cosigned_note_text=lines)
    assert err.value.code == "bad_signature"


def test_a_forged_signature_under_a_known_witness_name_is_refused():
    _signer, vkey = _witness_key()
    services.add_witness(name="w", vkey=vkey)
    checkpoint = _published()
    verifier = new_verifier(vkey)
    forged = sign_note(checkpoint.body, [], [Signature(verifier.name, verifier.key_hash, b"\x00" * 72)])
    with pytest.raises(ValidationError) as err:
        services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=forged)
    assert err.value.code == "bad_signature"


def test_garbage_is_refused_as_malformed():
    checkpoint = _published()
    with pytest.raises(ValidationError):
        services.add_cosignature(checkpoint=checkpoint, cosigned_note_text="hello\n")
    with pytest.raises(ValidationError) as err:
        services.add_cosignature(checkpoint=checkpoint, cosigned_note_text="— w !!!notbase64\n")
    assert err.value.code == "malformed"


def test_a_witness_with_a_malformed_key_cannot_be_added():
    with pytest.raises(ValidationError):
        services.add_witness(name="w", vkey="not+a+key")


def test_a_proof_requiring_a_cosignature_fails_without_one():
    _signer, vkey = _witness_key()
    _published()
    with pytest.raises(TlogProofError):
        verify_tlog_proof(
            services.tlog_proof(index=0),
            origin=keys.log_origin(),
            log_verifiers=[new_verifier(keys.log_verifier_key())],
            data=rfc8785.dumps(statement(0)),
            cosigners=[new_verifier(vkey)],
            min_cosignatures=1,
        )


def test_a_witness_posts_its_cosignature_over_the_api(client):
    signer, vkey = _witness_key()
    services.add_witness(name="见证方一", vkey=vkey)
    checkpoint = _published()
    response = client.post(
        "/api/log/cosignatures", {"note": _cosign(checkpoint, signer)}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["accepted"] == ["见证方一"]
    assert body["checkpoint"]["cosignatures"] == 1
    assert client.get("/log/checkpoint").content.decode() == checkpoint.signed_note()


def test_the_api_refuses_a_cosignature_from_an_unknown_witness(client):
    signer, _vkey = _witness_key()
    checkpoint = _published()
    response = client.post(
        "/api/log/cosignatures", {"note": _cosign(checkpoint, signer)}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "见证方" in response.json()["detail"]


def test_the_api_answers_404_for_a_checkpoint_the_log_never_signed(client):
    signer, vkey = _witness_key()
    services.add_witness(name="w", vkey=vkey)
    _published()
    note = sign_note("artrights.localhost/log\n99\n" + "A" * 43 + "=\n", [signer])
    response = client.post("/api/log/cosignatures", {"note": note}, content_type="application/json")
    assert response.status_code == 404
