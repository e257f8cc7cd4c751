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
from cryptography.hazmat.primitives.serialization import Encoding

from artrights.proofs import canonical, note, statements, verification
from artrights.proofs.bundle import FORMAT, dump_bundle, openings_file, public_bundle, timestamp_data, tsa_timestamper
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
def issued(kit: Kit, image: bytes) -> tuple[dict[str, Any], statements.Openings]:
    """The public bundle of a registration and the openings of its commitments (kept by the registry)."""
    statement, openings = kit.statement(image=image, iscc="ISCC:EEA4GQZQTY6J5DTH")
    return kit.register(statement, openings), openings


@pytest.fixture(scope="module")
def registered(issued: tuple[dict[str, Any], statements.Openings]) -> dict[str, Any]:
    return issued[0]


@pytest.fixture(scope="module")
def owner_openings(issued: tuple[dict[str, Any], statements.Openings]) -> dict[str, Any]:
    bundle, openings = issued
    return openings_file(bundle["statement"], openings)


@pytest.fixture(scope="module")
def v1_bundle(issued: tuple[dict[str, Any], statements.Openings]) -> dict[str, Any]:
    """The same registration as the platform issued it before 2026-12: the party openings inside the bundle."""
    bundle, openings = issued
    return {**copy.deepcopy(bundle), "format": "artrights-proof/v1", "openings": openings.to_json()}


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
    assert verdict.passed == list(verification.BUNDLE_CHECKS[1:])


# --- privacy: the public bundle names the parties only through commitments --------------------


def test_the_public_bundle_holds_the_title_opening_but_no_party_opening(registered: dict[str, Any]) -> None:
    text = dump_bundle(registered).decode()
    assert registered["format"] == FORMAT == "artrights-proof/v2"
    assert set(registered["openings"]) == {"title"} and "大芬村的清晨" in text
    for private in ("91440300MA5F000000", "深圳市大芬油画艺术有限公司", "USCC", "李明"):
        assert private not in text


def test_a_bundle_without_party_openings_verifies_and_says_the_parties_were_not_opened(
    kit: Kit, registered: dict[str, Any]
) -> None:
    verdict = verification.verify_bundle(registered, trust=kit.trust)
    assert verdict.ok and not verdict.parties_opened
    assert verification.opened_parties(verdict) == []
    assert "当事人仅以承诺值表示（未公开）" in verdict.summary()
    assert "parties named by commitment only (not opened)" in verdict.summary()


def test_the_owners_openings_file_opens_every_party_and_the_verdict_names_them(
    kit: Kit, registered: dict[str, Any], owner_openings: dict[str, Any]
) -> None:
    verdict = verification.verify_bundle(registered, trust=kit.trust, openings=json.dumps(owner_openings))
    assert verdict.ok, verdict.summary()
    assert verdict.passed[-1] == verification.OPENINGS_CHECK and verdict.parties_opened
    assert verification.opened_parties(verdict) == [
        ("owner", {"name": "深圳市大芬油画艺术有限公司", "id_type": "USCC", "id_number": "91440300MA5F000000"}),
        ("author", {"name": "李明", "signature": "李明"}),
    ]
    assert "已核对当事人：著作权人 深圳市大芬油画艺术有限公司（USCC 91440300MA5F000000）" in verdict.summary()


def test_the_openings_file_warns_its_reader_in_both_languages(owner_openings: dict[str, Any]) -> None:
    assert "证件号码" in owner_openings["warning"]["zh"] and "ID number" in owner_openings["warning"]["en"]


def test_an_openings_file_with_a_changed_id_number_is_refused(
    kit: Kit, registered: dict[str, Any], owner_openings: dict[str, Any]
) -> None:
    forged = copy.deepcopy(owner_openings)
    forged["parties"][0]["value"]["id_number"] = "91440300MA5F000001"
    verdict = verification.verify_bundle(registered, trust=kit.trust, openings=forged)
    assert (verdict.ok, verdict.failed_check) == (False, "openings")
    assert verdict.passed == list(verification.BUNDLE_CHECKS[1:])
    assert "第 1 个当事人（owner）与登记的承诺值不符" in verdict.message_zh


def test_an_openings_file_of_another_registration_is_refused(kit: Kit, registered: dict[str, Any]) -> None:
    statement, openings = kit.statement(number="粤作登字-2026-F-00000008")
    verdict = verification.verify_bundle(registered, trust=kit.trust, openings=openings_file(statement, openings))
    assert verdict.failed_check == "openings"
    assert "another statement" in verdict.message_en


def test_an_openings_file_that_leaves_out_a_party_is_refused(
    kit: Kit, registered: dict[str, Any], owner_openings: dict[str, Any]
) -> None:
    partial = {**owner_openings, "parties": owner_openings["parties"][:1]}
    assert verification.verify_bundle(registered, trust=kit.trust, openings=partial).failed_check == "openings"


