from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from artrights.proofs import merkle
from artrights.proofs.merkle import (
    EMPTY_ROOT,
    CompactRange,
    HashNotFoundError,
    MemoryHashStore,
    ProofError,
    StoredHash,
)
from artrights.proofs.tests.vectors import b64, b64_list, list_json, load_json, require, vectors_dir


def _params(folder: str) -> list[object]:
    files = list_json(folder)
    if not files:
        return [pytest.param(None, id="vectors-missing")]
    base = vectors_dir() / folder
    return [pytest.param(f, id=str(f.relative_to(base))) for f in files]


def _load(path: Path | None, folder: str) -> dict[str, Any]:
    if path is None:
        require(folder)
    assert path is not None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _outcome(check: Callable[[], None]) -> ProofError | None:
    try:
        check()
    except ProofError as exc:
        return exc
    return None


def _store_for(leaves: list[bytes]) -> MemoryHashStore:
    store = MemoryHashStore()
    store.write_hashes(CompactRange().append_many(merkle.leaf_hash(d) for d in leaves).stored)
    return store


def _leaves(n: int) -> list[bytes]:
    return [f"entry-{i}".encode() for i in range(n)]


def _naive_mth(hashes: list[bytes]) -> bytes:
    """Straight from the RFC 6962 recursive definition, as an independent oracle."""
    if not hashes:
        return EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return merkle.node_hash(_naive_mth(hashes[:k]), _naive_mth(hashes[k:]))


# --- interoperability vectors (transparency-dev/merkle testdata) ----------------------


@pytest.mark.parametrize("path", _params("merkle/inclusion"))
def test_inclusion_vector_gives_exactly_the_expected_result(path: Path | None) -> None:
    v = _load(path, "merkle/inclusion")
    err = _outcome(
        lambda: merkle.verify_inclusion(
            v["leafIdx"],
            v["treeSize"],
            b64(v["leafHash"]),
            b64_list(v["proof"]),
            b64(v["root"]),
        )
    )
    assert (err is not None) == v["wantErr"], f"{v['desc']}: {err}"


@pytest.mark.parametrize("path", _params("merkle/consistency"))
def test_consistency_vector_gives_exactly_the_expected_result(path: Path | None) -> None:
    v = _load(path, "merkle/consistency")
    err = _outcome(
        lambda: merkle.verify_consistency(
            v["size1"],
            v["size2"],
            b64_list(v["proof"]),
            b64(v["root1"]),
            b64(v["root2"]),
        )
    )
    assert (err is not None) == v["wantErr"], f"{v['desc']}: {err}"


@pytest.mark.parametrize("path", _params("merkle/subtreeinclusion"))
def test_subtree_inclusion_vector_gives_exactly_the_expected_result(path: Path | None) -> None:
    v = _load(path, "merkle/subtreeinclusion")
    err = _outcome(
        lambda: merkle.verify_subtree_inclusion(
            v["leafIdx"],
            v["start"],
            v["end"],
            b64(v["leafHash"]),
            b64_list(v["proof"]),
            b64(v["root"]),
        )
    )
    assert (err is not None) == v["wantErr"], f"{v['desc']}: {err}"


@pytest.mark.parametrize("path", _params("merkle/subtreeconsistency"))
def test_subtree_consistency_vector_gives_exactly_the_expected_result(path: Path | None) -> None:
    v = _load(path, "merkle/subtreeconsistency")
    err = _outcome(
        lambda: merkle.verify_subtree_consistency(
            v["start"],
            v["end"],
            v["size"],
            b64_list(v["proof"]),
            b64(v["root1"]),
            b64(v["root2"]),
        )
    )
    assert (err is not None) == v["wantErr"], f"{v['desc']}: {err}"


def test_the_vector_folders_contain_both_accepting_and_rejecting_cases() -> None:
    for folder in (
        "merkle/inclusion",
        "merkle/consistency",
        "merkle/subtreeinclusion",
        "merkle/subtreeconsistency",
    ):
        require(folder)
        outcomes = {json.loads(p.read_text())["wantErr"] for p in list_json(folder)}
        assert outcomes == {True, False}, folder


