"""The offline verifier: certificates, registry documents, proof bundles and signed images, without Django.

``artrights verify FILE [--trust trust.json] [--file ORIGINAL] [--openings OPENINGS] [--json]`` dispatches
here before Django is imported, so a court or a partner can run it on a laptop with only the package
installed, without a network. ``FILE`` is one of

* a draw record (``artrights-draw/v1`` JSON, ``proofs/draw.py``): the draw is re-run from its inputs and
  every difference named; no trust file is needed;
* a certificate PDF (registration, digital filing, contract filing, pledge): the PAdES signature must
  cover the whole file and verify (``pdf_signature``; its signature timestamp must chain to a trusted TSA
  root and, when the trust file lists ``signing_roots``, the signer to one of them); then the embedded
  ``certificate.json`` is verified as a bundle;
* a signed registry document without a log entry (acceptance receipt, correction notice, refusal
  decision): the same signature checks, with ``signing_roots`` required (nothing else vouches for the
  issuer), then its embedded ``document.json`` (``document``); the verdict says what the document is
  (type, number, date) and that it is not a registration;
* a JSON proof bundle;
* an image carrying our C2PA manifest: the manifest must be intact and, with ``signing_roots``,
  trusted (``c2pa``), its store's boxes and labels and its claim signature's CBOR (unprotected fields,
  zero padding) exactly as a C2PA signer writes them (``proofs.jumbf``, ``content_credentials.claim_signature``);
  the signature must carry an RFC 3161 token over it from a trusted TSA (``c2pa_timestamp``: the C2PA
  library, given the TSA roots too, validates and trusts it, and ``proofs.rfc3161`` verifies it again;
  the signer must still chain to a signing root, not a TSA root); the bundle in it is verified and the
  image's ISCC code must be one the statement registered (``file_hash``).

A JSON file is read within bounds (``proofs.bundle.MAX_JSON_BYTES`` and ``MAX_JSON_DEPTH``, no repeated key,
no number without a canonical form): anything else is refused as a malformed bundle, in both languages.

``--file ORIGINAL`` adds the ``file_hash`` check: the original's SHA-256 must be a registered file.
``--openings OPENINGS`` (the owner's ``owner-openings.json``) adds the ``openings`` check: the file must
belong to the same statement and open every party's commitment; the verdict then names the parties, who are
otherwise reported as named by commitment only.
Checks run in this order and stop at the first failure: ``pdf_signature`` / ``c2pa``, ``c2pa_timestamp``,
``file_hash``, ``statement``, ``inclusion_proof``, ``checkpoint_signature``, ``timestamp``, ``openings``.
Exit status 0 = valid, 1 = invalid (the failing check is printed), 2 = usage or trust-file error.

The trust file (default: ``$ARTRIGHTS_TRUST`` or ``./trust.json``)::

    {"log": {"origin": "...", "keys": ["<note verifier key>"]},
     "tsa_roots": ["-----BEGIN CERTIFICATE-----..."],
     "signing_roots": ["-----BEGIN CERTIFICATE-----..."]}      # optional
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from artrights.proofs.bundle import BundleFormatError, load_bundle
from artrights.proofs.documents import DOCUMENT_ATTACHMENT, DocumentInfo
from artrights.proofs.statements import StatementType
from artrights.proofs.trust import Trust
from artrights.proofs.verification import (
    ROLE_LABELS,
    Verdict,
    VerificationFailure,
    failed,
    opened_parties,
    verify_bundle,
)

if TYPE_CHECKING:
    from artrights.proofs import evidence

# The draw (numpy) and evidence (zipfile, gzip) modules are imported where a draw record or a package is checked:
# a cold `artrights verify certificate.pdf` needs neither.

__all__ = ["Trust", "Verdict", "main", "verify_bytes", "verify_image", "verify_package", "verify_path", "verify_pdf"]

ATTACHMENT = "certificate.json"  # the name certificate_pdf embeds the bundle under
_UNTRUSTED_SIGNER = "签名证书未核对信任根 / signing certificate not checked against a trusted root"


# --------------------------------------------------------------------------------------------
# PDF certificates
# --------------------------------------------------------------------------------------------


def _asn1_certs(certs: Sequence[Any]) -> list[Any]:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certs]


def _embedded_file(reader: Any, name: str) -> bytes | None:
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) == name:
            spec = names[i + 1].get_object()
            return bytes(spec["/EF"]["/F"].get_object().data)
    return None


def _is_strict_der(data: bytes) -> bool:
    """True when ``data`` is one DER TLV whose nested constructed values parse exactly.

    Checks definite, minimally encoded lengths and that every constructed value is filled by its
    children, so a changed tag or length byte in an unsigned part of the container is noticed even
    where a lenient parser would read around it.
    """

    def walk(pos: int, end: int) -> int:
        if pos + 2 > end:
            raise ValueError("truncated")
        tag = data[pos]
        if tag == 0 or tag & 0x1F == 0x1F:
            # Tag 0 is end-of-contents: zero padding swallowed by an enlarged outer length.
            raise ValueError("end-of-contents or high tag number")
        first = data[pos + 1]
        pos += 2
        if first < 0x80:
            length = first
        else:
            count = first & 0x7F
            if count == 0 or count > 4 or pos + count > end:
                raise ValueError("indefinite or oversized length")
            length = int.from_bytes(data[pos : pos + count], "big")
            if length < 0x80 or (count > 1 and data[pos] == 0):
                raise ValueError("length not minimally encoded")
            pos += count
        stop = pos + length
        if stop > end:
            raise ValueError("length runs past its container")
        if tag & 0x20:
            while pos < stop:
                pos = walk(pos, stop)
        elif tag == 0x05 and length != 0:
            raise ValueError("NULL with contents")
        return stop

    try:
        # ContentInfo is a SEQUENCE; asn1crypto does not check the outermost tag itself.
        return data[:1] == b"\x30" and walk(0, len(data)) == len(data)
    except (ValueError, IndexError):
        return False


def _container_is_canonical(signature: Any) -> bool:
    """Strict DER, and the fields pyHanko does not read hold the only values RFC 5652 allows.

    digestAlgorithms must list exactly the signer's algorithm and the versions must be those the
    structure implies, in the signature and in its embedded signature timestamp token; pyHanko
    reads neither, so without this they would be bytes anyone could change unnoticed.
    """
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    def consistent(signed_data: Any, signer_info: Any, content_version: str) -> bool:
        listed = [alg.dump() for alg in signed_data["digest_algorithms"]]
        sid_version = "v1" if signer_info["sid"].name == "issuer_and_serial_number" else "v3"
        return (
            listed == [signer_info["digest_algorithm"].dump()]
            and signer_info["version"].native == sid_version
            and signed_data["version"].native == content_version
        )

    try:
        signer_info = signature.signer_info
        outer = "v1" if signer_info["version"].native == "v1" else "v3"
        if not consistent(signature.signed_data, signer_info, outer):
            return False
        for token in extract_tst_data_iter(signer_info, signed=False):
            # RFC 5652 §5.1: version 3 whenever the encapsulated content is not id-data.
            if not consistent(token, token["signer_infos"][0], "v3"):
                return False
        return _is_strict_der(_signature_contents(signature))
    except Exception:
        return False


def _signature_contents(signature: Any) -> bytes:
    """The CMS bytes of /Contents without the zero padding after them."""
    from asn1crypto import parser

    raw = bytes(signature.sig_object["/Contents"])
    _class, _method, _tag, header, body, trailer = parser.parse(raw)
    return raw[: len(header) + len(body) + len(trailer)]


def _only_padding_after_cms(signature: Any) -> bool:
    """True when the signature's /Contents is the CMS followed by zero bytes only.

    /Contents is the one part of a signed PDF outside the signed byte range, and the CMS rarely
    fills the space reserved for it; a changed byte in that padding would otherwise go unnoticed.
    """
    from asn1crypto import parser

    raw = bytes(signature.sig_object["/Contents"])
    try:
        _class, _method, _tag, header, body, trailer = parser.parse(raw)
    except ValueError:
        return False
    return not raw[len(header) + len(body) + len(trailer) :].strip(b"\x00")


def _gap_is_plain_hex(data: bytes, signature: Any) -> bool:
    """True when the one gap of the signed byte range holds ``<``, hex digits of one case, ``>`` and nothing else.

    A PDF reader ignores white space in a hex string and reads either case, so without this a byte of the gap
    (the one part of the file the signature does not cover) could change and decode to the same value.
    """
    try:
        _, first_length, second_start, _ = (int(n) for n in signature.byte_range)
        gap = data[first_length:second_start]
    except (TypeError, ValueError):
        return False
    digits = gap[1:-1]
    return (
        gap[:1] == b"<"
        and gap[-1:] == b">"
        and len(digits) % 2 == 0
        and (_HEX_UPPER.fullmatch(digits) is not None or _HEX_LOWER.fullmatch(digits) is not None)
    )


_HEX_UPPER = re.compile(rb"[0-9A-F]*")
_HEX_LOWER = re.compile(rb"[0-9a-f]*")


def _signature_timestamp_time(signature: Any) -> dt.datetime | None:
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    try:
        for signed_data in extract_tst_data_iter(signature.signer_info, signed=False):
            gen_time: dt.datetime = signed_data["encap_content_info"]["content"].parsed["gen_time"].native
            return min(gen_time, dt.datetime.now(dt.UTC))
    except Exception:
        # Unreadable timestamp: validate at the current time and let the timestamp check report it.
        return None
    return None


_PYHANKO_SIGN = "pyhanko.sign"
_pyhanko_sign_lock = threading.RLock()


def _defer_signing_side() -> None:
    """Let ``pyhanko.sign.validation`` be imported without pyHanko's signing side.

    The package ``pyhanko.sign`` runs ``from .signers import ...`` in its ``__init__``, which loads the PDF signer,
    the HTTP time-stamp client and aiohttp: most of a cold ``artrights verify``, for code that only signs. So the
    package is registered with its ``__init__`` not yet run: its submodules import as usual, and the first other
    name asked of the package (``pyhanko.sign.PdfSigner``, ``from pyhanko.sign import *``) runs the real
    ``__init__`` first, so a process that signs after verifying sees the whole package. Once the package is
    imported (the web application has signed something) this does nothing.
    """
    if _PYHANKO_SIGN in sys.modules:
        return
    import importlib
    import importlib.util

    with _pyhanko_sign_lock:
        if _PYHANKO_SIGN in sys.modules:
            return
        import pyhanko

        spec = importlib.util.find_spec(_PYHANKO_SIGN)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return  # not the package this was written for: import it the ordinary way
        package = importlib.util.module_from_spec(spec)
        loader = spec.loader
        running: list[bool] = []  # the real __init__ has started (it may ask the package for names itself)

        def complete(name: str) -> Any:
            if importlib.util.find_spec(f"{_PYHANKO_SIGN}.{name}") is not None:
                return importlib.import_module(f"{_PYHANKO_SIGN}.{name}")  # what `from pyhanko.sign import x` does
            with _pyhanko_sign_lock:  # another thread asking meanwhile waits until the names exist
                if "__getattr__" in package.__dict__ and not running:
                    running.append(True)
                    loader.exec_module(package)
                    del package.__dict__["__getattr__"]
            try:
                return package.__dict__[name]
            except KeyError:
                raise AttributeError(f"module {_PYHANKO_SIGN!r} has no attribute {name!r}") from None

        package.__dict__["__getattr__"] = complete
        sys.modules[_PYHANKO_SIGN] = package
        pyhanko.sign = package  # type: ignore[attr-defined]  # as the import system binds a submodule


def _check_pdf_signature(data: bytes, trust: Trust) -> tuple[Any, list[str]]:
    """Return the reader of a PDF whose one signature covers and protects it, and the verdict's warnings."""
    _defer_signing_side()
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from artrights.core.asyncrun import run_sync

    def fail(zh: str, en: str) -> VerificationFailure:
        return VerificationFailure("pdf_signature", zh, en)

    # A damaged or hostile PDF can make the parser raise almost anything; every such error means
    # the same to a relying party (the file is not the signed certificate), so all are caught.
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        raise fail("PDF 文件已损坏或被改动", f"the PDF is damaged or was altered: {exc}") from None
    if len(signatures) != 1:
        raise fail(
            f"证书应有一个数字签名，实际有 {len(signatures)} 个",
            f"a certificate has exactly one signature, this PDF has {len(signatures)}",
        )
    if not _container_is_canonical(signatures[0]):
        raise fail("数字签名数据被改动", "the signature container was altered (not canonical DER CMS)")
    if not _only_padding_after_cms(signatures[0]):
        raise fail("数字签名数据被改动", "the signature container was altered (bytes after the CMS are not padding)")
    if not _gap_is_plain_hex(data, signatures[0]):
        raise fail("数字签名数据被改动", "the signature container was altered (the unsigned gap is not plain hex)")
    warnings: list[str] = []
    # Judge the certificates at the signature timestamp, not today: a certificate must stay
    # verifiable after the signing certificate expires. The time read here is not yet trusted,
    # but the timestamp token carrying it is validated below, so a forged time fails there.
    moment = _signature_timestamp_time(signatures[0])
    signer_context = ValidationContext(
        trust_roots=_asn1_certs(trust.signing_roots), allow_fetching=False, moment=moment
    )
    ts_context = ValidationContext(trust_roots=_asn1_certs(trust.tsa_roots), allow_fetching=False, moment=moment)
    try:
        status = run_sync(
            async_validate_pdf_signature(
                signatures[0], signer_validation_context=signer_context, ts_validation_context=ts_context
            )
        )
    except Exception as exc:
        raise fail("数字签名无法验证", f"the signature cannot be validated: {exc}") from None
    if not (status.intact and status.valid):
        raise fail(
            "数字签名无效：文件在签名后被改动",
            "the signature does not verify: the file changed after signing",
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise fail(
            "签名之后文件被追加或修改（签名未覆盖整个文件）",
            "content was added after signing (the signature does not cover the whole file)",
        )
    ts = status.timestamp_validity
    if ts is None:
        raise fail("数字签名没有可信时间戳（PAdES B-T）", "the signature has no signature timestamp (PAdES B-T)")
    if not (ts.intact and ts.valid and ts.trusted):
        raise fail("签名时间戳无效或不是由受信任的时间戳机构签发", "the signature timestamp is invalid or untrusted")
    if trust.signing_roots:
        if not status.trusted:
            problem = getattr(status, "trust_problem_indic", None)
            raise fail(
                "签名证书不是由受信任的根证书签发，或在签名时无效",
                "the signing certificate does not chain to a trusted root or was not valid when signing"
                + (f" ({problem})" if problem else ""),
            )
    else:
        warnings.append(_UNTRUSTED_SIGNER)
    return reader, warnings


def _attachment(reader: Any, name: str) -> bytes | None:
    try:
        return _embedded_file(reader, name)
    except Exception as exc:
        raise VerificationFailure(
            "pdf_signature", f"无法读取附带的 {name}", f"cannot read the embedded {name}: {exc}"
        ) from None


def _document_verdict(description: bytes, trust: Trust) -> Verdict:
    """A signed registry document with no log entry: only the platform's signature vouches for it."""
    if not trust.signing_roots:
        # Without the signing roots any self-made certificate would do: there is no log entry to fall back on.
        return failed(
            "pdf_signature",
            "信任文件没有列出签名根证书（signing_roots），无法确认文书由登记机构签发",
            "the trust file lists no signing_roots, so the issuer of a registry document cannot be confirmed",
        )
    try:
        info = DocumentInfo.from_json(load_bundle(description, what=DOCUMENT_ATTACHMENT))
    except ValueError as exc:
        return failed("document", "文书说明格式不正确", f"the embedded {DOCUMENT_ATTACHMENT} is malformed: {exc}")
    return Verdict(ok=True, passed=["pdf_signature", "document"], number=info.number, document=info)


def verify_pdf(data: bytes, trust: Trust, *, file_bytes: bytes | None = None, openings: bytes | None = None) -> Verdict:
    try:
        reader, warnings = _check_pdf_signature(data, trust)
        bundle = _attachment(reader, ATTACHMENT)
        description = None if bundle is not None else _attachment(reader, DOCUMENT_ATTACHMENT)
    except VerificationFailure as failure:
        return Verdict(ok=False).fail(failure)
    if bundle is None and description is not None:
        return _document_verdict(description, trust)
    if bundle is None:
        return failed(
            "pdf_signature",
            f"证书中没有附带 {ATTACHMENT}（也不是登记机构的文书）",
            f"the PDF embeds neither {ATTACHMENT} nor {DOCUMENT_ATTACHMENT}",
        )
    verdict = verify_bundle(bundle, trust=trust, file_bytes=file_bytes, openings=openings)
    verdict.passed.insert(0, "pdf_signature")
    verdict.warnings.extend(warnings)
    if verdict.ok and verdict.statement_type == StatementType.MEDIATION_AGREEMENT:
        try:
            _check_agreement_text(reader, verdict)
        except VerificationFailure as failure:
            return verdict.fail(failure)
        verdict.passed.append(AGREEMENT_CHECK)
    return verdict


AGREEMENT_ATTACHMENT = "agreement.json"  # a mediation agreement's text, whose SHA-256 its statement records
AGREEMENT_CHECK = "agreement"


def _check_agreement_text(reader: Any, verdict: Verdict) -> None:
    """``agreement``: the signed agreement PDF carries the agreement's canonical text, and its SHA-256 is the one
    the public statement recorded when every party, the mediator and the organisation had signed it."""
    import hashlib

    from artrights.proofs.canonical import canonical

    text = _attachment(reader, AGREEMENT_ATTACHMENT)
    if text is None:
        raise VerificationFailure(
            AGREEMENT_CHECK, f"调解协议书中没有附带 {AGREEMENT_ATTACHMENT}", f"the PDF embeds no {AGREEMENT_ATTACHMENT}"
        )
    try:
        digest = hashlib.sha256(canonical(load_bundle(text, what=AGREEMENT_ATTACHMENT))).hexdigest()
    except ValueError as exc:
        raise VerificationFailure(
            AGREEMENT_CHECK, "调解协议文本格式不正确", f"the embedded {AGREEMENT_ATTACHMENT} is malformed: {exc}"
        ) from None
    recorded = (verdict.bundle or {}).get("statement", {}).get("agreement", {})
    if not isinstance(recorded, dict) or digest != recorded.get("sha256"):
        raise VerificationFailure(
            AGREEMENT_CHECK,
            "调解协议文本与公开日志记录的协议摘要不符（协议在签名后被改动）",
            "the agreement text does not hash to the digest its public statement recorded",
        )


# --------------------------------------------------------------------------------------------
# Signed images
# --------------------------------------------------------------------------------------------


def verify_image(
    data: bytes, trust: Trust, *, file_bytes: bytes | None = None, openings: bytes | None = None
) -> Verdict:
    from artrights.proofs.content_credentials import ContentCredentialsError, iscc_image_code, read_image

    try:
        creds = read_image(data, trust_roots=trust.signing_roots, tsa_roots=trust.tsa_roots)
    except ContentCredentialsError as exc:
        return failed(
            "c2pa",
            f"无法读取图像的内容凭证：{exc.message_zh}",
            f"cannot read the image's content credentials: {exc.message_en}",
        )
    if creds.state == "None":
        return failed("c2pa", "图像没有内容凭证（C2PA）", "the image carries no C2PA manifest")
    try:
        _check_image_credentials(data, creds, trust)
    except _ImageTimestampFailure as failure:
        return Verdict(ok=False, passed=failure.passed).fail(failure)
    except VerificationFailure as failure:
        return Verdict(ok=False).fail(failure)
    if creds.bundle is None:
        return failed("c2pa", "内容凭证中没有登记证明", "the C2PA manifest carries no registration proof")
    try:
        iscc = iscc_image_code(data)
    except ContentCredentialsError as exc:
        return failed("file_hash", f"无法解码图像：{exc.message_zh}", f"the image does not decode: {exc.message_en}")
    if creds.iscc is not None and creds.iscc != iscc:
        return failed(
            "file_hash",
            "图像的 ISCC 作品码与内容凭证中的软绑定不符",
            f"the image's ISCC ({iscc}) differs from the manifest's soft binding ({creds.iscc})",
        )
    verdict = verify_bundle(creds.bundle, trust=trust, file_bytes=file_bytes, image_iscc=iscc, openings=openings)
    verdict.passed[:0] = ["c2pa", "c2pa_timestamp"]
    if not trust.signing_roots:
        verdict.warnings.append(_UNTRUSTED_SIGNER)
    return verdict


def _check_image_credentials(data: bytes, creds: Any, trust: Trust) -> None:
    """``c2pa`` and ``c2pa_timestamp``: the manifest store and the claim signature are as their signer wrote them,
    the manifest validates and its signer chains to a signing root; the signature's RFC 3161 token is over this
    signature and chains to a TSA root."""
    from artrights.proofs.content_credentials import ContentCredentialsError, check_signer, claim_signature

    def c2pa_failure(zh: str, en: str) -> VerificationFailure:
        return VerificationFailure("c2pa", zh, en)

    try:
        signature = claim_signature(data)
    except ContentCredentialsError as exc:
        raise c2pa_failure(exc.message_zh, exc.message_en) from None
    # Judged here rather than by the library's one-word state: the timestamp has a check of its own, and
    # without signing roots an untrusted signer is expected (the verdict warns instead).
    expected = {"signingCredential.untrusted"} if not trust.signing_roots else set()
    others = {code for code in creds.failure_codes if not code.startswith("timeStamp.")} - expected
    intact = not others and (creds.state in {"Trusted", "Valid"} or bool(creds.failure_codes))
    # A damaged token also disturbs what the library says of the signer (it may judge the signer at the wrong
    # time, or report the token's own certificate as the signing credential): the token is named first.
    stamped_at = _image_timestamp(signature, creds, trust, passed=["c2pa"] if intact else [])
    if not intact:
        detail = "; ".join(f for f in creds.failures if not f.startswith("timeStamp.")) or creds.state
        raise c2pa_failure(
            "图像的内容凭证（C2PA）无效：图像或清单被改动，或签名者不受信任",
            f"the image's C2PA manifest does not validate: {detail}",
        )
    if trust.signing_roots:
        if "signingCredential.trusted" not in creds.codes:
            raise c2pa_failure(
                "图像的内容凭证（C2PA）签名者不受信任", "the C2PA library did not find the signer trusted"
            )
        try:
            check_signer(signature, trust.signing_roots, at=stamped_at)
        except ContentCredentialsError as exc:
            raise c2pa_failure(exc.message_zh, exc.message_en) from None


class _ImageTimestampFailure(VerificationFailure):
    """``c2pa_timestamp`` failed; ``passed`` says whether the manifest itself was intact."""

    def __init__(self, en: str, passed: list[str]) -> None:
        super().__init__("c2pa_timestamp", "内容凭证签名的时间戳无效、被改动或不是由受信任的时间戳机构签发", en)
        self.passed = passed


def _image_timestamp(signature: Any, creds: Any, trust: Trust, *, passed: list[str]) -> dt.datetime:
    """The attested signing time: the token is present, the C2PA library validated and trusted it, and it
    verifies here too (over this very signature, from a trusted TSA, with only its chain's certificates)."""
    from artrights.proofs import rfc3161

    if signature.token is None:
        raise _ImageTimestampFailure(
            "the claim signature carries no RFC 3161 timestamp (the platform time-stamps every signature)", passed
        )
    reported = [f for f in creds.failures if f.startswith("timeStamp.")]
    if reported:
        raise _ImageTimestampFailure("; ".join(reported), passed)
    if not {"timeStamp.validated", "timeStamp.trusted"} <= creds.codes:
        untrusted = sorted(code for code in creds.codes if code.startswith("timeStamp."))
        raise _ImageTimestampFailure(
            f"the C2PA library did not validate the timestamp as trusted ({', '.join(untrusted) or 'no report'})",
            passed,
        )
    try:
        stamped = rfc3161.verify(
            signature.token, data=signature.countersigned(), trusted_roots=trust.tsa_roots, exact_certificates=True
        )
    except rfc3161.TimestampError as exc:
        raise _ImageTimestampFailure(
            f"the RFC 3161 token does not verify ({exc.check}): {exc.message}", passed
        ) from None
    return stamped.gen_time


# --------------------------------------------------------------------------------------------
# Evidence packages (WACZ)
# --------------------------------------------------------------------------------------------

# The order a package's checks are reported in; every one runs, so each failure is named.
PACKAGE_CHECKS = (
    "package",
    "datapackage",
    "artifacts",
    "warc",
    "manifest_timestamp",
    "statement",
    "inclusion_proof",
    "checkpoint_signature",
    "timestamp",
    "manifest_in_log",
    "report",
)


def verify_package(data: bytes, trust: Trust) -> Verdict:
    """Every check of an evidence package (``proofs.evidence``); the verdict names each one that fails, with the
    file it concerns."""
    from artrights.proofs import evidence

    try:
        package = evidence.read_package(data)
    except evidence.PackageError as exc:
        return failed(exc.code, exc.message_zh, exc.message_en)
    findings = evidence.check_damaged(package)
    findings += evidence.check_datapackage(package)
    findings += evidence.check_artifacts(package, with_sm3=evidence.sm3_available())
    findings += evidence.check_warc(package)
    findings += _manifest_timestamp(package, trust)
    bundle_verdict = verify_bundle(package.files.get(evidence.PROOF, b""), trust=trust)
    if bundle_verdict.ok and bundle_verdict.bundle is not None:
        findings += evidence.check_manifest_in_statement(package, bundle_verdict.bundle["statement"])
        findings += _report(package, trust, bundle_verdict.bundle["statement"])
    else:
        findings.append(
            evidence.Finding(
                bundle_verdict.failed_check or "statement",
                evidence.PROOF,
                bundle_verdict.message_zh,
                bundle_verdict.message_en,
            )
        )
    bundle_checks = {"statement", "inclusion_proof", "checkpoint_signature", "timestamp"}
    failed_checks = {f.check for f in findings}
    verdict = Verdict(
        ok=not findings,
        passed=[
            c
            for c in PACKAGE_CHECKS
            if c not in failed_checks
            and (c not in bundle_checks or c in bundle_verdict.passed)
            and (c not in ("manifest_in_log", "report") or bundle_verdict.ok)
        ],
        number=package.number or bundle_verdict.number,
        statement_type=bundle_verdict.statement_type,
        log_index=bundle_verdict.log_index,
        timestamp=bundle_verdict.timestamp,
        bundle=bundle_verdict.bundle,
    )
    if not evidence.sm3_available():
        verdict.warnings.append("SM3 not available in this OpenSSL: SM3 hashes not checked")
    if findings:
        first, *rest = (VerificationFailure(f.check, f"{f.path}：{f.zh}", f"{f.path}: {f.en}") for f in findings)
        verdict.fail(first)
        verdict.also_failed = rest
    return verdict


def _manifest_timestamp(package: evidence.Package, trust: Trust) -> list[evidence.Finding]:
    """The manifest's own RFC 3161 token, over manifest.json's bytes (what `openssl ts -verify` checks)."""
    from cryptography import x509

    from artrights.proofs import evidence, rfc3161

    try:
        pems = evidence.tsa_chain_pems(package.files.get(evidence.TSA_CHAIN, b""))
        chain = [x509.load_pem_x509_certificate(pem) for pem in pems]
        rfc3161.verify(
            package.files.get(evidence.MANIFEST_TOKEN, b""),
            data=package.manifest_bytes,
            trusted_roots=trust.tsa_roots,
            intermediates=chain,
        )
    except rfc3161.TimestampError as exc:
        # A token that does not cover the bytes means the manifest (or the token) changed: name the manifest.
        path = evidence.MANIFEST if exc.check == "imprint" else evidence.MANIFEST_TOKEN
        return [evidence.Finding("manifest_timestamp", path, "证据清单的时间戳无效", f"{exc.check}: {exc.message}")]
    except ValueError as exc:
        return [
            evidence.Finding(
                "manifest_timestamp", evidence.TSA_CHAIN, "时间戳机构证书无法读取", f"cannot read the chain: {exc}"
            )
        ]
    return []


def _report(package: evidence.Package, trust: Trust, statement: dict[str, Any]) -> list[evidence.Finding]:
    """The report is signed by the platform and embeds the same log statement as proof.json."""
    from artrights.proofs import evidence

    report = verify_pdf(package.files.get(evidence.REPORT, b""), trust)
    if not report.ok:
        return [evidence.Finding("report", evidence.REPORT, report.message_zh, report.message_en)]
    if report.bundle is None or report.bundle["statement"] != statement:
        return [
            evidence.Finding(
                "report", evidence.REPORT, "报告所附的声明与证明包不同", "the report embeds a different statement"
            )
        ]
    return []


# --------------------------------------------------------------------------------------------
# Dispatch
# --------------------------------------------------------------------------------------------


def verify_draw_record(record: dict[str, Any]) -> Verdict:
    """Re-run a draw record (``artrights-draw/v1``); every difference is one failed check."""
    from artrights.proofs import draw

    findings = draw.verify_draw(record)
    if findings:
        first, *rest = (VerificationFailure(f.check, f.message_zh, f.message_en) for f in findings)
        verdict = Verdict(ok=False).fail(first)
        verdict.also_failed = rest
        return verdict
    # The draw needs no trust file; a log proof of its commitment would, and is not checked here yet.
    plan, n = record["plan"]["plan_id"], len(record["drawn"])
    zh = f"抽查计划 {plan} 的抽取可复现，抽中 {n} 个对象，结果哈希 {record['result_hash'][:16]}…；日志条目未核对"
    en = (
        f"the draw of plan {plan} re-runs to the same {n} targets, result hash {record['result_hash'][:16]}…; "
        "the log entry is not checked"
    )
    return Verdict(
        ok=True,
        message_zh=zh,
        message_en=en,
        passed=["pool_hash", "commitment", "seed", "drawn", "assignment"],
        draw_line=f"有效 VALID: {zh} / {en}",
    )


def verify_bytes(
    data: bytes, trust: Trust, *, file_bytes: bytes | None = None, openings: bytes | None = None
) -> Verdict:
    """Verify a certificate PDF, a registry document, a JSON bundle or a signed image, told apart by their first
    bytes; ``openings`` is the owner's openings file, checked against the parties' commitments."""
    # "PDF-" near the start: a damaged header still goes to the PDF checks and fails there.
    if b"PDF-" in data[:8]:
        return verify_pdf(data, trust, file_bytes=file_bytes, openings=openings)
    from artrights.proofs import draw, evidence

    if evidence.is_package(data):
        return verify_package(data, trust)
    if data.lstrip()[:1] == b"{":
        record = draw.load_record(data)
        if record is not None:
            return verify_draw_record(record)
        try:
            bundle = load_bundle(data)
        except BundleFormatError as exc:
            return failed("statement", f"证明包无法读取：{exc.message_zh}", exc.message_en)
        return verify_bundle(bundle, trust=trust, file_bytes=file_bytes, openings=openings)
    return verify_image(data, trust, file_bytes=file_bytes, openings=openings)


def verify_path(
    path: str | Path, trust: Trust, *, file_bytes: bytes | None = None, openings: bytes | None = None
) -> Verdict:
    return verify_bytes(Path(path).read_bytes(), trust, file_bytes=file_bytes, openings=openings)


def default_trust_path() -> Path:
    return Path(os.environ.get("ARTRIGHTS_TRUST") or "trust.json")


def _verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "valid": verdict.ok,
        "failed_check": verdict.failed_check,
        "message": {"zh": verdict.message_zh, "en": verdict.message_en},
        "passed": verdict.passed,
        "number": verdict.number,
        "type": verdict.statement_type,
        "log_index": verdict.log_index,
        "timestamp": verdict.timestamp.isoformat() if verdict.timestamp else None,
        "warnings": verdict.warnings,
        "parties": _parties_json(verdict),
        "document": verdict.document.to_json() if verdict.document else None,
    }


