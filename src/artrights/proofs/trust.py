"""What a relying party trusts: the log (origin and note keys), the TSA roots and the signing roots (no Django).

The trust file that ``artrights verify`` reads, and that the platform serves at ``/verify/trust.json``::

    {"log": {"origin": "...", "keys": ["<note verifier key>"]},
     "tsa_roots": ["-----BEGIN CERTIFICATE-----..."],
     "signing_roots": ["-----BEGIN CERTIFICATE-----..."]}      # optional
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from . import note


def load_pems(items: object, what: str) -> tuple[x509.Certificate, ...]:
    """Certificates from a list of PEM strings; ``ValueError`` naming ``what`` when it is not one."""
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{what} must be a list of PEM strings")
    certs: list[x509.Certificate] = []
    for item in items:
        certs.extend(x509.load_pem_x509_certificates(item.encode()))
    return tuple(certs)


def pem_strings(certs: tuple[x509.Certificate, ...] | list[x509.Certificate]) -> list[str]:
    return [c.public_bytes(Encoding.PEM).decode() for c in certs]


@dataclass(frozen=True)
class Trust:
    """What a relying party trusts: the log (origin + note keys) and the TSA roots.

    ``signing_roots`` are the roots of the platform's document-signing certificates (PAdES on
    the PDF, C2PA on images). When empty, those signatures are checked for integrity only and
    the verdict carries a warning saying the signer was not checked against a root.
    """

    origin: str
    log_keys: tuple[str, ...]
    tsa_roots: tuple[x509.Certificate, ...]
    signing_roots: tuple[x509.Certificate, ...] = ()
    log_verifiers: tuple[note.Ed25519Verifier, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.log_keys:
            raise ValueError("trust needs at least one log key")
        if not self.tsa_roots:
            raise ValueError("trust needs at least one TSA root certificate")
        object.__setattr__(self, "log_verifiers", tuple(note.new_verifier(k) for k in self.log_keys))

    @classmethod
    def from_json(cls, data: object) -> Trust:
        """``{"log": {"origin", "keys": [vkey]}, "tsa_roots": [PEM], "signing_roots": [PEM]?}``."""
        if not isinstance(data, dict) or not isinstance(data.get("log"), dict):
            raise ValueError("trust file needs a 'log' object")
        log = data["log"]
        origin, keys = log.get("origin"), log.get("keys")
        if not isinstance(origin, str) or not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise ValueError("trust log needs an origin string and a list of verifier keys")
        return cls(
            origin=origin,
            log_keys=tuple(keys),
            tsa_roots=load_pems(data.get("tsa_roots"), "tsa_roots"),
            signing_roots=load_pems(data.get("signing_roots", []), "signing_roots"),
        )

    @classmethod
    def load(cls, path: str | Path) -> Trust:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_json(self) -> dict[str, Any]:
        return {
            "log": {"origin": self.origin, "keys": list(self.log_keys)},
            "tsa_roots": pem_strings(self.tsa_roots),
            "signing_roots": pem_strings(self.signing_roots),
        }
