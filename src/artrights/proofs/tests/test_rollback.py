"""A saved checkpoint against the log now: rollbacks and forks named, checked with transparency-dev's vectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from artrights.core.errors import BilingualError
from artrights.proofs import merkle
from artrights.proofs.note import (
    ALG_COSIGNATURE_V1,
    Checkpoint,
    cosign_note,
    generate_key,
    new_signer,
    new_verifier,
    sign_checkpoint,
)
from artrights.proofs.rollback import check_log_extends, open_saved_checkpoint
from artrights.proofs.tests.vectors import b64, b64_list, list_json, load_json

ORIGIN = "artrights.test/log"
SKEY, VKEY = generate_key(ORIGIN)


def _roots() -> list[bytes]:
    return [bytes.fromhex(h) for h in load_json("roots.json")["root_hashes_hex_by_tree_size"]]


def _store() -> merkle.MemoryHashStore:
    leaves = [bytes.fromhex(h) for h in load_json("roots.json")["leaf_inputs_hex"]]
    store = merkle.MemoryHashStore()
    tree = merkle.CompactRange()
    for leaf in leaves:
        store.write_hashes(tree.append(merkle.leaf_hash(leaf)))
    return store


def _consistency_vectors() -> list[Path]:
    return list_json("merkle/consistency") or [Path("missing")]


@pytest.mark.parametrize("path", _consistency_vectors(), ids=lambda p: "/".join(p.parts[-2:]))
def test_every_consistency_vector_is_accepted_or_refused_as_a_fork_or_rollback(path: Path) -> None:
    if not path.exists():
        pytest.skip("interoperability vectors not found (set ARTRIGHTS_VECTORS)")
    v = json.loads(path.read_text())
    if v["size1"] == 0 or len(b64(v["root1"])) != 32:
        pytest.skip("a saved checkpoint always names a non-empty tree with a 32-byte root")
    saved = Checkpoint(ORIGIN, v["size1"], b64(v["root1"]))
    try:
        check_log_extends(saved, size=v["size2"], root=b64(v["root2"]), proof=b64_list(v["proof"]))
    except BilingualError as exc:
        assert v["wantErr"], f"{v['desc']}: {exc}"
        assert exc.code == ("log_rolled_back" if v["size2"] < v["size1"] else "log_forked")
    else:
        assert not v["wantErr"], v["desc"]


def test_each_tree_of_the_reference_vectors_extends_every_smaller_one() -> None:
    roots, store = _roots(), _store()
    for old in range(1, len(roots)):
        for new in range(old, len(roots)):
            proof = merkle.consistency_proof(old, new, store)
            check_log_extends(Checkpoint(ORIGIN, old, roots[old]), size=new, root=roots[new], proof=proof)


def test_a_smaller_log_is_a_rollback_in_both_languages() -> None:
    roots = _roots()
    with pytest.raises(BilingualError) as err:
        check_log_extends(Checkpoint(ORIGIN, 7, roots[7]), size=5, root=roots[5], proof=[])
    assert err.value.code == "log_rolled_back"
    assert err.value.message_zh == "账本被回滚：保存的检查点有 7 条记录，账本现在只有 5 条。"
    assert err.value.message_en == "The log was rolled back: the saved checkpoint has 7 entries, the log now only 5."


def test_the_same_size_with_another_root_is_a_fork() -> None:
    roots = _roots()
    with pytest.raises(BilingualError) as err:
        check_log_extends(Checkpoint(ORIGIN, 6, roots[6]), size=6, root=roots[5], proof=[])
    assert err.value.code == "log_forked"
    assert "账本分叉" in err.value.message_zh and "The log forked" in err.value.message_en


def test_a_bigger_tree_that_does_not_contain_the_saved_one_is_a_fork() -> None:
    roots, store = _roots(), _store()
    other = bytes(32)  # the root of some other tree of 3 entries
    with pytest.raises(BilingualError) as err:
        check_log_extends(
            Checkpoint(ORIGIN, 3, other), size=8, root=roots[8], proof=merkle.consistency_proof(3, 8, store)
        )
    assert err.value.code == "log_forked"


def test_the_empty_tree_is_extended_by_every_tree() -> None:
    roots = _roots()
    check_log_extends(Checkpoint(ORIGIN, 0, merkle.EMPTY_ROOT), size=8, root=roots[8], proof=[])


# --- reading the saved file ---------------------------------------------------------------------------------------


def _signed(size: int = 8) -> str:
    return sign_checkpoint(Checkpoint(ORIGIN, size, _roots()[size]), [new_signer(SKEY)])


def test_a_saved_checkpoint_signed_by_the_log_is_read_witness_cosignatures_and_all() -> None:
    wkey, _wvkey = generate_key("witness.example/w", ALG_COSIGNATURE_V1)
    cosigned = cosign_note(_signed(), [new_verifier(VKEY)], new_signer(wkey))
    checkpoint = open_saved_checkpoint(cosigned.encode(), log_key=VKEY, origin=ORIGIN)
    assert (checkpoint.size, checkpoint.root_hash) == (8, _roots()[8])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (lambda: _signed().replace("\n8\n", "\n7\n"), "saved_checkpoint_not_signed"),
        (
            lambda: sign_checkpoint(Checkpoint(ORIGIN, 8, _roots()[8]), [new_signer(generate_key(ORIGIN)[0])]),
            "saved_checkpoint_not_signed",
        ),
        (lambda: "other.example/log" + _signed()[len(ORIGIN) :], "saved_checkpoint_wrong_origin"),
        (lambda: _signed().split("\n\n")[0] + "\n", "saved_checkpoint_unreadable"),
        (lambda: b"\xff\xfe not text", "saved_checkpoint_unreadable"),
    ],
    ids=["altered", "another key", "another origin", "no signature", "not utf-8"],
)
def test_a_saved_file_that_is_not_a_checkpoint_of_this_log_is_refused(text, code) -> None:
    with pytest.raises(BilingualError) as err:
        open_saved_checkpoint(text(), log_key=VKEY, origin=ORIGIN)
    assert err.value.code == code
    assert err.value.message_zh and err.value.message_en
