"""Is the log still the one a saved checkpoint saw? Rollback and fork detection (no Django).

Anyone can keep a checkpoint the log signed (a witness keeps each one it cosigns; a registrant may keep the one
in their certificate's proof). Later, the log must be at least as big, and the tree the checkpoint names must be
a prefix of the current one (RFC 9162 §2.1.4 consistency proof). A smaller log is a rollback; a log of the same
size with another root, or one that does not contain the saved tree, is a fork: in both cases the log rewrote
what it had already signed.
"""

from __future__ import annotations

from collections.abc import Sequence

from artrights.core.errors import BilingualError

from .merkle import EMPTY_ROOT, ProofError, verify_consistency
from .note import (
    Checkpoint,
    InvalidSignatureError,
    NoteError,
    UnverifiedNoteError,
    new_verifier,
    open_checkpoint,
)


def open_saved_checkpoint(text: str | bytes, *, log_key: str, origin: str) -> Checkpoint:
    """The checkpoint in a saved file, after checking its origin and the log's signature on it."""
    try:
        first_line = (text.decode("utf-8") if isinstance(text, bytes) else text).split("\n", 1)[0]
    except UnicodeError as exc:
        raise _unreadable(exc) from None
    if first_line != origin:
        # Said before the signature: another log's checkpoint is, naturally, not signed by this log's key.
        raise BilingualError(
            "saved_checkpoint_wrong_origin",
            f"保存的检查点来自另一个账本（{first_line[:100]!r}），不是 {origin}。",
            f"The saved checkpoint is from another log ({first_line[:100]!r}), not {origin}.",
        )
    try:
        return open_checkpoint(text, [new_verifier(log_key)], origin=origin).checkpoint
    except (UnverifiedNoteError, InvalidSignatureError) as exc:
        raise BilingualError(
            "saved_checkpoint_not_signed",
            f"保存的检查点没有本账本密钥的有效签名（{exc}）。",
            f"The saved checkpoint carries no valid signature by this log's key ({exc}).",
        ) from None
    except (NoteError, ValueError) as exc:
        raise _unreadable(exc) from None


def _unreadable(exc: Exception) -> BilingualError:
    return BilingualError(
        "saved_checkpoint_unreadable",
        f"保存的检查点不是有效的签名检查点：{exc}",
        f"The saved checkpoint is not a valid signed checkpoint: {exc}",
    )


def check_log_extends(saved: Checkpoint, *, size: int, root: bytes, proof: Sequence[bytes]) -> None:
    """Raise unless the tree ``(size, root)`` extends ``saved``; ``proof`` is the consistency proof between them."""
    if size < saved.size:
        raise BilingualError(
            "log_rolled_back",
            f"账本被回滚：保存的检查点有 {saved.size} 条记录，账本现在只有 {size} 条。",
            f"The log was rolled back: the saved checkpoint has {saved.size} entries, the log now only {size}.",
        )
    if saved.size == 0:
        if saved.root_hash != EMPTY_ROOT:
            raise _forked(saved, size, "an empty tree with a non-empty root")
        return  # every tree extends the empty one
    try:
        verify_consistency(saved.size, size, proof, saved.root_hash, root)
    except ProofError as exc:
        raise _forked(saved, size, str(exc)) from None


def _forked(saved: Checkpoint, size: int, detail: str) -> BilingualError:
    return BilingualError(
        "log_forked",
        f"账本分叉：现在的账本（{size} 条记录）不包含保存的检查点（{saved.size} 条记录）所签的那棵树（{detail}）。",
        f"The log forked: the current log ({size} entries) does not contain the tree the saved checkpoint "
        f"({saved.size} entries) signed ({detail}).",
    )
