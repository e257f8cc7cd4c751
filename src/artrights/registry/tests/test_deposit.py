"""The deposit built from an uploaded source tree: unsafe archives refused with the reason, the canonical tree
hash, the pages the rules ask for; and the winnowing fingerprints that compare code (no database)."""

from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from artrights.core.errors import BilingualError
from artrights.registry import deposit, winnowing

from .factories import program_source, script_source, zip_tree

LIMITS = deposit.Limits(max_entries=50, max_bytes=2_000_000)


def tar_gz(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def refused(data: bytes, code: str, limits: deposit.Limits = LIMITS) -> BilingualError:
    with pytest.raises(BilingualError) as caught:
        deposit.read_archive(data, limits=limits)
    assert caught.value.code == code
    assert caught.value.message_zh and caught.value.message_en
    return caught.value


def test_a_zip_and_a_tar_gz_of_the_same_tree_have_the_same_tree_hash():
    tree = {"b/main.py": program_source(1), "a/util.py": "print(1)\n"}
    members = []
    for path, text in tree.items():
        members.append((tarfile.TarInfo(path), text.encode()))
    from_zip = deposit.read_archive(zip_tree(tree), limits=LIMITS)
    from_tar = deposit.read_archive(tar_gz(members), limits=LIMITS)
    assert [f.path for f in from_zip] == ["a/util.py", "b/main.py"]
    assert deposit.tree_hash(from_zip) == deposit.tree_hash(from_tar)


def test_changing_one_byte_of_any_file_changes_the_tree_hash():
    tree = {"main.py": program_source(1), "logo.png": b"\x89PNG\x00\x01"}
    changed = {**tree, "logo.png": b"\x89PNG\x00\x02"}
    assert deposit.tree_hash(deposit.read_archive(zip_tree(tree), limits=LIMITS)) != deposit.tree_hash(
        deposit.read_archive(zip_tree(changed), limits=LIMITS)
    )


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "src/../../x.py", "C:/windows/x.py", "..\\x.py"])
def test_a_path_that_leaves_the_tree_is_refused(path):
    error = refused(zip_tree({path: "x = 1\n"}), "archive_traversal")
    assert "源程序目录之外" in error.message_zh


def test_a_symbolic_link_in_a_tar_is_refused():
    link = tarfile.TarInfo("src/secret.py")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
    refused(tar_gz([(tarfile.TarInfo("src/main.py"), b"x = 1\n"), (link, None)]), "archive_link")


def test_a_symbolic_link_in_a_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("src/link.py")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/shadow")
    refused(buffer.getvalue(), "archive_link")


def test_a_zip_bomb_is_stopped_while_unpacking_whatever_sizes_it_declares():
    bomb = zip_tree({"zeros.py": b"0" * 5_000_000})
    assert len(bomb) < 20_000
    error = refused(bomb, "archive_too_large")
    assert "压缩炸弹" in error.message_zh


def test_too_many_entries_are_refused():
    refused(zip_tree({f"f{i}.py": "x = 1\n" for i in range(51)}), "archive_entries")


def test_a_file_that_is_no_archive_is_refused():
    refused(b"just some text, no archive", "archive_unreadable")


def test_an_archive_of_binaries_only_has_no_source_to_deposit():
    files = deposit.read_archive(zip_tree({"app.exe": b"MZ\x00\x00" * 100, "lib.so": b"\x7fELF\x00"}), limits=LIMITS)
    with pytest.raises(BilingualError) as caught:
        deposit.source_listing(files)
    assert caught.value.code == "no_source"


def test_a_source_under_one_page_is_refused():
    files = deposit.read_archive(zip_tree({"main.py": "\n".join(f"x{i} = {i}" for i in range(40))}), limits=LIMITS)
    with pytest.raises(BilingualError) as caught:
        deposit.paginate(deposit.source_listing(files))
    assert caught.value.code == "deposit_too_short" and "不足一页" in caught.value.message_zh


def test_every_deposited_page_holds_at_least_fifty_lines():
    lines = [deposit.Line("a.py", n, f"x = {n}") for n in range(1, 50 * 70 + 17)]
    built = deposit.paginate(lines)
    assert built.total_pages == 70
    assert built.page_numbers == list(range(1, 31)) + list(range(41, 71))
    assert all(len(page) >= 50 for _n, page in built.pages)


def test_a_short_source_is_deposited_whole():
    lines = [deposit.Line("a.py", n, f"x = {n}") for n in range(1, 50 * 12 + 1)]
    assert deposit.paginate(lines).page_numbers == list(range(1, 13))


def test_the_other_exceptional_deposit_takes_the_first_ten_pages_and_fifty_consecutive_ones():
    lines = [deposit.Line("a.py", n, f"x = {n}") for n in range(1, 50 * 100 + 1)]
    built = deposit.paginate(lines, excerpt_from=31)
    assert built.total_pages == 100 and built.page_numbers == list(range(1, 11)) + list(range(31, 81))


@pytest.mark.parametrize("start", [5, 10, 52, 200])
def test_fifty_pages_that_do_not_fit_after_the_first_ten_are_refused(start):
    lines = [deposit.Line("a.py", n, f"x = {n}") for n in range(1, 50 * 100 + 1)]
    with pytest.raises(BilingualError) as caught:
        deposit.paginate(lines, excerpt_from=start)
    assert caught.value.code == "excerpt_range" and "第 11 页至第 51 页" in caught.value.message_zh


def test_a_source_of_sixty_pages_or_fewer_is_deposited_whole_not_in_excerpt():
    lines = [deposit.Line("a.py", n, f"x = {n}") for n in range(1, 50 * 60 + 1)]
    with pytest.raises(BilingualError) as caught:
        deposit.paginate(lines, excerpt_from=11)
    assert caught.value.code == "excerpt_not_allowed" and "deposited whole" in caught.value.message_en


def test_renaming_and_reformatting_code_keeps_its_fingerprints():
    original = program_source(3)
    disguised = original.replace("total", "acc").replace("value", "v").replace("    ", "\t") + "\n# trailing note\n"
    a = winnowing.fingerprint_sources([original])
    b = winnowing.fingerprint_sources([disguised])
    assert winnowing.compare(a, b).score == 1.0


def test_unrelated_code_shares_almost_no_fingerprints():
    a = winnowing.fingerprint_sources([program_source(3)])
    b = winnowing.fingerprint_sources([script_source(4)])
    assert winnowing.compare(a, b).score < 0.1


def test_a_copied_function_is_found_at_its_lines_in_both_sources():
    theirs = script_source(5)
    block = program_source(6, functions=6)
    mine = "x = 1\n" * 3 + block
    result = winnowing.compare(
        winnowing.fingerprint_sources([mine]), winnowing.fingerprint_sources([script_source(7), block])
    )
    assert result.passages, theirs
    best = result.passages[0]
    assert best.theirs_file == 1 and best.mine_first > 3 and best.theirs_first >= 1


def test_winnowing_guarantees_a_match_of_any_shared_run_of_window_plus_k_minus_one_tokens():
    shared = "alpha ( beta , gamma ) ; " * 2 + "if x > 1 : return y + 2 ; while z : z = z - 1 ;"
    a = winnowing.tokens("foo + bar * baz ; " * 10 + shared)
    b = winnowing.tokens(shared + " qux . quux ( ) ; " * 10)
    assert len(winnowing.tokens(shared)) >= winnowing.K + winnowing.WINDOW - 1
    common = {f.hash for f in winnowing.winnow(a)} & {f.hash for f in winnowing.winnow(b)}
    assert common
