"""Upload handlers that stop reading a file the moment it passes the configured limit.

The Content-Length check in `UploadLimitMiddleware` catches honest clients; these catch chunked or lying ones,
so no oversized file reaches memory, a temporary file, or storage.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)


class _LimitMixin(FileUploadHandler):
    received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.received > settings.ARTRIGHTS_MAX_UPLOAD_BYTES:
            # Views check this flag to tell the user why the file is missing. An ad-hoc attribute, read back with
            # getattr; Django hands every upload handler its request, so it is not None here.
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


class LimitedMemoryFileUploadHandler(_LimitMixin, MemoryFileUploadHandler):
    pass


class LimitedTemporaryFileUploadHandler(_LimitMixin, TemporaryFileUploadHandler):
    pass


# A file name on disk is at most 255 bytes on every filesystem we run on; storage adds up to 8 characters when a
# name is taken. Derived names keep well below, whatever the uploader called the original.
MAX_NAME_BYTES = 160


def bounded_name(stem: str, suffix: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``stem + suffix`` as a safe file name of at most ``max_bytes`` UTF-8 bytes: no path separators or control
    characters, the stem cut at a character boundary (a 4-byte CJK character is never split)."""
    cleaned = "".join(c for c in stem if c.isprintable() and c not in '/\\:*?"<>|').strip(" .") or "file"
    budget = max_bytes - len(suffix.encode())
    encoded = cleaned.encode()[: max(budget, 1)]
    return encoded.decode(errors="ignore") + suffix
