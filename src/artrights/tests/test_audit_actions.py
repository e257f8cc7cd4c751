"""Every action the code writes to the audit log has a label in both languages, read from the code itself: a new
``audit.record("app.verb", ...)`` without a label in its app's ``auditactions.py`` fails here, before a user
sees the bare code on their dashboard."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path
from typing import get_args

import pytest
from django.utils import translation

import artrights
from artrights.core import audit
from artrights.credit.services.lists import EndEntry
from artrights.credit.services.records import EndRecord
from artrights.registry.models import REGISTRATION_FLOW

SRC = Path(artrights.__file__).resolve().parent
AUDIT_MODULE = SRC / "core" / "audit.py"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# The codes built at run time, each from the set of moves its function is given.
DYNAMIC: dict[str, Iterable[str]] = {
    "registry.{action}": REGISTRATION_FLOW.transitions,  # registry.services._common._transition
    "credit.{action}": get_args(EndRecord),  # credit.services.records.end_record
    "credit.{action}_listing": get_args(EndEntry),  # credit.services.lists.end_entry
}


def _is_record_call(node: ast.AST, path: Path) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr == "record" and isinstance(func.value, ast.Name) and func.value.id == "audit"
    return path == AUDIT_MODULE and isinstance(func, ast.Name) and func.id == "record"


def _codes(arg: ast.expr) -> list[str] | None:
    """The codes an action argument can take, or None when the test cannot tell."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.IfExp):
        body, orelse = _codes(arg.body), _codes(arg.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(arg, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}" for v in arg.values]
        template = "".join(str(p) for p in parts)
        if template in DYNAMIC:
            return [template.replace("{action}", move) for move in DYNAMIC[template]]
    return None


def recorded_actions() -> tuple[set[str], list[str]]:
    """Every action code a ``record()`` call in the code can write, and the calls whose code cannot be read."""
    codes: set[str] = set()
    unreadable: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.relative_to(SRC).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not _is_record_call(node, path):
                continue
            assert isinstance(node, ast.Call)
            arg = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "action")
            found = _codes(arg)
            if found is None:
                unreadable.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(arg)}")
            else:
                codes.update(found)
    return codes, unreadable


def test_every_action_the_code_records_has_a_label():
    codes, unreadable = recorded_actions()
    # An action built some other way must be added to DYNAMIC with the moves it can take.
    assert unreadable == []
    assert len(codes) > 100
    assert sorted(codes - audit.declared().keys()) == []


def test_no_label_is_kept_for_an_action_the_code_never_records():
    codes, _ = recorded_actions()
    assert sorted(audit.declared().keys() - codes) == []


def test_every_label_reads_in_chinese_and_in_english():
    for code in audit.declared():
        with translation.override("zh-hans"):
            chinese = audit.action_label(code)
        with translation.override("en"):
            english = audit.action_label(code)
        assert CJK.search(chinese), code
        assert english != chinese and not CJK.search(english), (code, english)


def test_an_action_nobody_declared_reads_as_its_code():
    assert audit.action_label("retired.action") == "retired.action"


def test_an_action_code_is_app_and_verb_in_lower_case():
    for bad in ("Registry.Submit", "registry submit", "registry.", ".submit", "registry.sub-mit"):
        with pytest.raises(ValueError, match="lower case"):
            audit.declare({bad: "x"})
    assert "Registry.Submit" not in audit.declared()


def test_one_action_cannot_get_two_labels():
    label = audit.declared()["registry.submit"]
    with pytest.raises(ValueError, match="declared twice"):
        audit.declare({"registry.submit": "另一个名字"})
    assert audit.declared()["registry.submit"] == label