@pytest.mark.parametrize("bad", [b"not json", b"{}", b'{"format": "artrights-proof/v2"}'])
def test_a_malformed_openings_file_is_refused(kit: Kit, registered: dict[str, Any], bad: bytes) -> None:
    verdict = verification.verify_bundle(registered, trust=kit.trust, openings=bad)
    assert verdict.failed_check == "openings" and "openings file is malformed" in verdict.message_en


def test_a_v1_bundle_with_its_party_openings_still_verifies_and_names_the_parties(
    kit: Kit, v1_bundle: dict[str, Any]
) -> None:
    verdict = verification.verify_bundle(dump_bundle(v1_bundle), trust=kit.trust)
    assert verdict.ok, verdict.summary()
    assert verification.opened_parties(verdict)[1] == ("author", {"name": "李明", "signature": "李明"})


def test_the_public_form_of_a_v1_bundle_drops_the_party_openings_and_still_verifies(
    kit: Kit, v1_bundle: dict[str, Any], owner_openings: dict[str, Any]
) -> None:
    public = public_bundle(v1_bundle)
    assert public["format"] == FORMAT and "parties" not in public["openings"]
    assert "91440300MA5F000000" not in dump_bundle(public).decode()
    assert verification.verify_bundle(public, trust=kit.trust, openings=owner_openings).parties_opened


def test_a_bundle_of_an_unknown_format_is_refused_and_names_the_known_ones(
    kit: Kit, registered: dict[str, Any]
) -> None:
    verdict = verification.verify_bundle({**registered, "format": "artrights-proof/v9"}, trust=kit.trust)
    assert verdict.failed_check == "statement" and "artrights-proof/v1" in verdict.message_en


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


def test_a_changed_party_name_in_a_v1_bundle_fails_the_statement_check(kit: Kit, v1_bundle: dict[str, Any]) -> None:
    bundle = fresh(v1_bundle)
    bundle["openings"]["parties"][0]["value"]["name"] = "别人的公司"
    assert verification.verify_bundle(bundle, trust=kit.trust).failed_check == "statement"


def test_an_opening_labelled_with_another_role_fails_the_statement_check(kit: Kit, v1_bundle: dict[str, Any]) -> None:
    bundle = fresh(v1_bundle)
    bundle["openings"]["parties"][0]["role"] = "author"
    assert verification.verify_bundle(bundle, trust=kit.trust).failed_check == "statement"


def test_an_opening_labelled_with_another_role_fails_the_openings_check(
    kit: Kit, registered: dict[str, Any], owner_openings: dict[str, Any]
) -> None:
    forged = copy.deepcopy(owner_openings)
    forged["parties"][0]["role"] = "author"
    assert verification.verify_bundle(registered, trust=kit.trust, openings=forged).failed_check == "openings"


def test_a_malformed_bundle_fails_the_statement_check(kit: Kit, registered: dict[str, Any]) -> None:
    bundle = fresh(registered)
    del bundle["log"]
    assert verification.verify_bundle(bundle, trust=kit.trust).failed_check == "statement"
    assert verification.verify_bundle(b"not json", trust=kit.trust).failed_check == "statement"


@pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e400", str(2**60)])
def test_a_number_without_a_canonical_form_is_refused_as_malformed_not_raised(
    kit: Kit, registered: dict[str, Any], number: str
) -> None:
    # JSON parsers accept these; RFC 8785 (the form the log hashes) has no form for them.
    text = dump_bundle(registered).decode().replace('"statement": {', f'"statement": {{"version": {number},', 1)
    assert f'"version": {number}' in text
    verdict = verification.verify_bundle(text.encode(), trust=kit.trust)
    assert verdict.failed_check == "statement", verdict.summary()
    # A bundle read from an image's manifest arrives as a dict, past the JSON reader.
    parsed = fresh(registered)
    parsed["statement"]["version"] = float(number) if number != str(2**60) else 2**60
    assert verification.verify_bundle(parsed, trust=kit.trust).failed_check == "statement"


def test_an_openings_file_whose_value_has_no_canonical_form_is_refused(
    kit: Kit, registered: dict[str, Any], owner_openings: dict[str, Any]
) -> None:
    bad = copy.deepcopy(owner_openings)
    bad["parties"][0]["value"]["id_number"] = 2**60
    verdict = verification.verify_bundle(registered, trust=kit.trust, openings=bad)
    assert verdict.failed_check == "openings"


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
    rogue_chain = [c.public_bytes(Encoding.PEM).decode() for c in (rogue.certificate, rogue.root_certificate)]
    bundle["timestamp"] = {"token": base64.b64encode(token).decode(), "tsa_chain": rogue_chain}
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