def _parties_json(verdict: Verdict) -> list[dict[str, Any]]:
    """Each party of the statement: its role, whether it was opened, and what the opening says."""
    if verdict.bundle is None:
        return []
    opened = opened_parties(verdict)
    parties = verdict.bundle["statement"].get("parties", [])
    return [
        {
            "role": party["role"],
            "role_label": dict(zip(("zh", "en"), ROLE_LABELS.get(party["role"], (party["role"],) * 2), strict=True)),
            "opened": bool(opened),
            **({"value": opened[i][1]} if opened else {}),
        }
        for i, party in enumerate(parties)
    ]


def _draw_record_at(path: str) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as f:
            if f.read(64).lstrip()[:1] != b"{":
                return None
            data = Path(path).read_bytes()
    except OSError:
        return None  # the usual reading below reports it
    from artrights.proofs import draw

    return draw.load_record(data)


def main(argv: Sequence[str] | None = None) -> int:
    """``artrights verify`` (argv = the arguments after ``verify``)."""
    parser = argparse.ArgumentParser(
        prog="artrights verify",
        description=(
            "离线核验证书、证明包或带内容凭证的图像 / verify a certificate, proof bundle or signed image offline"
        ),
    )
    parser.add_argument("path", metavar="FILE", help="证书 PDF、certificate.json 或图像 / PDF, JSON bundle or image")
    parser.add_argument("--trust", help="信任文件 / trust file (default: $ARTRIGHTS_TRUST or ./trust.json)")
    parser.add_argument("--file", dest="original", help="作品原始文件 / the original work file (adds file_hash)")
    parser.add_argument(
        "--openings",
        help="著作权人身份公开值文件 / the owner's owner-openings.json (adds openings: names the parties)",
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON / print the verdict as JSON")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    # pyHanko logs a traceback for every malformed signature it is shown; the verdict already says
    # what failed, and a court clerk should not see Python internals.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    trust_path = Path(args.trust) if args.trust else default_trust_path()
    record = _draw_record_at(args.path)
    if record is not None:
        # A draw is checked by re-running it: no trust file is needed.
        verdict = verify_draw_record(record)
        print(json.dumps(_verdict_json(verdict), ensure_ascii=False, indent=2) if args.json else verdict.summary())
        return 0 if verdict.ok else 1
    try:
        trust = Trust.load(trust_path)
    except FileNotFoundError:
        print(f"找不到信任文件 / trust file not found: {trust_path}", file=sys.stderr)
        return 2
    except (ValueError, KeyError) as exc:
        print(f"信任文件无效 / invalid trust file {trust_path}: {exc}", file=sys.stderr)
        return 2
    try:
        data = Path(args.path).read_bytes()
        original = Path(args.original).read_bytes() if args.original else None
        openings = Path(args.openings).read_bytes() if args.openings else None
    except OSError as exc:
        print(f"无法读取文件 / cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    verdict = verify_bytes(data, trust, file_bytes=original, openings=openings)
    if args.json:
        print(json.dumps(_verdict_json(verdict), ensure_ascii=False, indent=2))
    else:
        print(verdict.summary())
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
