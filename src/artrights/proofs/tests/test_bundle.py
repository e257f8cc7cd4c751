"""Statements, commitments and the proof bundle, verified check by check (no database)."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
from typing import Any

import pytest
import rfc8785

from artrights.proofs import canonical, note, statements, verification
from artrights.proofs.bundle import dump_bundle, timestamp_data, tsa_timestamper
from artrights.proofs.rfc3161 import CounterSerials, TimeStampAuthority
from artrights.proofs.tests.proofkit import TEST_POLICY, Kit, sample_image
from artrights.proofs.trust import Trust


@pytest.fixture(scope="module")
def kit() -> Kit:
    return Kit.new()


@pytest.fixture(scope="module")
def image() -> bytes:
    return sample_image(5)


@pytest.fixture(scope="module")
def registered(kit: Kit, image: bytes) -> dict[str, Any]:
    statement, openings = kit.statement(image=image, iscc="ISCC:EEA4GQZQTY6J5DTH")
    return kit.register(statement, openings)


def fresh(bundle: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(bundle)


# --- commitments -----------------------------------------------------------------------------


def test_a_commitment_is_sha256_over_the_salt_then_the_canonical_json() -> None:
    salt = bytes(range(32))
    value = {"name": "李明", "id_number": "440300199001010000"}
    want = hashlib.sha256(salt + rfc8785.dumps(value)).hexdigest()
    assert canonical.commit(value, salt) == want
    # Key order does not matter: the JSON is canonicalised first.
    assert canonical.commit({"id_number": "440300199001010000", "name": "李明"}, salt) == want


def test_a_commitment_changes_with_the_salt_and_with_the_value() -> None:
    salt = b"\x01" * 16
    assert canonical.commit("大芬村的清晨", salt) != canonical.commit("大芬村的清晨", b"\x02" * 16)
    assert canonical.commit("大芬村的清晨", salt) != canonical.commit("大芬村的黄昏", salt)


def test_a_salt_shorter_than_16_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="16"):
        canonical.commit("title", b"short")


def test_an_opening_round_trips_through_json_and_reproduces_its_commitment() -> None:
    opening = canonical.Opening.new({"name": "李明"})
    again = canonical.Opening.from_json(json.loads(json.dumps(opening.to_json())))
    assert again == opening
    assert again.commitment == canonical.commit({"name": "李明"}, opening.salt)


def test_build_statement_commits_to_the_title_and_parties_without_revealing_them(kit: Kit) -> None:
    statement, openings = kit.statement()
    text = json.dumps(statement, ensure_ascii=False)
    assert "大芬村的清晨" not in text and "李明" not in text
    assert statement["work"]["title"] == canonical.commit("大芬村的清晨", openings.title.salt)
    assert [p["role"] for p in statement["parties"]] == ["owner", "author"]
    assert statement["registered_at"].endswith("Z")


def test_the_openings_name_the_role_of_each_party(kit: Kit) -> None:
    _, openings = kit.statement()
    assert [p["role"] for p in openings.to_json()["parties"]] == ["owner", "author"]


@pytest.mark.parametrize(
    ("refers_to", "logged"),
    [((), []), (["粤作登字-2026-F-00000001"], ["粤作登字-2026-F-00000001"]), ({"log_index": 3}, {"log_index": 3})],
)
def test_refers_to_is_logged_as_a_list_of_numbers_or_an_object(kit: Kit, refers_to: Any, logged: Any) -> None:
    statement, _ = statements.build_statement(
        type="artrights/change@v1",
        registry=kit.log.origin,
        number="粤作登字-2026-F-00000001",
        registered_at=dt.datetime.now(dt.UTC),
        work_type="FINE_ART",
        title="t",
        files=[],
        parties=[],
        refers_to=refers_to,
    )
    assert statement["refers_to"] == logged


def test_a_statement_with_an_unknown_type_is_not_well_formed(kit: Kit) -> None:
    statement, _ = kit.statement()
    with pytest.raises(ValueError, match="unknown statement type"):
        statements.check_statement({**statement, "type": "artrights/whatever@v1"})


# --- a valid bundle --------------------------------------------------------------------------


def test_a_valid_bundle_passes_every_check_in_order(kit: Kit, registered: dict[str, Any], image: bytes) -> None:
    verdict = verification.verify_bundle(registered, trust=kit.trust, file_bytes=image)
    assert verdict.ok, verdict.summary()
    assert verdict.passed == list(verification.BUNDLE_CHECKS)
    assert verdict.number == "粤作登字-2026-F-00000001"
    assert verdict.log_index == registered["log"]["index"]
    assert verdict.summary().startswith("有效 VALID: 粤作登字-2026-F-00000001")


def test_a_bundle_verifies_after_a_round_trip_through_its_json_file(kit: Kit, registered: dict[str, Any]) -> None:
    text = dump_bundle(registered)
    verdict = verification.verify_bundle(text, trust=kit.trust)
    assert verdict.ok, verdict.summary()
    assert verification.opened_parties(verdict)[1] == ("author", {"name": "李明", "signature": "李明"})


def test_the_timestamp_is_over_the_canonical_statement(kit: Kit, registered: dict[str, Any]) -> None:
    from artrights.proofs import rfc3161

    token = base64.b64decode(registered["timestamp"]["token"])
    stamped = rfc3161.verify(
        token, data=statements.leaf_data(registered["statement"]), trusted_roots=[kit.tsa.root_certificate]
    )
    assert stamped.message_digest == hashlib.sha256(rfc8785.dumps(registered["statement"])).digest()


def test_a_statement_in_the_registry_apps_shape_verifies(kit: Kit) -> None:
    # The registry app adds fields (version, refers_to as an object) and writes revocations
    # without a work; the verifier relies only on the documented core fields.
    title = canonical.Opening.new("大芬村的清晨")
    owner = canonical.Opening(value={"name": "李明"}, salt=bytes(16) + b"x")
    statement = {
        "type": "artrights/revocation@v1",
        "registry": kit.log.origin,
        "number": "粤作登字-2026-F-00000009",
        "ground": "applicant_request",
        "version": 2,
        "registered_at": dt.datetime.now(dt.UTC).isoformat(),
        "work": {"type": "FINE_ART", "title": title.commitment, "files": []},
        "parties": [{"role": "owner", "commitment": owner.commitment}],
        "refers_to": {"log_index": 3},
    }
    openings = {
        "title": title.to_json(),
        "parties": [{"role": "owner", **owner.to_json()}],
    }
    bundle = kit.register(statement, statements.Openings.from_json(openings))
    bundle["openings"] = openings
    verdict = verification.verify_bundle(bundle, trust=kit.trust)
    assert verdict.ok, verdict.summary()
    assert verdict.summary().startswith("有效 VALID: 撤销登记 粤作登字-2026-F-00000009")
    assert "revocation of 粤作登字-2026-F-00000009" in verdict.summary()


# --- each check fails on its own kind of damage ----------------------------------------------


def test_a_different_file_fails_the_file_hash_check(kit: Kit, registered: dict[str, Any]) -> None:
    verdict = verification.verify_bundle(registered, trust=kit.trust, file_bytes=sample_image(6))
    assert (verdict.ok, verdict.failed_check) == (False, "file_hash")
    assert "SHA-256" in verdict.message_zh


def test_an_image_iscc_that_was_not_registered_fails_the_file_hash_check(kit: Kit, registered: dict[str, Any]) -> None:
    verdict = verification.verify_bundle(registered, trust=kit.trust, image_iscc="ISCC:EEAZZZZZZZZZZZZZ")
    assert verdict.failed_check == "file_hash"


def test_a_changed_title_opening_fails_the_statement_check(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    bundle["openings"]["title"]["value"] = "大芬村的黄昏"
    verdict = verification.verify_bundle(bundle, trust=kit.trust)
    assert verdict.failed_check == "statement"
    assert "作品名称" in verdict.message_zh


def test_a_changed_party_name_fails_the_statement_check(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    bundle["openings"]["parties"][0]["value"]["name"] = "别人的公司"
    assert verification.verify_bundle(bundle, trust=kit.trust).failed_check == "statement"


def test_an_opening_labelled_with_another_role_fails_the_statement_check(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    bundle["openings"]["parties"][0]["role"] = "author"
    assert verification.verify_bundle(bundle, trust=kit.trust).failed_check == "statement"


def test_a_malformed_bundle_fails_the_statement_check(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    del bundle["log"]
    assert verification.verify_bundle(bundle, trust=kit.trust).failed_check == "statement"
    assert verification.verify_bundle(b"not json", trust=kit.trust).failed_check == "statement"


def test_a_changed_registration_number_fails_the_inclusion_proof(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    bundle["statement"]["number"] = "粤作登字-2026-F-00000002"
    verdict = verification.verify_bundle(bundle, trust=kit.trust)
    assert verdict.failed_check == "inclusion_proof"


def test_a_changed_file_hash_fails_the_inclusion_proof(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    forged = sample_image(9)
    bundle["statement"]["work"]["files"][0]["sha256"] = hashlib.sha256(forged).hexdigest()
    verdict = verification.verify_bundle(bundle, trust=kit.trust, file_bytes=forged)
    assert verdict.passed == ["file_hash", "statement"]
    assert verdict.failed_check == "inclusion_proof"


def test_a_proof_for_another_log_fails_the_inclusion_proof(kit: Kit) -> None:
    other = Kit.new(origin="elsewhere.example/log")
    statement, openings = other.statement()
    bundle = other.register(statement, openings)
    verdict = verification.verify_bundle(bundle, trust=kit.trust)
    assert verdict.failed_check == "inclusion_proof"
    assert "elsewhere.example/log" in verdict.message_en


def test_a_proof_pointing_at_another_index_fails_the_inclusion_proof(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    bundle["log"]["index"] += 1
    assert verification.verify_bundle(bundle, trust=kit.trust).failed_check == "inclusion_proof"


def test_a_checkpoint_signed_by_an_unknown_key_fails_the_checkpoint_signature(kit: Kit) -> None:
    # Same origin and key name, different key: the tree is right but the signer is not trusted.
    impostor_skey, _ = note.generate_key(kit.log.origin)
    statement, openings = kit.statement(number="粤作登字-2026-F-00000003")
    bundle = kit.register(statement, openings, signer_skey=impostor_skey)
    verdict = verification.verify_bundle(bundle, trust=kit.trust)
    assert verdict.passed == ["statement", "inclusion_proof"]
    assert verdict.failed_check == "checkpoint_signature"


def test_a_timestamp_over_other_bytes_fails_the_timestamp_check(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    other = timestamp_data(b"other bytes", kit.timestamper, trusted_roots=[kit.tsa.root_certificate])
    bundle["timestamp"]["token"] = base64.b64encode(other).decode()
    verdict = verification.verify_bundle(bundle, trust=kit.trust)
    assert verdict.passed == ["statement", "inclusion_proof", "checkpoint_signature"]
    assert verdict.failed_check == "timestamp"
    assert "imprint" in verdict.message_en


def test_a_timestamp_from_an_untrusted_tsa_fails_the_timestamp_check(kit: Kit, registered: dict[str, Any]) -> None:
    rogue = TimeStampAuthority.generate(policy_oid=TEST_POLICY, serial_source=CounterSerials())
    bundle = fresh(registered)
    data = statements.leaf_data(bundle["statement"])
    token = timestamp_data(data, tsa_timestamper(rogue), trusted_roots=[rogue.root_certificate])
    bundle["timestamp"] = {"token": base64.b64encode(token).decode(), "tsa_chain": []}
    verdict = verification.verify_bundle(bundle, trust=kit.trust)
    assert verdict.failed_check == "timestamp"


def test_timestamp_data_refuses_a_token_from_a_tsa_outside_the_given_roots(kit: Kit) -> None:
    rogue = TimeStampAuthority.generate(policy_oid=TEST_POLICY, serial_source=CounterSerials())
    with pytest.raises(ValueError, match="TSA"):
        timestamp_data(b"data", tsa_timestamper(rogue), trusted_roots=[kit.tsa.root_certificate])


# --- trust file ------------------------------------------------------------------------------


def test_the_trust_file_round_trips_and_still_verifies(kit: Kit, registered: dict[str, Any], tmp_path: Any) -> None:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(kit.trust.to_json()), encoding="utf-8")
    loaded = Trust.load(path)
    assert loaded.origin == kit.trust.origin and loaded.log_keys == kit.trust.log_keys
    assert verification.verify_bundle(registered, trust=loaded).ok


def test_a_trust_file_without_tsa_roots_is_refused(kit: Kit) -> None:
    data = kit.trust.to_json()
    data["tsa_roots"] = []
    with pytest.raises(ValueError, match="TSA"):
        Trust.from_json(data)