def test_happy_path_vectors_are_reproduced_by_our_proof_generator() -> None:
    """Our generator must emit the same hashes the reference implementation did."""
    roots = load_json("roots.json")
    leaves = [bytes.fromhex(h) for h in roots["leaf_inputs_hex"]]
    store = _store_for(leaves)
    checked = 0
    for path in list_json("merkle/inclusion"):
        v = json.loads(path.read_text())
        if v["wantErr"] or v["treeSize"] > len(leaves):
            continue
        assert merkle.inclusion_proof(v["leafIdx"], v["treeSize"], store) == b64_list(v["proof"]), path
        checked += 1
    for path in list_json("merkle/consistency"):
        v = json.loads(path.read_text())
        if v["wantErr"] or not 0 < v["size1"] < v["size2"] <= len(leaves):
            continue
        assert merkle.consistency_proof(v["size1"], v["size2"], store) == b64_list(v["proof"]), path
        checked += 1
    for path in list_json("merkle/subtreeconsistency"):
        v = json.loads(path.read_text())
        if v["wantErr"] or v["size"] > len(leaves) or v["start"] >= v["end"]:
            continue
        if b64(v["root2"]) != bytes.fromhex(roots["root_hashes_hex_by_tree_size"][v["size"]]):
            continue  # built over other leaves
        got = merkle.subtree_consistency_proof(v["start"], v["end"], v["size"], store)
        assert got == b64_list(v["proof"]), path
        checked += 1
    assert checked > 10


def test_roots_vector_matches_for_every_tree_size_from_0_to_8() -> None:
    roots = load_json("roots.json")
    leaves = [bytes.fromhex(h) for h in roots["leaf_inputs_hex"]]
    want = [bytes.fromhex(h) for h in roots["root_hashes_hex_by_tree_size"]]
    assert len(want) == 9
    store = _store_for(leaves)
    for size in range(9):
        hashes = [merkle.leaf_hash(d) for d in leaves[:size]]
        assert merkle.root_from_leaf_hashes(hashes) == want[size], size
        assert merkle.tree_hash(size, store) == want[size], size
        cr = CompactRange()
        cr.append_many(hashes)
        assert cr.root() == want[size], size


# --- hashing -------------------------------------------------------------------------


def test_leaf_and_node_hashes_use_rfc6962_domain_separation() -> None:
    assert merkle.leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    left, right = b"L" * 32, b"R" * 32
    assert merkle.node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert merkle.root_from_leaf_hashes([]) == hashlib.sha256(b"").digest()


def test_root_from_leaf_hashes_agrees_with_the_recursive_definition() -> None:
    for n in range(0, 70):
        hashes = [merkle.leaf_hash(d) for d in _leaves(n)]
        assert merkle.root_from_leaf_hashes(hashes) == _naive_mth(hashes), n


