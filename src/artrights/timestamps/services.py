"""The platform's time-stamping: tokens from the built-in RFC 3161 TSA, and from the external TSAs configured
by URL over the same digests."""

from __future__ import annotations

import logging

from django.conf import settings

from artrights.proofs import rfc3161

from . import keys, selectors
from .models import ExternalTimestamp

logger = logging.getLogger(__name__)


def check_token(token: bytes, data: bytes) -> rfc3161.VerifiedTimestamp:
    """Verify a stored token over ``data`` against every TSA root the platform trusts (raises TimestampError)."""
    return rfc3161.verify(token, data=data, trusted_roots=selectors.trusted_roots())


def answer(request_der: bytes) -> bytes:
    """The built-in TSA's DER TimeStampResp to a DER TimeStampReq (rejections included)."""
    return keys.builtin_tsa().issue(request_der)


def stamp(data: bytes) -> bytes:
    """A verified token over `data` from the built-in TSA (DER TimeStampResp).

    When external TSAs are configured, the worker also fetches their tokens over the same digest.
    """
    request = rfc3161.build_request(data, cert_req=True)
    response = answer(request.to_der())
    rfc3161.verify(response, data=data, trusted_roots=[keys.builtin_tsa().root_certificate], nonce=request.nonce)
    if settings.ARTRIGHTS_EXTERNAL_TSA_URLS:
        from .tasks import stamp_externally_task

        stamp_externally_task(request.imprint.digest.hex())
    return response


def stamp_external(digest: bytes) -> list[ExternalTimestamp]:
    """Tokens over a SHA-256 digest from every external TSA in ARTRIGHTS_EXTERNAL_TSA_URLS, verified and kept.

    A TSA that fails is logged and skipped; the others still count.
    """
    kept = []
    for url in settings.ARTRIGHTS_EXTERNAL_TSA_URLS:
        try:
            reply = rfc3161.fetch_timestamp(url, digest=digest, trusted_roots=selectors.trusted_roots())
        except (rfc3161.TimestampError, rfc3161.TimestampClientError, ValueError):
            logger.exception("external TSA %s failed", url)
            continue
        kept.append(
            ExternalTimestamp.objects.create(
                digest=digest.hex(), url=url, response=reply.response, gen_time=reply.verified.gen_time
            )
        )
    return kept
