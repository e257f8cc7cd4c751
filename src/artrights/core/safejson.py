"""JSON from strangers, read with a bound on nesting (framework-free).

Python's ``json`` recurses once per nested array or object: a few thousand ``[`` end in a ``RecursionError`` (an
HTTP 500, a traceback in a terminal) long before any size limit. Nothing this platform reads nests deeper than a
handful of levels (a proof bundle is the deepest, at about six), so the depth is counted first, in one pass that
skips string contents, and anything deeper is refused with a :class:`BilingualError`.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import BilingualError

MAX_DEPTH = 32


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text`` (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses input nested deeper than ``max_depth`` or not JSON at all, bilingually."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    except UnicodeDecodeError:
        raise BilingualError("json_invalid", "不是 UTF-8 编码的 JSON。", "This is not UTF-8 encoded JSON.") from None
    if nesting_depth(text) > max_depth:
        raise BilingualError(
            "json_too_deep",
            f"JSON 嵌套层数超过 {max_depth} 层，不予处理。",
            f"The JSON nests deeper than {max_depth} levels and is refused.",
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BilingualError(
            "json_invalid", f"不是有效的 JSON：{str(exc)[:200]}", f"This is not valid JSON: {str(exc)[:200]}"
        ) from None
