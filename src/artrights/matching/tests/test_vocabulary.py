"""The visual vocabulary ships as a hash-pinned .npz file of plain arrays."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import pytest

from artrights.matching.vocabulary import (
    VOCABULARY_SHA256,
    VOCABULARY_VERSION,
    VocabularyError,
    get_vocabulary,
    load_vocabulary,
    vocabulary_file,
)


def test_the_shipped_vocabulary_file_has_the_pinned_hash_and_version() -> None:
    path = vocabulary_file()
    assert path.name == f"vocabulary-v{VOCABULARY_VERSION}.npz"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == VOCABULARY_SHA256
    voc = get_vocabulary()
    assert voc.version == VOCABULARY_VERSION
    assert voc.mean.shape == (128,) and voc.pca.shape == (128, 64) and voc.medians.shape == (64,)
    assert voc.codebook_a.shape == voc.codebook_b.shape == (256, 32)
    assert voc.stop_cells.dtype == np.int32 and 0 < len(voc.stop_cells) < 1000


def test_the_vocabulary_file_holds_plain_arrays_that_load_without_pickle() -> None:
    with np.load(vocabulary_file(), allow_pickle=False) as z:
        arrays = {name: z[name] for name in z.files}
    assert set(arrays) == {"mean", "pca", "codebook_a", "codebook_b", "medians", "version", "stop_cells"}
    assert all(a.dtype != object for a in arrays.values())
    voc = get_vocabulary()
    for name in ("mean", "pca", "codebook_a", "codebook_b", "medians", "stop_cells"):
        assert np.array_equal(getattr(voc, name), arrays[name])


def test_writing_the_shipped_vocabulary_again_gives_the_same_bytes() -> None:
    # What the regenerate command writes depends only on the arrays (no time stamps), so a
    # pinned hash identifies a vocabulary, not the moment it was written.
    assert get_vocabulary().to_bytes() == vocabulary_file().read_bytes()


def test_an_altered_vocabulary_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    altered = tmp_path / vocabulary_file().name
    raw = bytearray(vocabulary_file().read_bytes())
    raw[len(raw) // 2] ^= 1
    altered.write_bytes(bytes(raw))
    with pytest.raises(VocabularyError) as err:
        load_vocabulary(altered, sha256=VOCABULARY_SHA256)
    message = str(err.value)
    assert "视觉词表文件已被改动" in message and "the visual vocabulary file was altered" in message
    assert message.index("视觉词表") < message.index("the visual vocabulary")  # Chinese first
    assert str(altered) in message and VOCABULARY_SHA256 in message


def test_a_missing_vocabulary_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    missing = tmp_path / vocabulary_file().name
    with pytest.raises(VocabularyError) as err:
        load_vocabulary(missing, sha256=VOCABULARY_SHA256)
    message = str(err.value)
    assert "视觉词表文件缺失" in message and "the visual vocabulary file is missing" in message
    assert message.index("视觉词表") < message.index("the visual vocabulary")  # Chinese first
    assert str(missing) in message


def test_an_intact_copy_of_the_vocabulary_file_loads_the_same_arrays(tmp_path: Path) -> None:
    copy = tmp_path / "copy.npz"
    shutil.copyfile(vocabulary_file(), copy)
    voc = load_vocabulary(copy, sha256=VOCABULARY_SHA256)
    assert np.array_equal(voc.pca, get_vocabulary().pca) and np.array_equal(voc.stop_cells, get_vocabulary().stop_cells)


def test_the_vocabulary_file_is_declared_as_package_data_so_an_install_ships_it() -> None:
    pyproject = Path(__file__).resolve().parents[4] / "pyproject.toml"
    if not pyproject.is_file():
        pytest.skip("not run from a source tree")
    package_data = tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"]
    patterns = package_data.get("*", []) + package_data.get("artrights.matching", [])
    assert any(fnmatch(vocabulary_file().name, p) for p in patterns)
