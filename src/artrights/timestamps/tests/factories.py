"""Test data for time-stamping: another RFC 3161 authority, served over HTTP on loopback."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from artrights.proofs import rfc3161


def authority(common_name: str = "Outside TSA", policy_oid: str = "2.999.3161.7") -> rfc3161.TimeStampAuthority:
    return rfc3161.TimeStampAuthority.generate(
        policy_oid=policy_oid, serial_source=rfc3161.CounterSerials(), common_name=common_name
    )


@contextmanager
def served(tsa: rfc3161.TimeStampAuthority) -> Iterator[str]:
    """``tsa`` answering RFC 3161 requests at the yielded http://127.0.0.1 URL while the block runs."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = tsa.issue(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
