"""Verifiable "double random" draws: who is inspected and by whom, re-runnable by anyone (no Django).

A draw is a deterministic function of (algorithm version, pool snapshot, plan, seed). The platform commits to a
random secret before the draw; the seed mixes that secret with a public value that did not exist at commitment
time (a later witness-cosigned log checkpoint, an index close with its source), so nobody can try secrets until
the list suits them. The published :func:`make_record` JSON (``artrights-draw/v1``) holds everything needed to
re-run the draw; :func:`verify_draw` re-runs it and names every difference in Chinese and English.

Only integers and SHA-256 are used (no ``random``, no floating point), so any language can re-implement it.

Byte layout (all hashes SHA-256; ``u32(n)`` is 4 bytes big-endian; ``field(b) = u32(len(b)) || b``):

* pool hash = ``SHA-256(JCS(pool))`` where ``pool`` is the list of targets sorted by ``id``, each target an object
  with exactly the keys of :data:`TARGET_FIELDS` (missing ones ``null``), every value a string or ``null``.
* commitment = ``SHA-256("artrights-draw-commit/v1" || 0x00 || secret)``; the secret is 32 random bytes.
* seed = ``SHA-256(field("artrights-draw-seed/v1") || field(algorithm) || field(secret) || field(utf8(public
  value)) || field(pool hash, 32 raw bytes) || field(utf8(plan id)))``, ``algorithm`` = :data:`ALGORITHM`.
* target key: ``u = first 8 bytes of SHA-256(seed || "T" || utf8(id))`` as a big-endian integer;
  ``key = u * 1000 // weight`` with ``weight`` in per mille (1000, or the plan's ``recent_weight`` when the target
  was last checked fewer than ``recent_window_days`` days before ``reference_date``). This is sequential Poisson
  (order) sampling: a lower weight gives a larger key and so a lower chance of being drawn.
* per stratum, ``k = ceil(ratio * n)`` with the ratio an exact decimal; the ``k`` targets with the smallest
  ``(key, id)`` are drawn. The drawn list is all strata's ids sorted; result hash = ``SHA-256(JCS(list))``.
* inspectors for target ``t``: the qualified inspectors (``qualified`` true and, when the plan names a
  ``specialty``, holding it) sorted by id form list ``Q``; for ``j = 0, 1, ...``:
  ``v = first 8 bytes of SHA-256(seed || "I" || field(utf8(t)) || u32(j))``; reject ``v`` when
  ``v >= floor(2^64 / |Q|) * |Q|`` (no modulo bias), else candidate ``Q[v mod |Q|]``; a candidate already
  seen, with a declared conflict with ``t`` or recused for ``t`` is skipped. The first ``per_target`` candidates
  are assigned; each recusal (in record order) removes its inspector and takes the next candidate for that slot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import operator
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import repeat
from json.encoder import encode_basestring  # the C escaper json.dumps(ensure_ascii=False) uses
from typing import TYPE_CHECKING, Any, cast

from artrights.core.errors import BilingualError

if TYPE_CHECKING:
    import numpy as np

# numpy is imported by the functions that run a draw: `artrights verify` reads every JSON file it is given with
# load_record, and a certificate's bundle needs no numpy.

FORMAT = "artrights-draw/v1"
ALGORITHM = "artrights-draw-alg/1"
COMMIT_TAG = b"artrights-draw-commit/v1\x00"
SEED_TAG = b"artrights-draw-seed/v1"
# In sorted order, so that a row built field by field is already in RFC 8785 key order (see _pool_bytes).
TARGET_FIELDS = ("credit_grade", "id", "last_checked", "pool", "region", "risk_level", "sector", "type")
_FIELD_SET = frozenset(TARGET_FIELDS)
_VALUE_TYPES = frozenset({str, type(None)})
# Directed draws (定向抽查, DOMAIN.md D6) narrow the pool by these fields only.
FILTER_FIELDS = ("sector", "region", "type")
POOLS = ("general", "key")
# DOMAIN.md D9, the Daqing row: the upper end of each band; the key pool is always drawn in full (D11).
DEFAULT_GRADE_RATIOS = {"A": "0.05", "B": "0.20", "C": "0.60", "D": "1"}
KEY_POOL_RATIO = "1"
FULL_WEIGHT = 1000
MIN_INSPECTORS = 2  # DOMAIN.md D7
SECRET_BYTES = 32
_U64 = 1 << 64


class DrawError(BilingualError):
    """A draw or its record refused, with a stable ``code`` (``draw.*``)."""


class PoolChanged(DrawError):
    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(
            "draw.pool_changed",
            f"对象名录在承诺之后发生了变化（承诺时 {expected[:16]}…，现在 {actual[:16]}…），不得抽取",
            f"the pool changed after the commitment (committed {expected[:16]}…, now {actual[:16]}…); no draw",
        )


class RevealMismatch(DrawError):
    def __init__(self) -> None:
        super().__init__(
            "draw.reveal_mismatch",
            "公布的随机秘密与事先公开的承诺值不符",
            "the revealed secret does not match the published commitment",
        )


class TooFewInspectors(DrawError):
    def __init__(self, target: str, available: int, needed: int) -> None:
        super().__init__(
            "draw.too_few_inspectors",
            f"检查对象 {target} 只有 {available} 名合格且无利害关系的检查人员，至少需要 {needed} 名",
            f"target {target} has only {available} qualified inspectors without a conflict; {needed} are needed",
        )


class UnknownStratum(DrawError):
    def __init__(self, stratum: str) -> None:
        super().__init__(
            "draw.unknown_stratum",
            f"抽查比例表中没有分层 {stratum}",
            f"the ratio table has no stratum {stratum}",
        )


class BadDrawInput(DrawError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__("draw.bad_input", zh, en)


# --------------------------------------------------------------------------------------------
# Pool, commitment, seed
# --------------------------------------------------------------------------------------------


def _normalise_rows(pool: Iterable[Mapping[str, Any]]) -> list[dict[str, str | None]]:
    # The plain reading of the rules, row by row: what _columns falls back to, to name the first bad row.
    out: list[dict[str, str | None]] = []
    for target in pool:
        if not target.keys() <= _FIELD_SET:
            extra = sorted(set(target) - _FIELD_SET)
            raise BadDrawInput(f"检查对象含未知字段 {extra}", f"a target has unknown fields {extra}")
        row = {name: target.get(name) for name in TARGET_FIELDS}
        if not {type(v) for v in row.values()} <= _VALUE_TYPES:
            raise BadDrawInput("检查对象的字段值必须是字符串", "target field values must be strings")
        if not row["id"]:
            raise BadDrawInput("检查对象缺少 id", "a target has no id")
        if row["pool"] not in POOLS:
            raise BadDrawInput(
                f"检查对象 {row['id']} 的名录库必须是 general 或 key",
                f"target {row['id']}: pool must be general or key",
            )
        out.append(row)
    out.sort(key=operator.itemgetter("id"))
    if len({row["id"] for row in out}) != len(out):
        twice = next(a["id"] for a, b in itertools.pairwise(out) if a["id"] == b["id"])  # sorted: neighbours
        raise BadDrawInput(f"检查对象 {twice} 重复", f"target {twice} appears twice")
    return out


Columns = dict[str, list[Any]]  # field -> values, one per target, targets sorted by id


def _columns(pool: Iterable[Mapping[str, Any]]) -> Columns:
    """The pool as checked columns sorted by id: the rules of :func:`normalise_pool`, a column at a time.

    A million targets are a million Python objects; checking and hashing them column by column keeps the
    per-target work inside C loops. When any rule fails, the row-by-row reading names the first bad target.
    """
    rows = pool if isinstance(pool, list) else list(pool)
    if not all(map(_FIELD_SET.issuperset, rows)):  # iterating a mapping gives its keys
        _normalise_rows(rows)
    cols = {name: list(map(operator.methodcaller("get", name), rows)) for name in TARGET_FIELDS}
    if (
        not all(set(map(type, col)) <= _VALUE_TYPES for col in cols.values())
        or not all(cols["id"])
        or not set(cols["pool"]) <= set(POOLS)
    ):
        _normalise_rows(rows)
    ids = cols["id"]
    if not all(map(operator.lt, ids, itertools.islice(ids, 1, None))):  # not strictly increasing already
        order = sorted(range(len(ids)), key=ids.__getitem__)
        pick = operator.itemgetter(*order)
        cols = {name: list(pick(col)) if len(order) > 1 else [col[i] for i in order] for name, col in cols.items()}
        ids = cols["id"]
        if not all(map(operator.lt, ids, itertools.islice(ids, 1, None))):
            twice = next(a for a, b in itertools.pairwise(ids) if a == b)
            raise BadDrawInput(f"检查对象 {twice} 重复", f"target {twice} appears twice")
    return cols


def _rows(cols: Columns) -> list[dict[str, str | None]]:
    # map(dict, map(zip, ...)) keeps the per-target loop in C: a million dictionaries in well under a second.
    return list(map(dict, map(zip, repeat(TARGET_FIELDS), zip(*(cols[name] for name in TARGET_FIELDS), strict=True))))


def normalise_pool(pool: Iterable[Mapping[str, Any]]) -> list[dict[str, str | None]]:
    """The pool as hashed: every target with exactly TARGET_FIELDS, strings or null, sorted by id, ids unique."""
    return _rows(_columns(pool))


def _jcs(value: Any) -> bytes:
    # Equal to RFC 8785 for what is hashed here (ASCII keys, string/null values, lists of those): sorted keys,
    # no spaces, UTF-8, and the same short escapes. Python's C encoder keeps a million-target pool fast;
    # test_draw checks it against canonical.canonical.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _pool_bytes(snapshot: list[dict[str, str | None]]) -> bytes:
    # Rows of normalise_pool have their keys in sorted order already; sort_keys would cost seconds on a
    # million targets for nothing.
    return json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")).encode()


# One target of the snapshot's JSON, its keys in TARGET_FIELDS (sorted) order: the bytes _pool_bytes gives.
_ROW_JSON = "{{" + ",".join(f'"{name}":{{}}' for name in TARGET_FIELDS) + "}}"


def _encoded(col: list[str | None]) -> list[str]:
    """Each value as json.dumps(ensure_ascii=False) writes it; repeated values (grades, regions) encoded once."""
    distinct = set(col)
    if len(distinct) * 4 > len(col):
        return ["null" if v is None else encode_basestring(v) for v in col]
    table = {v: "null" if v is None else encode_basestring(v) for v in distinct}
    return list(map(table.__getitem__, col))


def _columns_bytes(cols: Columns) -> bytes:
    """``_pool_bytes(_rows(cols))`` without building a dictionary per target."""
    body = ",".join(map(_ROW_JSON.format, *(_encoded(cols[name]) for name in TARGET_FIELDS)))
    return f"[{body}]".encode()


def _hash_columns(cols: Columns) -> str:
    return hashlib.sha256(_columns_bytes(cols)).hexdigest()


def _hash_snapshot(snapshot: list[dict[str, str | None]]) -> str:
    return hashlib.sha256(_pool_bytes(snapshot)).hexdigest()


def pool_snapshot_hash(pool: Iterable[Mapping[str, Any]]) -> str:
    return _hash_columns(_columns(pool))


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def commitment(secret: bytes) -> str:
    return hashlib.sha256(COMMIT_TAG + secret).hexdigest()


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def derive_seed(secret: bytes, public_value: str, pool_hash: str, plan_id: str, algorithm: str = ALGORITHM) -> bytes:
    parts = (SEED_TAG, algorithm.encode(), secret, public_value.encode(), bytes.fromhex(pool_hash), plan_id.encode())
    return hashlib.sha256(b"".join(_field(p) for p in parts)).digest()


def result_hash(drawn: Sequence[str]) -> str:
    return hashlib.sha256(_jcs(sorted(drawn))).hexdigest()


# --------------------------------------------------------------------------------------------
# Plan and the target draw
# --------------------------------------------------------------------------------------------


def stratum_of(target: Mapping[str, Any]) -> str:
    """``pool/credit grade/risk level``, e.g. ``general/B/2``."""
    return f"{target.get('pool')}/{target.get('credit_grade')}/{target.get('risk_level')}"


def default_ratio_table(pool: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """DOMAIN.md D9 (Daqing) by credit grade, the key pool at 100 %, for every stratum present in ``pool``."""
    table: dict[str, str] = {}
    for target in pool:
        key = stratum_of(target)
        if key in table:
            continue
        if target.get("pool") == "key":
            table[key] = KEY_POOL_RATIO
        elif target.get("credit_grade") in DEFAULT_GRADE_RATIOS:
            table[key] = DEFAULT_GRADE_RATIOS[str(target["credit_grade"])]
        else:
            raise UnknownStratum(key)
    return table


def parse_ratio(text: str) -> Fraction:
    try:
        ratio = Fraction(Decimal(text))
    except (InvalidOperation, ValueError, TypeError):
        raise BadDrawInput(f"抽查比例 {text!r} 不是小数", f"ratio {text!r} is not a decimal") from None
    if not 0 <= ratio <= 1:
        raise BadDrawInput(f"抽查比例 {text} 不在 0 到 1 之间", f"ratio {text} is not between 0 and 1")
    return ratio


def quota(ratio: Fraction, n: int) -> int:
    """``ceil(ratio * n)`` in exact integers."""
    return -((-ratio.numerator * n) // ratio.denominator)


@dataclass(frozen=True)
class DrawPlan:
    plan_id: str
    ratios: dict[str, str]  # stratum -> exact decimal ratio
    reference_date: str  # ISO date the recency window counts back from
    directed: dict[str, list[str]] = field(default_factory=dict)  # field -> allowed values
    recent_window_days: int = 365
    recent_weight: int = 500  # per mille: half the chance for a target checked within the window
    inspectors_per_target: int = MIN_INSPECTORS
    specialty: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.recent_weight <= FULL_WEIGHT:
            raise BadDrawInput("近期检查权重须在 1 到 1000 之间", "recent_weight must be 1..1000 (per mille)")
        if self.inspectors_per_target < MIN_INSPECTORS:
            raise BadDrawInput("每个对象至少抽取 2 名检查人员", "at least 2 inspectors per target")
        if set(self.directed) - set(FILTER_FIELDS):
            raise BadDrawInput(
                f"定向条件只能按 {FILTER_FIELDS} 设定", f"a directed filter may only use {FILTER_FIELDS}"
            )
        for value in self.ratios.values():
            parse_ratio(value)
        dt.date.fromisoformat(self.reference_date)

    def to_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "ratios": dict(sorted(self.ratios.items())),
            "reference_date": self.reference_date,
            "directed": {k: sorted(v) for k, v in sorted(self.directed.items())},
            "recent_window_days": self.recent_window_days,
            "recent_weight": self.recent_weight,
            "inspectors_per_target": self.inspectors_per_target,
            "specialty": self.specialty,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DrawPlan:
        try:
            return cls(
                plan_id=str(data["plan_id"]),
                ratios={str(k): str(v) for k, v in data["ratios"].items()},
                reference_date=str(data["reference_date"]),
                directed={str(k): [str(x) for x in v] for k, v in data.get("directed", {}).items()},
                recent_window_days=int(data["recent_window_days"]),
                recent_weight=int(data["recent_weight"]),
                inspectors_per_target=int(data["inspectors_per_target"]),
                specialty=data.get("specialty"),
            )
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise BadDrawInput(f"抽查计划格式错误：{exc}", f"malformed plan: {exc}") from None

    def recent_window(self) -> tuple[str, str]:
        """ISO dates (first, last) a ``last_checked`` must fall between for the lower weight."""
        reference = dt.date.fromisoformat(self.reference_date)
        first = reference - dt.timedelta(days=self.recent_window_days - 1)
        return first.isoformat(), reference.isoformat()

    def weight(self, target: Mapping[str, Any], window: tuple[str, str] | None = None) -> int:
        """Fewer than ``recent_window_days`` days before the reference date: ``recent_weight``."""
        last = target.get("last_checked")
        if not last:
            return FULL_WEIGHT
        first, reference = window or self.recent_window()
        # ISO dates compare as strings; a million targets need no date parsing.
        return self.recent_weight if first <= last[:10] <= reference else FULL_WEIGHT

    def selects(self, target: Mapping[str, Any]) -> bool:
        return all(target.get(name) in allowed for name, allowed in self.directed.items())


def strata(pool: Sequence[Mapping[str, Any]], plan: DrawPlan) -> dict[str, list[Mapping[str, Any]]]:
    """The plan's (directed) targets grouped by stratum; a stratum missing from the ratio table is refused."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    selected = (t for t in pool if plan.selects(t)) if plan.directed else pool
    for target in selected:
        key = f"{target['pool']}/{target['credit_grade']}/{target['risk_level']}"  # stratum_of, inlined for speed
        group = groups.get(key)
        if group is None:
            groups[key] = group = []
        group.append(target)
    for key in groups:
        if key not in plan.ratios:
            raise UnknownStratum(key)
    return groups