def test_covering_nodes_are_the_maximal_aligned_full_subtrees() -> None:
    assert merkle.covering_nodes(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert merkle.covering_nodes(8, 13) == [(2, 2), (0, 12)]
    assert merkle.covering_nodes(0, 0) == []
    assert merkle.covering_nodes(6, 9) == [(1, 3), (0, 8)]


# --- generated proofs (property style, fixed seeds so failures reproduce) -------------


def test_generated_inclusion_proofs_for_random_sizes_verify() -> None:
    rng = random.Random(6962)
    leaves = _leaves(600)
    store = _store_for(leaves)
    for _ in range(300):
        size = rng.randint(1, len(leaves))
        index = rng.randrange(size)
        root = merkle.tree_hash(size, store)
        assert root == _naive_mth([merkle.leaf_hash(d) for d in leaves[:size]])
        proof = merkle.inclusion_proof(index, size, store)
        merkle.verify_inclusion(index, size, merkle.leaf_hash(leaves[index]), proof, root)


def test_generated_consistency_proofs_for_random_sizes_verify() -> None:
    rng = random.Random(9162)
    store = _store_for(_leaves(600))
    for _ in range(300):
        size2 = rng.randint(1, 600)
        size1 = rng.randint(1, size2)
        proof = merkle.consistency_proof(size1, size2, store)
        merkle.verify_consistency(size1, size2, proof, merkle.tree_hash(size1, store), merkle.tree_hash(size2, store))


def test_every_small_subtree_proof_generated_verifies() -> None:
    leaves = _leaves(40)
    hashes = [merkle.leaf_hash(d) for d in leaves]
    store = _store_for(leaves)
    checked = 0
    for size in range(1, 41):
        root = merkle.tree_hash(size, store)
        for end in range(1, size + 1):
            for start in range(end):
                if start % merkle.bit_ceil(end - start):
                    continue
                sub_root = _naive_mth(hashes[start:end])
                assert merkle.subtree_hash(start, end, store) == sub_root
                proof = merkle.subtree_consistency_proof(start, end, size, store)
                merkle.verify_subtree_consistency(start, end, size, proof, sub_root, root)
                for index in (start, end - 1):
                    p = merkle.subtree_inclusion_proof(index, start, end, store)
                    merkle.verify_subtree_inclusion(index, start, end, hashes[index], p, sub_root)
                checked += 1
    assert checked > 1000


def test_subtree_proof_from_start_zero_is_the_ordinary_consistency_proof() -> None:
    store = _store_for(_leaves(50))
    for size in range(1, 51):
        for end in range(1, size + 1):
            assert merkle.subtree_consistency_proof(0, end, size, store) == (
                merkle.consistency_proof(end, size, store) if end < size else []
            )


def _flip(h: bytes, bit: int) -> bytes:
    return bytes([h[0] ^ (1 << bit)]) + h[1:]


def test_tampering_with_any_inclusion_proof_hash_fails() -> None:
    rng = random.Random(1)
    leaves = _leaves(300)
    store = _store_for(leaves)
    for _ in range(60):
        size = rng.randint(2, 300)
        index = rng.randrange(size)
        root = merkle.tree_hash(size, store)
        leaf = merkle.leaf_hash(leaves[index])
        proof = merkle.inclusion_proof(index, size, store)
        for i in range(len(proof)):
            bad = list(proof)
            bad[i] = _flip(bad[i], rng.randrange(8))
            with pytest.raises(ProofError, match="root mismatch"):
                merkle.verify_inclusion(index, size, leaf, bad, root)
        with pytest.raises(ProofError):
            merkle.verify_inclusion(index, size, _flip(leaf, 0), proof, root)
        with pytest.raises(ProofError):
            merkle.verify_inclusion(index, size, leaf, proof[:-1], root)
        with pytest.raises(ProofError):
            merkle.verify_inclusion(index, size, leaf, [*proof, root], root)


def test_tampering_with_any_consistency_proof_hash_fails() -> None:
    rng = random.Random(2)
    store = _store_for(_leaves(300))
    for _ in range(60):
        size2 = rng.randint(3, 300)
        size1 = rng.randint(1, size2 - 1)
        root1, root2 = merkle.tree_hash(size1, store), merkle.tree_hash(size2, store)
        proof = merkle.consistency_proof(size1, size2, store)
        for i in range(len(proof)):
            bad = list(proof)
            bad[i] = _flip(bad[i], rng.randrange(8))
            with pytest.raises(ProofError, match="mismatch"):
                merkle.verify_consistency(size1, size2, bad, root1, root2)
        with pytest.raises(ProofError):
            merkle.verify_consistency(size1, size2, proof, root2, root1)


def test_tampering_with_any_subtree_consistency_proof_hash_fails() -> None:
    leaves = _leaves(40)
    store = _store_for(leaves)
    hashes = [merkle.leaf_hash(d) for d in leaves]
    for size, start, end in [(14, 8, 13), (14, 4, 8), (40, 16, 24), (37, 32, 35), (13, 0, 6)]:
        root, sub_root = merkle.tree_hash(size, store), _naive_mth(hashes[start:end])
        proof = merkle.subtree_consistency_proof(start, end, size, store)
        assert proof
        for i in range(len(proof)):
            bad = list(proof)
            bad[i] = _flip(bad[i], 3)
            with pytest.raises(ProofError, match=r"mismatch|does not match"):
                merkle.verify_subtree_consistency(start, end, size, bad, sub_root, root)


def test_subtree_consistency_proof_matches_the_draft_example_for_a_tree_of_14() -> None:
    """draft-ietf-plants-merkle-tree-certs, figures 7 and 8: [4,8) and [8,13) in 14 leaves."""
    hashes = [merkle.leaf_hash(d) for d in _leaves(14)]
    store = _store_for(_leaves(14))

    def mth(a: int, b: int) -> bytes:
        return _naive_mth(hashes[a:b])

    assert merkle.subtree_consistency_proof(4, 8, 14, store) == [mth(0, 4), mth(8, 14)]
    assert merkle.subtree_consistency_proof(8, 13, 14, store) == [
        mth(12, 13),
        mth(13, 14),
        mth(8, 12),
        mth(0, 8),
    ]


# --- error messages name the failing check --------------------------------------------


def test_inclusion_proof_with_a_wrong_root_is_rejected() -> None:
    store = _store_for(_leaves(10))
    proof = merkle.inclusion_proof(3, 10, store)
    with pytest.raises(ProofError, match="inclusion proof root mismatch"):
        merkle.verify_inclusion(3, 10, merkle.leaf_hash(b"entry-3"), proof, merkle.tree_hash(9, store))


def test_inclusion_proof_for_an_index_beyond_the_tree_is_rejected() -> None:
    with pytest.raises(ProofError, match="beyond tree size"):
        merkle.verify_inclusion(5, 5, b"\0" * 32, [], b"\0" * 32)


def test_inclusion_proof_with_a_short_hash_is_rejected_by_length_not_by_luck() -> None:
    with pytest.raises(ProofError, match="proof element 0 has length 31"):
        merkle.verify_inclusion(0, 2, b"\0" * 32, [b"\0" * 31], b"\0" * 32)


def test_inclusion_proof_with_too_many_or_too_few_hashes_says_so() -> None:
    with pytest.raises(ProofError, match="too many hashes"):
        merkle.verify_inclusion(0, 2, b"\0" * 32, [b"\0" * 32, b"\0" * 32], b"\0" * 32)
    with pytest.raises(ProofError, match="too few hashes"):
        merkle.verify_inclusion(0, 4, b"\0" * 32, [b"\0" * 32], b"\0" * 32)


def test_consistency_from_an_empty_tree_is_rejected_as_meaningless() -> None:
    with pytest.raises(ProofError, match="empty tree is meaningless"):
        merkle.verify_consistency(0, 3, [], EMPTY_ROOT, EMPTY_ROOT)


def test_sizes_beyond_uint64_are_rejected() -> None:
    with pytest.raises(ProofError, match="not a uint64"):
        merkle.verify_inclusion(0, 1 << 64, b"\0" * 32, [], b"\0" * 32)


def test_proof_generation_outside_the_tree_is_refused() -> None:
    store = _store_for(_leaves(4))
    with pytest.raises(ProofError):
        merkle.inclusion_proof(4, 4, store)
    with pytest.raises(ProofError):
        merkle.consistency_proof(0, 4, store)
    with pytest.raises(ProofError, match="subtree invalid"):
        merkle.subtree_consistency_proof(1, 3, 4, store)


def test_proof_for_a_size_the_store_has_not_reached_reports_the_missing_hash() -> None:
    store = _store_for(_leaves(5))
    with pytest.raises(HashNotFoundError):
        merkle.inclusion_proof(0, 8, store)


# --- appender and store --------------------------------------------------------------


def test_appender_emits_each_completed_subtree_once_and_matches_a_bulk_build() -> None:
    hashes = [merkle.leaf_hash(d) for d in _leaves(1000)]
    result = CompactRange().append_many(hashes)
    ids = [(s.level, s.index) for s in result.stored]
    assert len(ids) == len(set(ids))
    bulk = MemoryHashStore.from_leaf_hashes(b"".join(hashes))
    for level, index, h in result.stored:
        assert bulk.read_hashes([(level, index)]) == [h]
    assert len(result.stored) == sum(1000 >> level for level in range(11))
    assert result.root == merkle.root_from_leaf_hashes(hashes)


def test_appender_resumed_from_the_store_continues_the_same_tree() -> None:
    hashes = [merkle.leaf_hash(d) for d in _leaves(300)]
    store = MemoryHashStore()
    for cut in (0, 1, 77, 128, 255):
        store = MemoryHashStore()
        first = CompactRange().append_many(hashes[:cut])
        store.write_hashes(first.stored)
        resumed = CompactRange.from_reader(cut, store)
        assert resumed.root() == first.root
        second = resumed.append_many(hashes[cut:])
        store.write_hashes(second.stored)
        assert second.root == merkle.root_from_leaf_hashes(hashes)
        assert merkle.tree_hash(300, store) == second.root


def test_appending_one_leaf_touches_only_logarithmically_many_hashes() -> None:
    cr = CompactRange()
    cr.append_many(merkle.leaf_hash(d) for d in _leaves((1 << 12) - 1))
    stored = cr.append(merkle.leaf_hash(b"last"))
    assert [s.level for s in stored] == list(range(13))
    assert stored[-1] == StoredHash(12, 0, cr.root())


def test_stored_hashes_cannot_be_rewritten() -> None:
    store = _store_for(_leaves(4))
    store.write_hashes([StoredHash(0, 1, merkle.leaf_hash(b"entry-1"))])  # identical rewrite is harmless
    with pytest.raises(ValueError, match="refusing to overwrite"):
        store.write_hashes([StoredHash(0, 1, merkle.leaf_hash(b"forged"))])
    with pytest.raises(ValueError, match="gap"):
        store.write_hashes([StoredHash(0, 9, merkle.leaf_hash(b"x"))])


def test_compact_range_rejects_an_edge_that_does_not_fit_the_size() -> None:
    with pytest.raises(ValueError, match="needs 2 edge hashes"):
        CompactRange(3, [b"\0" * 32])


def test_memory_store_is_a_hash_reader() -> None:
    assert isinstance(MemoryHashStore(), merkle.HashReader)
