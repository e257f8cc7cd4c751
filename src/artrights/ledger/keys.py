"""The log's identity: its origin line and its Ed25519 signed-note key, kept in a 0600 file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from artrights.core.keyfiles import ensure_secret_file
from artrights.proofs.note import Ed25519Signer, generate_key, new_signer


def log_origin() -> str:
    """The checkpoint origin line (and key name), ``ARTRIGHTS_LOG_ORIGIN``."""
    return str(settings.ARTRIGHTS_LOG_ORIGIN)


def log_key_file() -> Path:
    """Where the signer key lives, ``ARTRIGHTS_LOG_KEY_FILE`` (default: the keys folder's ``log.key``)."""
    return Path(settings.ARTRIGHTS_LOG_KEY_FILE)


@lru_cache(maxsize=8)
def _load_signer(path: str, name: str, mtime_ns: int) -> Ed25519Signer:
    return new_signer(Path(path).read_text().strip())


def log_signer() -> Ed25519Signer:
    """The log's signer, created (0600) on first use if the key file is absent."""
    path = log_key_file()
    name = log_origin()
    # Written once with O_EXCL: two processes starting at once must not each sign with a different key.
    ensure_secret_file(path, lambda: f"{generate_key(name)[0]}\n".encode())
    # mtime in the cache key: replacing the file (key rotation) takes effect without a restart.
    return _load_signer(str(path), name, path.stat().st_mtime_ns)


def log_verifier_key() -> str:
    """The verifier key text (``name+hash+base64``) that clients pin."""
    return log_signer().verifier().vkey()
