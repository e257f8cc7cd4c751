"""The log over HTTP: a static mirror can audit it from tiles alone; the JSON proofs verify with the pure code."""

import base64

import pytest
import rfc8785

from artrights.ledger import keys, services
from artrights.ledger.tests.factories import append_statements, published_log, statement
from artrights.proofs.merkle import ProofError, leaf_hash, verify_consistency, verify_inclusion
from artrights.proofs.note import new_verifier, open_checkpoint
from artrights.proofs.tiles import TileHashReader, check_entry_bundle, decode_entry_bundle
from artrights.proofs.tlog import make_tlog_proof, verify_tlog_proof

pytestmark = pytest.mark.django_db

SIZE = 600  # two full level-0 tiles, a partial one, and a partial level-1 tile


@pytest.fixture
def grown_log():
    return published_log(SIZE)


def _b64(values):
    return [base64.b64decode(v) for v in values]


def test_a_mirror_with_only_the_public_urls_can_verify_an_entry(client, grown_log):
    """Checkpoint, key and tiles over HTTP; the proof is rebuilt client-side, never asked from the log."""
    vkey = client.get("/log/key").content.decode().strip()
    signed_note = client.get("/log/checkpoint").content.decode()
    checkpoint = open_checkpoint(signed_note, [new_verifier(vkey)], origin=keys.log_origin()).checkpoint
    fetched = []

    def fetch(tile):
        fetched.append(tile.path())
        response = client.get("/log/" + tile.path())
        assert response.status_code == 200, tile.path()
        return response.content

    reader = TileHashReader(checkpoint.size, fetch)
    for index in (0, 255, 256, 511, 599):
        proof = make_tlog_proof(index, signed_note, reader).to_text()
        data = rfc8785.dumps(statement(index))
        assert verify_tlog_proof(proof, origin=keys.log_origin(), log_verifiers=[new_verifier(vkey)], data=data)
    assert "tile/0/002.p/88" in fetched and "tile/1/000.p/2" in fetched


def test_entry_bundles_hold_the_leaf_data_of_their_level_zero_tile(client, grown_log):
    for path, width in (("000", 256), ("002.p/88", 88)):
        bundle = client.get(f"/log/tile/entries/{path}")
        tile = client.get(f"/log/tile/0/{path}")
        assert bundle.status_code == tile.status_code == 200
        entries = decode_entry_bundle(bundle.content, width)
        check_entry_bundle(entries, tile.content)
    first = decode_entry_bundle(client.get("/log/tile/entries/000").content)[0]
    assert first == rfc8785.dumps(statement(0))


def test_full_tiles_are_cached_forever_and_partial_tiles_and_the_checkpoint_are_not(client, grown_log):
    assert "immutable" in client.get("/log/tile/0/001")["Cache-Control"]
    assert "immutable" not in client.get("/log/tile/0/002.p/88")["Cache-Control"]
    checkpoint = client.get("/log/checkpoint")
    assert checkpoint["Content-Type"] == "text/plain; charset=utf-8"
    assert checkpoint["Cache-Control"] == "no-cache"
    assert checkpoint["Access-Control-Allow-Origin"] == "*"


def test_a_narrower_partial_tile_is_a_prefix_of_the_wider_one(client, grown_log):
    narrow = client.get("/log/tile/0/002.p/10").content
    wide = client.get("/log/tile/0/002.p/88").content
    assert len(narrow) == 320 and wide.startswith(narrow)


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/003",  # beyond the tree
        "tile/0/002",  # not full yet
        "tile/0/002.p/89",  # wider than what is published
        "tile/1/000",  # level-1 tile not full
        "tile/entries/002",
        "tile/0/x000/001",  # redundant leading group
        "tile/0/1",  # not three digits
        "tile/0/000.p/256",
        "tile/-1/000",
        "tile/../etc/passwd",
    ],
)
def test_tiles_that_do_not_exist_or_are_malformed_are_404(client, grown_log, path):
    assert client.get("/log/" + path).status_code == 404


