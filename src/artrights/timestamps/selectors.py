"""Reads for time-stamping: the roots a token must chain to, and the tokens external TSAs gave."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.db.models import QuerySet

from . import keys
from .models import ExternalTimestamp


def trusted_roots() -> list[x509.Certificate]:
    """Roots a token from any configured TSA must chain to: ours plus the operator's external TSA roots."""
    roots = [keys.builtin_tsa().root_certificate]
    for path in settings.ARTRIGHTS_EXTERNAL_TSA_ROOTS:
        roots += x509.load_pem_x509_certificates(Path(path).read_bytes())
    return roots


def external_timestamps(digest: bytes) -> QuerySet[ExternalTimestamp]:
    """The tokens the external TSAs gave over a SHA-256 digest, oldest first."""
    return ExternalTimestamp.objects.filter(digest=digest.hex()).order_by("created_at")
