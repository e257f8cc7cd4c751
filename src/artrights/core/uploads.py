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