def draw_targets(pool: Sequence[Mapping[str, Any]], plan: DrawPlan, seed: bytes) -> tuple[list[str], dict[str, Any]]:
    """The drawn ids (sorted) and, per stratum, its size, ratio and quota."""
    return _draw_columns(_columns(pool), plan, seed)


def _selected(cols: Columns, plan: DrawPlan) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Which targets a directed plan keeps (all of them for an undirected one)."""
    import numpy as np

    keep = np.ones(len(cols["id"]), dtype=bool)
    for name, allowed in plan.directed.items():
        wanted = set(allowed)
        keep &= np.fromiter(map(wanted.__contains__, cols[name]), dtype=bool, count=len(keep))
    return keep


def _sha_u64(prefix: bytes, items: Iterable[bytes], count: int) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """``first 8 bytes of SHA-256(prefix || item)`` as big-endian integers, one per item."""
    import numpy as np

    digests = b"".join(map(operator.methodcaller("digest"), map(hashlib.sha256, map(prefix.__add__, items))))
    return np.frombuffer(digests, dtype=">u8", count=count * 4).reshape(count, 4)[:, 0].astype(np.uint64)


def _draw_columns(cols: Columns, plan: DrawPlan, seed: bytes) -> tuple[list[str], dict[str, Any]]:
    import numpy as np

    # The module docstring's rule, vectorised: keys from SHA-256 per target, the k smallest (key, id) per stratum.
    # Targets are sorted by id with unique ids, so a target's position orders it as its id does.
    ids = cols["id"]
    keys = list(map("{}/{}/{}".format, cols["pool"], cols["credit_grade"], cols["risk_level"]))
    keep = _selected(cols, plan) if plan.directed else None
    order = list(dict.fromkeys(keys if keep is None else itertools.compress(keys, keep.tolist())))
    for key in order:  # in the order the targets meet them, as strata() refuses
        if key not in plan.ratios:
            raise UnknownStratum(key)
    number = {key: n for n, key in enumerate(sorted(order))}
    codes = np.fromiter(map(number.get, keys, repeat(-1)), dtype=np.int64, count=len(keys))
    if keep is not None:
        codes[~keep] = -1
    first, last_day = plan.recent_window()
    checked = cols["last_checked"]
    recent_of = {v: bool(v) and first <= v[:10] <= last_day for v in set(checked)}
    summary: dict[str, Any] = {}
    chosen: list[np.ndarray[Any, np.dtype[np.intp]]] = []
    prefix = seed + b"T"
    for key, n in number.items():
        members = np.flatnonzero(codes == n)
        k = quota(parse_ratio(plan.ratios[key]), len(members))
        summary[key] = {"size": len(members), "ratio": plan.ratios[key], "drawn": k}
        if k >= len(members):
            chosen.append(members)
            continue
        at = members.tolist()
        u = _sha_u64(prefix, map(str.encode, map(ids.__getitem__, at)), len(at))
        high = np.zeros(len(at), dtype=np.uint64)
        if plan.recent_weight != FULL_WEIGHT:
            lowered = np.fromiter(map(recent_of.__getitem__, map(checked.__getitem__, at)), dtype=bool, count=len(at))
            # key = u * 1000 // weight may pass 2^64: exact Python integers, split into two 64-bit halves.
            weighted = [x * FULL_WEIGHT // plan.recent_weight for x in u[lowered].tolist()]
            high[lowered] = [x >> 64 for x in weighted]
            u[lowered] = [x & (_U64 - 1) for x in weighted]
        ranked = np.lexsort((members, u, high))  # by key, then by id
        chosen.append(members[ranked[:k]])
    picked = np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.intp)
    return [ids[i] for i in picked.tolist()], summary


# --------------------------------------------------------------------------------------------
# Inspectors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recusal:
    """An assigned inspector withdraws (回避) from a target after the draw; the slot is redrawn."""

    target: str
    inspector: str
    reason: str
    replacement: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "inspector": self.inspector,
            "reason": self.reason,
            "replacement": self.replacement,
        }


def qualified_inspectors(inspectors: Sequence[Mapping[str, Any]], plan: DrawPlan) -> list[Mapping[str, Any]]:
    chosen = [
        i
        for i in inspectors
        if i.get("qualified") and (plan.specialty is None or plan.specialty in (i.get("specialties") or []))
    ]
    return sorted(chosen, key=lambda i: str(i["id"]))


class _Candidates:
    """The counter-mode candidate stream for one target (module docstring), skipping those in ``skip``."""

    def __init__(self, seed: bytes, target: str, qualified: Sequence[str]) -> None:
        self.prefix = seed + b"I" + _field(target.encode())
        self.qualified = qualified
        self.limit = (_U64 // len(qualified)) * len(qualified)
        self.j = 0

    def next(self, skip: Callable[[str], bool]) -> str:
        n, sha, prefix = len(self.qualified), hashlib.sha256, self.prefix
        while True:
            v = int.from_bytes(sha(prefix + self.j.to_bytes(4, "big")).digest()[:8], "big")
            self.j += 1
            if v < self.limit:
                candidate = self.qualified[v % n]
                if not skip(candidate):
                    return candidate


def _first_teams(
    drawn: Sequence[str], ids: Sequence[str], seed: bytes, need: int, special: set[str]
) -> list[list[str] | None]:
    """Per target, its team when the stream's first ``need`` values are all usable and distinct (nearly always),
    computed for every target at once; None where the step-by-step stream must decide (a conflict, a recusal,
    a rejected or repeated value)."""
    n = len(ids)
    if n < need or not drawn:
        return [None] * len(drawn)
    import numpy as np

    encoded = list(map(str.encode, drawn))
    prefixes = list(map(b"I".__add__, map(bytes.__add__, [len(e).to_bytes(4, "big") for e in encoded], encoded)))
    limit = (_U64 // n) * n
    ok = np.fromiter(map(special.__contains__, drawn), dtype=bool, count=len(drawn))
    np.logical_not(ok, out=ok)
    picks: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    for j in range(need):
        v = _sha_u64(seed, map(bytes.__add__, prefixes, repeat(j.to_bytes(4, "big"))), len(drawn))
        if limit < _U64:
            ok &= v < np.uint64(limit)
        c = (v % np.uint64(n)).astype(np.int64)
        for earlier in picks:
            ok &= c != earlier
        picks.append(c)
    names = [list(map(ids.__getitem__, c.tolist())) for c in picks]
    teams: list[list[str] | None] = list(map(list, zip(*names, strict=True)))
    for i in np.flatnonzero(~ok).tolist():  # few: conflicts, recusals, a repeated or rejected value
        teams[i] = None
    return teams


def assign_inspectors(
    drawn: Sequence[str],
    inspectors: Sequence[Mapping[str, Any]],
    plan: DrawPlan,
    seed: bytes,
    recusals: Sequence[Recusal] = (),
) -> tuple[dict[str, list[str]], list[Recusal]]:
    """Each drawn target's inspectors, and the recusals with the replacement each one drew."""
    qualified = qualified_inspectors(inspectors, plan)
    ids = [str(i["id"]) for i in qualified]
    conflicts = {str(i["id"]): set(i.get("conflicts") or []) for i in qualified}
    # Per target, the qualified inspectors who declared a conflict with it: counting the available ones
    # must not walk every inspector for every drawn target.
    conflicted: dict[str, set[str]] = {}
    for inspector, declared in conflicts.items():
        for target in declared:
            conflicted.setdefault(target, set()).add(inspector)
    by_target: dict[str, list[Recusal]] = {}
    for r in recusals:
        by_target.setdefault(r.target, []).append(r)
    resolved: list[Recusal] = []
    need = plan.inspectors_per_target
    # In drawn order, each team settled at once where it can be, by the step-by-step stream where not.
    assignments: dict[str, list[str] | None] = dict(
        zip(drawn, _first_teams(drawn, ids, seed, need, set(conflicted) | set(by_target)), strict=True)
    )
    for target in [t for t, team_now in assignments.items() if team_now is None]:
        own = by_target.get(target, [])
        withdrawn = {r.inspector for r in own}
        excluded = conflicted.get(target, set())
        available = len(ids) - len(excluded) - len({i for i in withdrawn if i in conflicts} - excluded)
        if available < need:
            raise TooFewInspectors(target, available, need)
        stream = _Candidates(seed, target, ids)
        # In the team, withdrawn or in conflict: every candidate seen before is one of these, so skipping
        # them is the docstring's "already seen" rule.
        taken = set(excluded)
        team = []
        for _ in range(need):
            team.append(stream.next(taken.__contains__))
            taken.add(team[-1])
        for r in own:
            if r.inspector not in team:
                raise BadDrawInput(
                    f"检查人员 {r.inspector} 未被指派给 {target}，不能回避",
                    f"inspector {r.inspector} is not assigned to {target} and cannot withdraw",
                )
            replacement = stream.next(taken.__contains__)
            taken.add(replacement)
            team[team.index(r.inspector)] = replacement
            resolved.append(Recusal(r.target, r.inspector, r.reason, replacement))
        assignments[target] = team
    unknown = set(by_target) - set(drawn)
    if unknown:
        raise BadDrawInput(
            f"回避记录涉及未抽中的对象 {sorted(unknown)}", f"recusals name undrawn targets {sorted(unknown)}"
        )
    return cast(dict[str, list[str]], assignments), resolved  # every None was replaced above


