"""Locate the shared interoperability vectors (never copied into this repository)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest

# tests -> proofs -> artrights -> src -> repo root; the vectors live beside the repo.
_DEFAULT = Path(__file__).resolve().parents[4] / ".." / "shared" / "vectors"


def vectors_dir() -> Path:
    env = os.environ.get("ARTRIGHTS_VECTORS")
    return Path(env) if env else _DEFAULT.resolve()


def require(relative: str) -> Path:
    """Path to a vector file or folder, skipping the test with a clear reason if absent."""
    path = vectors_dir() / relative
    if not path.exists():
        pytest.skip(f"interoperability vectors not found at {path} (set ARTRIGHTS_VECTORS)")
    return path


def load_json(relative: str) -> Any:
    return json.loads(require(relative).read_text(encoding="utf-8"))


def list_json(folder: str) -> list[Path]:
    """All JSON files under a vector folder; empty when the vectors are absent."""
    root = vectors_dir() / folder
    return sorted(root.rglob("*.json")) if root.exists() else []


def b64(value: str) -> bytes:
    return base64.b64decode(value)


def b64_list(values: list[str] | None) -> list[bytes]:
    return [base64.b64decode(v) for v in values or []]
