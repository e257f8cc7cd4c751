"""The log's identity: its origin line and its Ed25519 signed-note key, kept in a 0600 file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from artrights.proofs.note import Ed25519Signer, generate_key, new_signer

DEFAULT_ORIGIN = "artrights.localhost/log"


def log_origin() -> str:
    """The checkpoint origin line (and key name) from ``ARTRIGHTS_LOG_ORIGIN``."""
    return str(getattr(settings, "ARTRIGHTS_LOG_ORIGIN", "") or DEFAULT_ORIGIN)


def log_key_file() -> Path:
    """Where the signer key lives: ``ARTRIGHTS_LOG_KEY_FILE`` or ``DATA_DIR/keys/log.key``."""
    configured = getattr(settings, "ARTRIGHTS_LOG_KEY_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys" / "log.key"


def _create_key_file(path: Path, name: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    skey, _vkey = generate_key(name)
    # O_EXCL: two processes starting at once must not each write (and sign with) a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as fh:
        fh.write(skey + "\n")


@lru_cache(maxsize=8)
def _load_signer(path: str, name: str, mtime_ns: int) -> Ed25519Signer:
    return new_signer(Path(path).read_text().strip())


def log_signer() -> Ed25519Signer:
    """The log's signer, created (0600) on first use if the key file is absent."""
    path = log_key_file()
    if not path.exists():
        _create_key_file(path, log_origin())
    # mtime in the cache key: replacing the file (key rotation) takes effect without a restart.
    return _load_signer(str(path), log_origin(), path.stat().st_mtime_ns)


def log_verifier_key() -> str:
    """The verifier key text (``name+hash+base64``) that clients pin."""
    return log_signer().verifier().vkey()