# --------------------------------------------------------------------------------------------
# Running a draw and its record
# --------------------------------------------------------------------------------------------


def run_draw(
    *,
    plan: DrawPlan,
    pool: Iterable[Mapping[str, Any]],
    inspectors: Sequence[Mapping[str, Any]],
    secret: bytes,
    public_value: str,
    public_source: str,
    committed_pool_hash: str,
    committed_secret: str,
    drawn_at: str | None = None,
    recusals: Sequence[Recusal] = (),
) -> dict[str, Any]:
    """Draw targets and inspectors and return the ``artrights-draw/v1`` record; refuses a changed pool or reveal."""
    cols = _columns(pool)
    pool_hash = _hash_columns(cols)
    if pool_hash != committed_pool_hash:
        raise PoolChanged(committed_pool_hash, pool_hash)
    if commitment(secret) != committed_secret:
        raise RevealMismatch()
    seed = derive_seed(secret, public_value, pool_hash, plan.plan_id)
    drawn, summary = _draw_columns(cols, plan, seed)
    assignments, resolved = assign_inspectors(drawn, inspectors, plan, seed, recusals)
    return {
        "format": FORMAT,
        "algorithm": ALGORITHM,
        "plan": plan.to_json(),
        "pool": _rows(cols),
        "pool_hash": pool_hash,
        "commitment": committed_secret,
        "secret": secret.hex(),
        "public_value": {"value": public_value, "source": public_source},
        "seed": seed.hex(),
        "strata": summary,
        "drawn": drawn,
        "result_hash": result_hash(drawn),
        "inspectors": sorted(({**i} for i in inspectors), key=lambda i: str(i["id"])),
        "assignments": assignments,
        "recusals": [r.to_json() for r in resolved],
        "drawn_at": drawn_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def with_recusals(record: Mapping[str, Any], recusals: Sequence[Recusal]) -> dict[str, Any]:
    """The record after further recusals: only the affected slots change, each redrawn from the same seed."""
    plan = DrawPlan.from_json(record["plan"])
    earlier = [Recusal(r["target"], r["inspector"], r["reason"]) for r in record.get("recusals", [])]
    assignments, resolved = assign_inspectors(
        record["drawn"], record["inspectors"], plan, bytes.fromhex(record["seed"]), [*earlier, *recusals]
    )
    return {**record, "assignments": assignments, "recusals": [r.to_json() for r in resolved]}


# --------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One difference between a record and its re-run."""

    check: str
    message_zh: str
    message_en: str

    def bilingual(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def _ids(items: Iterable[str], limit: int = 20) -> str:
    items = sorted(items)
    shown = ", ".join(items[:limit])
    return shown + (f" …(+{len(items) - limit})" if len(items) > limit else "")


def _diff(check: str, what_zh: str, what_en: str, claimed: Iterable[str], actual: Iterable[str]) -> list[Finding]:
    claimed_set, actual_set = set(claimed), set(actual)
    missing, extra = actual_set - claimed_set, claimed_set - actual_set
    out = []
    if missing:
        out.append(Finding(check, f"{what_zh}缺少应抽中的：{_ids(missing)}", f"{what_en} is missing: {_ids(missing)}"))
    if extra:
        out.append(Finding(check, f"{what_zh}多出未抽中的：{_ids(extra)}", f"{what_en} has extra: {_ids(extra)}"))
    return out


def _check_inputs(record: Mapping[str, Any]) -> tuple[list[Finding], Columns, str, bytes]:
    findings: list[Finding] = []
    cols = _columns(record["pool"])
    pool_hash = _hash_columns(cols)
    if pool_hash != record["pool_hash"]:
        findings.append(
            Finding(
                "pool_hash", "对象名录与记录的名录哈希不符（名录被改动）", "the pool does not match its recorded hash"
            )
        )
    secret = bytes.fromhex(record["secret"])
    if commitment(secret) != record["commitment"]:
        findings.append(Finding("commitment", RevealMismatch().message_zh, RevealMismatch().message_en))
    if record["algorithm"] != ALGORITHM:
        raise BadDrawInput(f"不支持的抽取算法 {record['algorithm']}", f"unsupported algorithm {record['algorithm']}")
    public = record["public_value"]
    seed = derive_seed(secret, str(public["value"]), record["pool_hash"], str(record["plan"]["plan_id"]))
    if seed.hex() != record["seed"]:
        findings.append(Finding("seed", "随机种子与公开的输入不符", "the seed does not follow from its public inputs"))
    return findings, cols, pool_hash, seed


def _check_assignments(record: Mapping[str, Any], plan: DrawPlan, drawn: list[str], seed: bytes) -> list[Finding]:
    findings: list[Finding] = []
    conflicts = {str(i["id"]): set(i.get("conflicts") or []) for i in record["inspectors"]}
    claimed: Mapping[str, list[str]] = record["assignments"]
    # Only declared conflicts can be broken: look them up rather than walk every team.
    broken = sorted(
        (target, position, inspector)
        for inspector, declared in conflicts.items()
        for target in declared
        for position, member in enumerate(claimed.get(target) or ())
        if member == inspector
    )
    for target, _position, inspector in broken:
        findings.append(
            Finding(
                "conflict",
                f"检查人员 {inspector} 与对象 {target} 有利害关系，却被指派",
                f"inspector {inspector} has a declared conflict with {target} but is assigned",
            )
        )
    recusals = [Recusal(r["target"], r["inspector"], r["reason"]) for r in record.get("recusals", [])]
    try:
        expected, resolved = assign_inspectors(drawn, record["inspectors"], plan, seed, recusals)
    except DrawError as exc:
        return [*findings, Finding("assignment", exc.message_zh, exc.message_en)]
    if [r.to_json() for r in resolved] != list(record.get("recusals", [])):
        findings.append(Finding("recusal", "回避后的补抽人员与重新计算的不符", "a recusal's replacement differs"))
    if expected == claimed:  # the usual case, compared in C; else each target in turn, in any order
        return findings
    for target in sorted(set(expected) | set(claimed)):
        got, want = claimed.get(target, []), expected.get(target, [])
        if sorted(got) != sorted(want):
            findings.append(
                Finding(
                    "assignment",
                    f"对象 {target} 的检查人员应为 {', '.join(want) or '无'}，记录为 {', '.join(got) or '无'}",
                    f"target {target} should have inspectors {', '.join(want) or 'none'}, "
                    f"the record says {', '.join(got) or 'none'}",
                )
            )
    return findings


def verify_draw(record: Mapping[str, Any]) -> list[Finding]:
    """Re-run the draw a record describes; an empty list means it is exactly what the inputs give."""
    try:
        if record.get("format") != FORMAT:
            raise BadDrawInput(f"不是 {FORMAT} 抽取记录", f"not an {FORMAT} draw record")
        findings, cols, _, seed = _check_inputs(record)
        plan = DrawPlan.from_json(record["plan"])
        drawn, summary = _draw_columns(cols, plan, seed)
        findings += _diff("drawn", "抽中名单", "the drawn list", record["drawn"], drawn)
        if summary != record.get("strata"):
            findings.append(Finding("strata", "各层抽取数量与记录不符", "the per-stratum counts differ"))
        if result_hash(record["drawn"]) != record["result_hash"]:
            findings.append(Finding("result_hash", "结果哈希与名单不符", "the result hash does not match the list"))
        findings += _check_assignments(record, plan, drawn, seed)
    except DrawError as exc:
        return [Finding(exc.code, exc.message_zh, exc.message_en)]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return [Finding("draw.bad_input", f"抽取记录格式错误：{exc!r}", f"malformed draw record: {exc!r}")]
    return findings


def load_record(data: bytes) -> dict[str, Any] | None:
    """The draw record in ``data``, or None when it is not one (another kind of JSON file)."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):  # not JSON, or nested past the interpreter's limit:
        return None  # the proof-bundle reader that comes next says which, in both languages
    return value if isinstance(value, dict) and value.get("format") == FORMAT else None
