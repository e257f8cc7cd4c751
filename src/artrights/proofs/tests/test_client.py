"""The external-TSA client against the built-in TSA served by http.server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from artrights.proofs.rfc3161 import (
    MessageImprint,
    TimeStampAuthority,
    TimestampClientError,
    TimestampError,
    fetch_timestamp,
    parse_request,
)
from artrights.proofs.tests.rfc3161_support import TEST_POLICY

ARTWORK = b"an artwork to register" * 100

# (request body) -> (HTTP status, content type, body)
Behaviour = Callable[[bytes], tuple[int, str, bytes]]


@dataclass
class LocalTSA:
    url: str
    tsa: TimeStampAuthority
    behaviour: Behaviour
    send_length: bool = True
    seen: list[tuple[str, bytes]] = field(default_factory=list)


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # The client hangs up on purpose in the size-limit and timeout tests.
        pass


@pytest.fixture
def local_tsa(ecdsa_tsa: TimeStampAuthority) -> Iterator[LocalTSA]:
    def answer(body: bytes) -> tuple[int, str, bytes]:
        return 200, "application/timestamp-reply", ecdsa_tsa.issue(body)

    state = LocalTSA(url="", tsa=ecdsa_tsa, behaviour=answer)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.seen.append((self.headers.get("Content-Type", ""), body))
            status, content_type, reply = state.behaviour(body)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if state.send_length:
                # Without it the HTTP/1.0 reply simply ends when the connection closes.
                self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    server = _QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_fetch_timestamp_returns_a_verified_token_from_the_local_tsa(local_tsa: LocalTSA) -> None:
    result = fetch_timestamp(
        local_tsa.url, data=ARTWORK, hash_alg="sha384", trusted_roots=[local_tsa.tsa.root_certificate]
    )

    content_type, body = local_tsa.seen[0]
    request = parse_request(body)
    assert content_type == "application/timestamp-query"
    assert request.imprint == MessageImprint.of(ARTWORK, "sha384")
    assert request.cert_req is True
    assert result.verified.nonce == request.nonce is not None
    assert result.verified.message_digest == hashlib.sha384(ARTWORK).digest()
    assert result.verified.policy == TEST_POLICY
    assert result.token == result.verified.token
    assert result.response.endswith(result.token)


def test_fetch_timestamp_accepts_a_digest_instead_of_the_data(local_tsa: LocalTSA) -> None:
    digest = hashlib.sha256(ARTWORK).digest()

    result = fetch_timestamp(local_tsa.url, digest=digest, trusted_roots=[local_tsa.tsa.root_certificate])

    assert result.verified.message_digest == digest


def test_a_requested_policy_is_sent_and_enforced(local_tsa: LocalTSA) -> None:
    result = fetch_timestamp(
        local_tsa.url, data=ARTWORK, policy=TEST_POLICY, trusted_roots=[local_tsa.tsa.root_certificate]
    )
    assert parse_request(local_tsa.seen[0][1]).policy == TEST_POLICY
    assert result.verified.policy == TEST_POLICY

    with pytest.raises(TimestampError) as caught:
        fetch_timestamp(local_tsa.url, data=ARTWORK, policy="2.999.77", trusted_roots=[local_tsa.tsa.root_certificate])
    assert caught.value.check == "status"
    assert "unaccepted_policy" in str(caught.value)


def test_a_replayed_response_fails_the_nonce_check(local_tsa: LocalTSA) -> None:
    old = fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[local_tsa.tsa.root_certificate])
    local_tsa.behaviour = lambda body: (200, "application/timestamp-reply", old.response)

    with pytest.raises(TimestampError) as caught:
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[local_tsa.tsa.root_certificate])

    assert caught.value.check == "nonce"


def test_a_token_for_other_data_fails_the_imprint_check(local_tsa: LocalTSA) -> None:
    tsa = local_tsa.tsa
    local_tsa.behaviour = lambda body: (
        200,
        "application/timestamp-reply",
        tsa.issue(MessageImprint.of(b"something else")),
    )

    with pytest.raises(TimestampError) as caught:
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[tsa.root_certificate])

    assert caught.value.check == "imprint"


def test_a_tsa_outside_the_trusted_roots_fails_the_chain_check(
    local_tsa: LocalTSA, rsa_tsa: TimeStampAuthority
) -> None:
    with pytest.raises(TimestampError) as caught:
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[rsa_tsa.root_certificate])

    assert caught.value.check == "chain"


def test_a_reply_larger_than_the_limit_is_refused(local_tsa: LocalTSA) -> None:
    with pytest.raises(TimestampClientError, match="exceeds 100"):
        fetch_timestamp(
            local_tsa.url,
            data=ARTWORK,
            trusted_roots=[local_tsa.tsa.root_certificate],
            max_response_bytes=100,
        )


def test_a_reply_without_content_length_is_still_capped(local_tsa: LocalTSA) -> None:
    local_tsa.send_length = False
    local_tsa.behaviour = lambda body: (200, "application/timestamp-reply", b"\x30" * 5000)

    with pytest.raises(TimestampClientError, match="exceeds 4096"):
        fetch_timestamp(
            local_tsa.url,
            data=ARTWORK,
            trusted_roots=[local_tsa.tsa.root_certificate],
            max_response_bytes=4096,
        )


def test_a_reply_without_content_length_within_the_limit_is_verified(local_tsa: LocalTSA) -> None:
    local_tsa.send_length = False

    result = fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[local_tsa.tsa.root_certificate])

    assert result.verified.message_digest == hashlib.sha256(ARTWORK).digest()


def test_a_reply_with_the_wrong_content_type_is_refused(local_tsa: LocalTSA) -> None:
    tsa = local_tsa.tsa
    local_tsa.behaviour = lambda body: (200, "text/html", tsa.issue(body))

    with pytest.raises(TimestampClientError, match="text/html"):
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[tsa.root_certificate])


def test_an_http_error_status_becomes_a_client_error(local_tsa: LocalTSA) -> None:
    local_tsa.behaviour = lambda body: (503, "text/plain", b"maintenance")

    with pytest.raises(TimestampClientError, match="HTTP 503"):
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[local_tsa.tsa.root_certificate])


def test_a_redirect_is_not_followed(local_tsa: LocalTSA) -> None:
    local_tsa.behaviour = lambda body: (302, "text/plain", b"")

    with pytest.raises(TimestampClientError, match="HTTP 302"):
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[local_tsa.tsa.root_certificate])
    assert len(local_tsa.seen) == 1


def test_a_tsa_that_answers_too_slowly_times_out(local_tsa: LocalTSA) -> None:
    tsa = local_tsa.tsa

    def slow(body: bytes) -> tuple[int, str, bytes]:
        time.sleep(1.0)
        return 200, "application/timestamp-reply", tsa.issue(body)

    local_tsa.behaviour = slow
    started = time.monotonic()

    with pytest.raises(TimestampClientError, match="unreachable"):
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[tsa.root_certificate], timeout=0.2)

    assert time.monotonic() - started < 0.9


def test_an_unreachable_tsa_is_a_client_error(ecdsa_tsa: TimeStampAuthority) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port was free a moment ago and nothing listens on it now.

    with pytest.raises(TimestampClientError, match="unreachable"):
        fetch_timestamp(f"http://127.0.0.1:{port}/tsa", data=ARTWORK, trusted_roots=[ecdsa_tsa.root_certificate])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/tsa", "/relative/tsa"])
def test_only_http_and_https_urls_are_accepted(url: str, ecdsa_tsa: TimeStampAuthority) -> None:
    with pytest.raises(ValueError, match="http or https"):
        fetch_timestamp(url, data=ARTWORK, trusted_roots=[ecdsa_tsa.root_certificate])


def test_garbage_from_the_tsa_fails_the_format_check(local_tsa: LocalTSA) -> None:
    local_tsa.behaviour = lambda body: (200, "application/timestamp-reply", b"<html>oops</html>")

    with pytest.raises(TimestampError) as caught:
        fetch_timestamp(local_tsa.url, data=ARTWORK, trusted_roots=[local_tsa.tsa.root_certificate])

    assert caught.value.check == "format"