def test_entries_appended_after_the_latest_checkpoint_are_not_served_as_tiles_yet(client, grown_log):
    append_statements(768 - SIZE, start=SIZE)
    assert client.get("/log/tile/0/002").status_code == 404
    services.publish_checkpoint()
    assert client.get("/log/tile/0/002").status_code == 200


def test_tiles_and_checkpoint_are_404_before_the_first_checkpoint(client, db):
    assert client.get("/log/checkpoint").status_code == 404
    assert client.get("/log/tile/0/000.p/1").status_code == 404
    assert client.get("/api/log/checkpoint").status_code == 404


def test_the_tile_endpoints_refuse_writes(client, grown_log):
    assert client.post("/log/checkpoint").status_code == 405
    assert client.post("/log/tile/0/000").status_code == 405


def test_api_inclusion_proofs_verify_with_the_pure_verifier(client, grown_log):
    latest = client.get("/api/log/checkpoint").json()
    root = base64.b64decode(latest["root_hash"])
    for index in (0, 17, 599):
        body = client.get(f"/api/log/proofs/inclusion?index={index}").json()
        assert body["size"] == SIZE
        leaf = leaf_hash(rfc8785.dumps(statement(index)))
        assert base64.b64decode(body["leaf_hash"]) == leaf
        verify_inclusion(index, SIZE, leaf, _b64(body["hashes"]), root)
    # A proof at an older size verifies against that size's root only.
    body = client.get("/api/log/proofs/inclusion?index=3&size=100").json()
    with pytest.raises(ProofError):
        verify_inclusion(3, 100, leaf_hash(rfc8785.dumps(statement(3))), _b64(body["hashes"]), root)


def test_api_consistency_proofs_verify_with_the_pure_verifier(client, grown_log):
    old = services.publish_checkpoint()
    append_statements(77, start=SIZE)
    new = services.publish_checkpoint()
    body = client.get(f"/api/log/proofs/consistency?old_size={old.size}").json()
    assert body["new_size"] == new.size == SIZE + 77
    verify_consistency(old.size, new.size, _b64(body["hashes"]), bytes(old.root_hash), bytes(new.root_hash))
    with pytest.raises(ProofError):
        verify_consistency(old.size, new.size, _b64(body["hashes"]), bytes(new.root_hash), bytes(new.root_hash))


def test_the_api_tlog_proof_of_an_entry_verifies_offline(client, grown_log):
    body = client.get("/api/log/entries/42/proof").json()
    assert body["checkpoint_size"] == SIZE
    vkey = client.get("/api/log/key").json()["vkey"]
    verified = verify_tlog_proof(
        body["proof"],
        origin=keys.log_origin(),
        log_verifiers=[new_verifier(vkey)],
        data=rfc8785.dumps(statement(42)),
    )
    assert verified.index == 42
    entry = client.get("/api/log/entries/42").json()
    assert entry["statement"] == statement(42)
    assert entry["kind"] == "test"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/log/proofs/inclusion?index=600", 422),
        ("/api/log/proofs/inclusion?index=-1", 422),
        ("/api/log/proofs/inclusion?index=5&size=5", 422),
        ("/api/log/proofs/inclusion?index=0&size=601", 422),
        ("/api/log/proofs/inclusion?index=abc", 422),
        ("/api/log/proofs/consistency?old_size=0", 422),
        ("/api/log/proofs/consistency?old_size=10&new_size=5", 422),
        ("/api/log/proofs/consistency?old_size=10&new_size=9999", 422),
        ("/api/log/entries/600/proof", 422),
        ("/api/log/entries/9999", 404),
    ],
)
def test_bad_proof_requests_are_refused_with_a_reason(client, grown_log, url, status):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_the_log_pages_need_no_login(client, grown_log):
    for url in ("/log/checkpoint", "/log/key", "/log/tile/0/000", "/api/log/checkpoint", "/api/log/key"):
        assert client.get(url).status_code == 200, url
