"""Signed registry documents without a log entry: what a notice or decision says it is (no Django).

A registry's acceptance receipts, correction notices and refusal decisions are PAdES-signed PDFs like its
certificates, but they record no public statement: nothing is appended to the log and there is no proof bundle.
Each carries instead an embedded ``document.json``, covered by the PDF signature, that tells a verifier what it
is::

    {
      "format": "artrights-document/v1",
      "type": "acceptance_receipt",          # one of DocumentType
      "number": "20261130000001-SL",         # the document's own number
      "issued_on": "2026-11-30",             # ISO date, the registry's time zone
      "issuer": "广东省版权保护联合会",
      "refers_to": "20261130000001"          # the application's flow number
    }

``artrights verify`` reports such a file as "signature valid: <type> <number>, issued <date>" and says that it is
not a registration; it is never reported as a valid registration. Certificates of contract filings and pledges
have a log entry and embed a proof bundle (``certificate.json``) instead, like the registration certificate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

DOCUMENT_FORMAT = "artrights-document/v1"
DOCUMENT_ATTACHMENT = "document.json"


class DocumentType(StrEnum):
    ACCEPTANCE_RECEIPT = "acceptance_receipt"
    CORRECTION_NOTICE = "correction_notice"
    REFUSAL_DECISION = "refusal_decision"
    FILING_REFUSAL_DECISION = "filing_refusal_decision"  # a held digital filing refused
    MEDIATION_REFERRAL = "mediation_referral"  # a failed mediation's materials for the court


# The document's own name (its heading), in Chinese and English.
DOCUMENT_LABELS: dict[str, tuple[str, str]] = {
    DocumentType.ACCEPTANCE_RECEIPT: ("受理通知书", "acceptance receipt"),
    DocumentType.CORRECTION_NOTICE: ("补正通知书", "correction notice"),
    DocumentType.REFUSAL_DECISION: ("不予登记决定书", "decision to refuse registration"),
    DocumentType.FILING_REFUSAL_DECISION: ("不予备案决定书", "decision to refuse filing"),
    DocumentType.MEDIATION_REFERRAL: ("调解不成移送函", "referral of a failed mediation to the court"),
}


@dataclass(frozen=True)
class DocumentInfo:
    type: str
    number: str
    issued_on: dt.date
    issuer: str
    refers_to: str = ""

    @property
    def label_zh(self) -> str:
        return DOCUMENT_LABELS[self.type][0]

    @property
    def label_en(self) -> str:
        return DOCUMENT_LABELS[self.type][1]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": DOCUMENT_FORMAT,
            "type": self.type,
            "number": self.number,
            "issued_on": self.issued_on.isoformat(),
            "issuer": self.issuer,
            "refers_to": self.refers_to,
        }

    @classmethod
    def from_json(cls, data: object) -> DocumentInfo:
        """Raise ``ValueError`` unless ``data`` is a ``document.json`` this verifier knows."""
        if not isinstance(data, Mapping) or data.get("format") != DOCUMENT_FORMAT:
            raise ValueError(f"not an {DOCUMENT_FORMAT} document description")
        if data.get("type") not in DOCUMENT_LABELS:
            raise ValueError(f"unknown document type {data.get('type')!r}")
        for key in ("number", "issued_on", "issuer"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ValueError(f"document {key} must be a non-empty string")
        refers_to = data.get("refers_to", "")
        if not isinstance(refers_to, str):
            raise ValueError("document refers_to must be a string")
        try:
            issued_on = dt.date.fromisoformat(data["issued_on"])
        except ValueError:
            raise ValueError(f"document issued_on {data['issued_on']!r} is not an ISO date") from None
        return cls(str(data["type"]), data["number"], issued_on, data["issuer"], refers_to)
