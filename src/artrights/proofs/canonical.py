"""Canonical bytes and salted commitments (no Django).

The public log holds only hashes and salted commitments; names and titles stay in the database and travel to a
relying party only inside the holder's proof bundle, as *openings*.

``commit(value, salt) = hex(SHA-256(salt || RFC 8785 canonical JSON of value))``, with a random salt of at least
16 bytes (32 by default) so that a short value such as a name cannot be found by guessing. An :class:`Opening` is
the ``(value, salt)`` pair that reproduces it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import rfc8785

MIN_SALT_BYTES = 16

JSONValue = str | int | bool | None | list[Any] | dict[str, Any]


def canonical(value: JSONValue) -> bytes:
    """RFC 8785 (JCS) bytes of ``value``: the one serialisation that is hashed or signed."""
    return bytes(rfc8785.dumps(value))


def new_salt() -> bytes:
    return secrets.token_bytes(32)


def commit(value: str | dict[str, Any], salt: bytes) -> str:
    """Hex SHA-256 over ``salt || canonical JSON of value``."""
    if len(salt) < MIN_SALT_BYTES:
        raise ValueError(f"盐值至少 {MIN_SALT_BYTES} 字节 / the salt must be at least {MIN_SALT_BYTES} bytes")
    return hashlib.sha256(salt + canonical(value)).hexdigest()


@dataclass(frozen=True)
class Opening:
    """The value behind a commitment and the salt that hides it."""

    value: str | dict[str, Any]
    salt: bytes

    @classmethod
    def new(cls, value: str | dict[str, Any]) -> Opening:
        return cls(value, new_salt())

    @property
    def commitment(self) -> str:
        return commit(self.value, self.salt)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "salt": self.salt.hex()}

    @classmethod
    def from_json(cls, data: object) -> Opening:
        # "role" may ride along for display; it is checked against the statement's party.
        if not isinstance(data, dict) or not {"value", "salt"} <= set(data) <= {"value", "salt", "role"}:
            raise ValueError("opening must be an object with 'value', 'salt' and optionally 'role'")
        value, salt = data["value"], data["salt"]
        if not isinstance(value, str | dict) or not isinstance(salt, str):
            raise ValueError("opening value must be a string or object and salt a hex string")
        try:
            raw = bytes.fromhex(salt)
        except ValueError:
            raise ValueError("opening salt is not hex") from None
        if len(raw) < MIN_SALT_BYTES or raw.hex() != salt:
            raise ValueError("opening salt is too short or not lowercase hex")
        return cls(value, raw)
