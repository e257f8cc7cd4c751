"""Upload handlers that stop reading a file the moment it passes the configured limit.

The Content-Length check in `UploadLimitMiddleware` catches honest clients; these catch chunked or lying ones,
so no oversized file reaches memory, a temporary file, or storage.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import (
    MemoryFileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)


class _LimitMixin:
    received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> Any:
        self.received = start + len(raw_data)
        if self.received > settings.ARTRIGHTS_MAX_UPLOAD_BYTES:
            # Views check this flag to tell the user why the file is missing.
            self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)  # type: ignore[misc]


class LimitedMemoryFileUploadHandler(_LimitMixin, MemoryFileUploadHandler):
    pass


class LimitedTemporaryFileUploadHandler(_LimitMixin, TemporaryFileUploadHandler):
    pass
