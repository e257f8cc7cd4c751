from __future__ import annotations

import random

import pytest

from artrights.proofs import merkle, tiles
from artrights.proofs.merkle import CompactRange, HashNotFoundError, MemoryHashStore
from artrights.proofs.tiles import Tile, TileError, TileHashReader


def _store(n: int) -> tuple[MemoryHashStore, list[bytes]]:
    hashes = [merkle.leaf_hash(b"e%d" % i) for i in range(n)]
    return MemoryHashStore.from_leaf_hashes(b"".join(hashes)), hashes


@pytest.mark.parametrize(
    ("n", "encoded"),
    [(0, "000"), (5, "005"), (999, "999"), (1000, "x001/000"), (1234067, "x001/x234/067")],
)
def test_tile_index_is_encoded_in_three_digit_groups_prefixed_with_x(n: int, encoded: str) -> None:
    assert tiles.encode_index(n) == encoded


def test_tile_paths_follow_the_tlog_tiles_layout() -> None:
    assert Tile(0, 1234067).path() == "tile/0/x001/x234/067"
    assert Tile(1, 3, 17).path() == "tile/1/003.p/17"
    assert Tile(Tile.ENTRIES, 1000, 5).path() == "tile/entries/x001/000.p/5"


def test_tile_paths_parse_back_to_the_same_tile() -> None:
    for t in [Tile(0, 0), Tile(2, 1234067, 1), Tile(Tile.ENTRIES, 42, 255), Tile(63, 10**9)]:
        assert tiles.parse_tile_path(t.path()) == t


@pytest.mark.parametrize(
    "path",
    [
        "tile/00/000",  # leading zero in level
        "tile/64/000",  # level out of range
        "tile/0/5",  # index not 3 digits
        "tile/0/001/234",  # missing x prefix
        "tile/0/x000/001",  # redundant leading group
        "tile/0/000.p/256",  # a 256-wide tile is full, not partial
        "tile/0/000.p/0",
        "tile/0/000.p/007",
        "tile/entries/x001",
    ],
)
def test_non_canonical_tile_paths_are_rejected(path: str) -> None:
    with pytest.raises(TileError):
        tiles.parse_tile_path(path)


def test_tiles_for_a_tree_of_70000_match_the_spec_example() -> None:
    got = list(tiles.tiles_for_size(70000))
    level0 = [t for t in got if t.level == 0]
    assert len([t for t in level0 if not t.is_partial]) == 273
    assert [t for t in level0 if t.is_partial] == [Tile(0, 273, 112)]
    assert [t for t in got if t.level == 1] == [Tile(1, 0), Tile(1, 1, 17)]
    assert [t for t in got if t.level == 2] == [Tile(2, 0, 1)]


def test_a_tree_of_256_is_one_full_tile_and_a_partial_level_1_tile() -> None:
    assert list(tiles.tiles_for_size(256)) == [Tile(0, 0), Tile(1, 0, 1)]


def test_new_tiles_lists_exactly_the_tiles_that_changed() -> None:
    for old, new in [
        (0, 1),
        (0, 70000),
        (255, 256),
        (256, 300),
        (1000, 1000),
        (65535, 65536),
        (70000, 140001),
    ]:
        before, after = set(tiles.tiles_for_size(old)), set(tiles.tiles_for_size(new))
        assert set(tiles.new_tiles(old, new)) == after - before, (old, new)


def test_tile_data_holds_the_hashes_of_its_level() -> None:
    store, hashes = _store(70000)
    t = Tile(0, 3)
    data = tiles.read_tile_data(t, store)
    assert data == b"".join(hashes[768:1024])
    level1 = tiles.read_tile_data(Tile(1, 1, 17), store)
    assert level1[:32] == merkle.root_from_leaf_hashes(hashes[65536 : 65536 + 256])


