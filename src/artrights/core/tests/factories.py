"""Test data for core: parties with valid identifiers, uploaded files and notifications."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from artrights.core.models import Notification, Party, StoredFile
from artrights.core.services import create_party, notify, store_file

# A GB 11643 number with a correct check character (the GB example, 北京市朝阳区).
PERSON = {"kind": "natural", "name": "林画家", "id_type": "resident_id", "id_number": "11010519491231002X"}


def party(**overrides: Any) -> Party:
    """A natural person by default; any field can be overridden."""
    return create_party(**{**PERSON, **overrides})


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_file(*, owner: Any, data: bytes = b"scan of a contract", name: str = "contract.pdf") -> StoredFile:
    return store_file(owner=owner, upload=upload(name, data))


def notification(*, recipient: Any, kind: str = "accounts.token_issued", **params: Any) -> Notification:
    """One notification in ``recipient``'s inbox (a token-issued notice unless ``kind`` says otherwise)."""
    defaults = {"name": "脚本", "prefix": "art_abcdefgh", "scopes": "read"} if kind == "accounts.token_issued" else {}
    (row,) = notify(recipients=[recipient], kind=kind, params={**defaults, **params}, url="/account/tokens/")
    return row
