"""No notification stores text in its sender's language: a parameter is a code (shown by its label through the
kind's ``coded``), a number, a date as ISO text or what a person wrote, never a choice's display text, a
gettext result or a date formatted for a locale.

The parameters are read from the source: every call of ``notify`` or of a function that calls it (``tell``,
``_tell_requester``), with the values its arguments were built from in the same function.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
DISPLAY = re.compile(r"^get_\w+_display$")


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.relative_to(PACKAGE).parts or "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _functions(tree: ast.AST) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def senders() -> set[str]:
    """``notify`` and the functions that pass their arguments on to it."""
    names = {"notify"}
    for _path, tree in sources():
        for function in _functions(tree):
            if any(isinstance(n, ast.Call) and _called(n) == "notify" for n in ast.walk(function)):
                names.add(function.name)
    return names


# strftime directives whose text depends on the locale (names of days and months, the locale's own layouts).
LOCALE_DIRECTIVES = re.compile(r"%[aAbBcpxX]")


def _language_bound(expr: ast.AST, built: dict[str, list[ast.AST]], seen: set[str]) -> str:
    """The call that makes ``expr`` text in the current language, or "": followed through ``str()``, ``%``, f-strings,
    joins, containers and the names it was built from; not into other calls' arguments (a label given to a check)."""

    def bound(node: ast.AST) -> str:
        return _language_bound(node, built, seen)

    if isinstance(expr, ast.Call):
        name = _called(expr)
        if DISPLAY.match(name) or name in GETTEXT or name in {"date_format", "localize", "naturalday"}:
            return name
        if name == "strftime":
            pattern = expr.args[0] if expr.args else None
            literal = isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)
            return "" if literal and not LOCALE_DIRECTIVES.search(pattern.value) else name
        inner: list[ast.AST] = [*expr.args, *(k.value for k in expr.keywords)]
        if name in {"format", "join"} and isinstance(expr.func, ast.Attribute):
            inner.append(expr.func.value)
        return next((b for n in inner if (b := bound(n))), "") if name in {"str", "format", "join", "dict"} else ""
    if isinstance(expr, ast.Name):
        if expr.id in seen:
            return ""
        seen.add(expr.id)
        return next((b for n in built.get(expr.id, []) if (b := bound(n))), "")
    if isinstance(expr, ast.FormattedValue):
        return bound(expr.value)
    children: list[ast.AST]
    if isinstance(expr, ast.BinOp):
        children = [expr.left, expr.right]
    elif isinstance(expr, ast.JoinedStr | ast.List | ast.Tuple | ast.Set | ast.BoolOp):
        children = list(getattr(expr, "values", None) or getattr(expr, "elts", []))
    elif isinstance(expr, ast.Dict):
        children = list(expr.values)
    elif isinstance(expr, ast.IfExp):
        children = [expr.body, expr.orelse]
    else:
        children = []
    return next((b for n in children if (b := bound(n))), "")


def sender_display_text(tree: ast.AST, who: set[str]) -> list[tuple[int, str]]:
    """Where a sender's arguments (or what they were built from in the same function) hold language-bound text."""
    found = []
    for function in _functions(tree):
        built: dict[str, list[ast.AST]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    base = target.value if isinstance(target, ast.Subscript) else target
                    if isinstance(base, ast.Name):
                        built.setdefault(base.id, []).append(node.value)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
                if isinstance(node.func.value, ast.Name):
                    built.setdefault(node.func.value.id, []).extend([*node.args, *(k.value for k in node.keywords)])
        for call in (n for n in ast.walk(function) if isinstance(n, ast.Call) and _called(n) in who):
            for value in [*call.args, *(k.value for k in call.keywords)]:
                if name := _language_bound(value, built, set()):
                    found.append((call.lineno, f"{_called(call)}(...) is given {name}(...)"))
    return found


# Reviewed and kept: text that is a record's own content, shown as recorded.
KEPT = {
    # The escalated listing's basis is the facts of the credit record it rests on (ListEntry.basis), stored and
    # shown on the record's pages as written, like a basis a supervisor types.
    "credit/services/escalation.py: propose_listing(...) is given _(...)",
}


def test_no_notification_is_given_display_text_or_a_translated_phrase():
    who = senders()
    assert {"notify", "tell", "_tell_requester"} <= who  # the scan sees the senders it must
    offending = [
        f"{path.relative_to(PACKAGE)}:{line}: {what}"
        for path, tree in sources()
        for line, what in sender_display_text(tree, who)
        if f"{path.relative_to(PACKAGE)}: {what}" not in KEPT
    ]
    assert offending == [], (
        "pass the code (contract.kind, not contract.get_kind_display()) and declare it in the kind's `coded`, "
        "so each reader sees it in their own language:\n" + "\n".join(offending)
    )


def test_the_scan_finds_a_display_text_a_translated_phrase_and_a_locale_date_given_to_a_sender():
    code = """
def send(contract, user, reason):
    params = {"number": contract.number}
    params["when"] = contract.signed_at.strftime("%x")
    notify(recipients=[user], kind="licensing.signed", params=params)
    notify(recipients=[user], kind="licensing.to_sign", params={"kind": str(contract.get_kind_display())})
    tell(contract, [user], "mediation.case_decided", decision=_("已受理") % {}, actor=user)
    why = clean_text(reason, _("理由"))  # a label for the check's message, not the notice's text
    notify(recipients=[user], kind="x.y", params={"on": contract.signed_at.strftime("%Y-%m-%d"), "why": why})
"""
    found = [what for _line, what in sender_display_text(ast.parse(code), {"notify", "tell"})]
    assert sorted(found) == [
        "notify(...) is given get_kind_display(...)",
        "notify(...) is given strftime(...)",
        "tell(...) is given _(...)",
    ]