def test_tile_hash_reader_answers_the_same_proofs_as_the_store() -> None:
    rng = random.Random(8)
    store, hashes = _store(70000)
    for size in [1, 255, 256, 257, 65536, 69999, 70000]:
        fetched: list[Tile] = []

        def fetch(t: Tile, fetched: list[Tile] = fetched) -> bytes:
            fetched.append(t)
            return tiles.read_tile_data(t, store)

        reader = TileHashReader(size, fetch)
        root = merkle.tree_hash(size, store)
        assert merkle.tree_hash(size, reader) == root
        for _ in range(20):
            i = rng.randrange(size)
            proof = merkle.inclusion_proof(i, size, reader)
            assert proof == merkle.inclusion_proof(i, size, store)
            merkle.verify_inclusion(i, size, hashes[i], proof, root)
        if size > 1:
            old = rng.randrange(1, size)
            assert merkle.consistency_proof(old, size, reader) == merkle.consistency_proof(old, size, store)
        assert set(fetched) <= set(tiles.tiles_for_size(size))  # only tiles that exist at this size


def test_tile_hash_reader_refuses_nodes_beyond_its_tree_size() -> None:
    store, _ = _store(300)
    reader = TileHashReader(300, lambda t: tiles.read_tile_data(t, store))
    with pytest.raises(HashNotFoundError):
        reader.read_hashes([(2, 75)])  # leaves 300..303


def test_tile_of_the_wrong_length_is_rejected() -> None:
    reader = TileHashReader(10, lambda t: b"\0" * 32 * 9)
    with pytest.raises(TileError, match="has 288 bytes, want 320"):
        reader.read_hashes([(0, 0)])


def test_tampered_tile_makes_the_proof_fail_against_the_signed_root() -> None:
    store, hashes = _store(1000)
    root = merkle.tree_hash(1000, store)

    def fetch(t: Tile) -> bytes:
        data = bytearray(tiles.read_tile_data(t, store))
        if t.level == 0 and t.index == 0:
            data[5 * 32] ^= 1  # corrupt leaf hash 5
        return bytes(data)

    proof = merkle.inclusion_proof(4, 1000, TileHashReader(1000, fetch))
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(4, 1000, hashes[4], proof, root)


def test_entry_bundles_are_uint16_length_prefixed_and_round_trip() -> None:
    entries = [b"", b"a", b"x" * 300, b"\xff" * 0xFFFF]
    data = tiles.encode_entry_bundle(entries)
    assert data[:2] == b"\x00\x00" and data[2:5] == b"\x00\x01a" and data[5:7] == b"\x01\x2c"
    assert tiles.decode_entry_bundle(data, width=4) == entries


def test_truncated_or_oversized_entry_bundles_are_rejected() -> None:
    data = tiles.encode_entry_bundle([b"abc", b"de"])
    with pytest.raises(TileError, match="inside an entry"):
        tiles.decode_entry_bundle(data[:-1])
    with pytest.raises(TileError, match="length prefix"):
        tiles.decode_entry_bundle(data + b"\x00")
    with pytest.raises(TileError, match="want 3"):
        tiles.decode_entry_bundle(data, width=3)
    with pytest.raises(TileError, match="uint16"):
        tiles.encode_entry_bundle([b"x" * 0x10000])


def test_entry_bundle_is_checked_against_its_level_0_tile() -> None:
    entries = [b"e%d" % i for i in range(10)]
    cr = CompactRange()
    store = MemoryHashStore()
    store.write_hashes(cr.append_many(merkle.leaf_hash(e) for e in entries).stored)
    tile = tiles.read_tile_data(Tile(0, 0, 10), store)
    tiles.check_entry_bundle(entries, tile)
    with pytest.raises(TileError, match="entry 3"):
        tiles.check_entry_bundle([*entries[:3], b"forged", *entries[4:]], tile)


def test_entry_bundle_paths_cover_the_level_0_tiles() -> None:
    assert list(tiles.entry_bundles_for_size(513)) == [Tile(-1, 0), Tile(-1, 1), Tile(-1, 2, 1)]
