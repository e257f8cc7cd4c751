"""Code similarity by winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
fingerprinting", SIGMOD 2003), the method behind MOSS.

Framework-free. Source is first reduced to normalised tokens, so that renaming variables, changing literals,
comments, layout or blank lines does not hide a copy: identifiers become ``V``, numbers ``N``, strings ``S``;
keywords and operators stay as they are. Every run of ``k`` consecutive tokens (a k-gram) is hashed; in every
window of ``w`` consecutive hashes the minimum is selected (the rightmost one on ties, counted once while it stays
the minimum: *robust winnowing*). Any shared run of at least ``w + k - 1`` tokens is then guaranteed to share a
fingerprint, and nothing shorter than ``k`` tokens is ever matched.

Each fingerprint keeps the file and line it starts on, so matching fingerprints lead back to the passages of both
sources, which are merged into line ranges to show side by side.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Defaults: a match needs at least 12 tokens (noise threshold) and is guaranteed from 12 + 8 - 1 = 19 tokens.
K = 12
WINDOW = 8

KEYWORDS = frozenset(
    """
    abstract and as assert async auto await bool boolean break byte case catch char class const continue def default
    del delete do double elif else enum except export extends extern false final finally float fn for foreach from
    func function global go goto if impl implements import in inline instanceof int interface is lambda let long
    loop match mod module mut namespace new nil none nonlocal not null or package pass private protected pub public
    raise register return self short signed sizeof static struct super switch synchronized template this throw
    throws trait true try type typedef typename union unsafe unsigned use using var virtual void volatile where
    while with yield
    """.split()
)

_TOKEN = re.compile(
    r"""
    (?P<comment>//[^\n]*|/\*.*?\*/|\#[^\n]*|--[^\n]*)
    |(?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`[^`]*`)
    |(?P<number>\b\d[\w.]*)
    |(?P<word>[A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*)
    |(?P<newline>\n)
    |(?P<space>[ \t\r\f\v]+)
    |(?P<op>.)
    """,
    re.S | re.X,
)


@dataclass(frozen=True)
class Token:
    text: str
    file: int
    line: int  # 1-based line in its file


def tokens(source: str, *, file: int = 0) -> list[Token]:
    """The normalised tokens of ``source`` with the line each starts on."""
    found: list[Token] = []
    line = 1
    for m in _TOKEN.finditer(source):
        kind, text = m.lastgroup, m.group()
        if kind == "word":
            found.append(Token(text if text.lower() in KEYWORDS else "V", file, line))
        elif kind == "number":
            found.append(Token("N", file, line))
        elif kind == "string":
            found.append(Token("S", file, line))
        elif kind == "op":
            found.append(Token(text, file, line))
        line += text.count("\n")
    return found


@dataclass(frozen=True)
class Fingerprint:
    hash: int
    file: int
    line: int  # where the k-gram starts

    def to_json(self) -> list[int]:
        return [self.hash, self.file, self.line]

    @classmethod
    def from_json(cls, data: Sequence[int]) -> Fingerprint:
        return cls(int(data[0]), int(data[1]), int(data[2]))


def _kgram_hash(texts: Sequence[str]) -> int:
    digest = hashlib.blake2b("\x1f".join(texts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1  # 63 bits: fits a signed 64-bit JSON/DB integer


def winnow(toks: Sequence[Token], *, k: int = K, window: int = WINDOW) -> list[Fingerprint]:
    """Robust winnowing of the k-gram hashes of ``toks``: the fingerprints that represent them."""
    if k < 1 or window < 1:
        raise ValueError("k and window must be positive")
    texts = [t.text for t in toks]
    hashes = [(_kgram_hash(texts[i : i + k]), toks[i]) for i in range(len(toks) - k + 1)]
    if not hashes:
        return []
    if len(hashes) < window:  # a short source still gets its minimum
        value, start = min(hashes, key=lambda h: h[0])
        return [Fingerprint(value, start.file, start.line)]
    chosen: list[Fingerprint] = []
    last = -1
    for left in range(len(hashes) - window + 1):
        best = left
        for i in range(left, left + window):
            if hashes[i][0] <= hashes[best][0]:
                best = i  # rightmost minimum
        if best != last:
            value, start = hashes[best]
            chosen.append(Fingerprint(value, start.file, start.line))
            last = best
    return chosen


def fingerprint_sources(sources: Iterable[str], *, k: int = K, window: int = WINDOW) -> list[Fingerprint]:
    """The fingerprints of several files (their positions in ``sources`` are the fingerprints' ``file``)."""
    found: list[Fingerprint] = []
    for index, source in enumerate(sources):
        found += winnow(tokens(source, file=index), k=k, window=window)
    return found


@dataclass(frozen=True)
class Passage:
    """A range of lines in one file of each source whose fingerprints match."""

    mine_file: int
    mine_first: int
    mine_last: int
    theirs_file: int
    theirs_first: int
    theirs_last: int
    shared: int  # how many matching fingerprints the passage holds


@dataclass(frozen=True)
class Comparison:
    score: float  # shared fingerprints / the smaller fingerprint set (1.0: one contains the other)
    shared: int
    passages: list[Passage]


def _partner(a: Fingerprint, candidates: list[Fingerprint], last: Passage | None) -> Fingerprint:
    """Where in the other source ``a``'s code is: the occurrence that continues the passage being built (code that
    repeats matches many places), else the one at the nearest line of the same file."""
    if last is not None and last.mine_file == a.file:
        expected = last.theirs_last + (a.line - last.mine_last)
        return min(candidates, key=lambda b: (b.file != last.theirs_file, abs(b.line - expected)))
    return min(candidates, key=lambda b: (b.file != a.file, abs(b.line - a.line)))


def compare(
    mine: Sequence[Fingerprint], theirs: Sequence[Fingerprint], *, gap: int = 6, max_passages: int = 10
) -> Comparison:
    """How much of ``mine`` and ``theirs`` is the same code, and where (the longest passages first)."""
    mine_hashes, theirs_hashes = {f.hash for f in mine}, {f.hash for f in theirs}
    common = mine_hashes & theirs_hashes
    smaller = min(len(mine_hashes), len(theirs_hashes))
    if not common or not smaller:
        return Comparison(0.0, 0, [])
    where: dict[int, list[Fingerprint]] = {}
    for f in theirs:
        where.setdefault(f.hash, []).append(f)
    passages: list[Passage] = []
    for a in sorted((f for f in mine if f.hash in common), key=lambda f: (f.file, f.line)):
        last = passages[-1] if passages else None
        b = _partner(a, where[a.hash], last)
        if (
            last is not None
            and last.mine_file == a.file
            and last.theirs_file == b.file
            and 0 <= a.line - last.mine_last <= gap
            and -gap <= b.line - last.theirs_last <= gap
        ):
            passages[-1] = Passage(
                a.file,
                last.mine_first,
                max(last.mine_last, a.line),
                b.file,
                min(last.theirs_first, b.line),
                max(last.theirs_last, b.line),
                last.shared + 1,
            )
        else:
            passages.append(Passage(a.file, a.line, a.line, b.file, b.line, b.line, 1))
    passages.sort(key=lambda p: (-p.shared, p.mine_file, p.mine_first))
    return Comparison(len(common) / smaller, len(common), passages[:max_passages])
