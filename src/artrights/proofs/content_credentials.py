"""Content credentials for registered images: an ISCC image code and a C2PA manifest (no Django).

* :func:`iscc_image_code` is the ISO 24138 Content-Code Image (the ``iscc-core`` algorithm), computed from the
  32×32 grayscale normalisation that ISCC specifies (EXIF orientation applied, transparency on
  white, uniform borders trimmed, grayscale, bicubic resize). It survives re-encoding and small
  edits, so it serves as the C2PA *soft binding*: it finds the registration again when the
  manifest has been stripped.
* :func:`sign_image` writes a C2PA manifest (``c2pa-python``) with three assertions:
  ``c2pa.actions`` (the registered copy was published by the registry), ``cn.artrights.registration``
  (the proof bundle, verifiable offline with ``artrights verify``) and ``c2pa.soft-binding`` with
  ``alg: io.iscc.v0`` and the ISCC code. The manifest's hard binding covers the image bytes. Given a
  time-stamping function, the claim signature also carries an RFC 3161 token (C2PA ``sigTst2``), so
  the signing time is attested by a TSA rather than asserted by the signer.
* :func:`read_image` returns the C2PA validation state (``Trusted`` when the signer chains to a
  given root, ``Valid`` when intact but the root was not given, ``Invalid`` otherwise), the library's
  validation codes, the embedded bundle and the ISCC code from the soft binding.
* :func:`claim_signature` reads the manifest store and the claim signature itself (what the C2PA
  library does not compare: box labels, unprotected fields, padding) and returns the signer's chain
  and the token; :func:`check_signer` tells a signing root from the TSA roots the library was also given.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import io
import json
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from PIL import Image, ImageChops, ImageOps

from artrights.core import images
from artrights.core.errors import BilingualError
from artrights.core.pki import SigningIdentity

REGISTRATION_LABEL = "cn.artrights.registration"
SOFT_BINDING_LABEL = "c2pa.soft-binding"
ISCC_ALG = "io.iscc.v0"
CLAIM_GENERATOR = "ArtRights"

_MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "TIFF": "image/tiff",
    "GIF": "image/gif",
}


class ContentCredentialsError(BilingualError, ValueError):
    """An image that cannot carry or yield content credentials, or a signing failure."""


def _open(image_bytes: bytes, *, decode: bool = True) -> Image.Image:
    try:
        img = images.open_image(image_bytes)
    except images.ImageRejected as exc:
        raise ContentCredentialsError(
            exc.code, f"无法读取图像：{exc.message_zh}", f"cannot read the image: {exc.message_en}"
        ) from None
    if decode:
        try:
            img.load()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ContentCredentialsError("corrupt", f"无法读取图像：{exc}", f"cannot read the image: {exc}") from None
    return img


def image_mime(image_bytes: bytes) -> str:
    # Only the header is read: a manifest check must still run on pixels that no longer decode.
    fmt = _open(image_bytes, decode=False).format or ""
    if fmt not in _MIME:
        raise ContentCredentialsError(
            "unsupported_format", f"不支持的图像格式 {fmt or '未知'}", f"unsupported image format {fmt or 'unknown'}"
        )
    return _MIME[fmt]


def _normalise(img: Image.Image) -> list[int]:
    """ISCC image normalisation: 1024 grayscale pixels of the 32×32 thumbnail."""
    img = ImageOps.exif_transpose(img) or img
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    img = img.convert("RGB")
    # Trim a border of the top-left corner's colour (a frame or scanner margin). As in iscc-sdk,
    # differences up to 100 count as border, so JPEG noise around a frame does not defeat it.
    box = _content_box(img, img.getpixel((0, 0)))
    if box:
        img = img.crop(box)
    gray = img.convert("L").resize((32, 32), resample=Image.Resampling.BICUBIC)
    return list(gray.tobytes())


_BAND_ROWS = 256


def _content_box(img: Image.Image, corner: Any) -> tuple[int, int, int, int] | None:
    """The box of pixels differing from ``corner`` by more than 50 in some channel (doubled, less 100), found
    band by band: the same box as on the whole picture, with a band's worth of memory instead of three copies
    of a large image."""
    width, height = img.size
    found: list[tuple[int, int, int, int]] = []
    for top in range(0, height, _BAND_ROWS):
        band = img.crop((0, top, width, min(top + _BAND_ROWS, height)))
        diff = ImageChops.difference(band, Image.new("RGB", band.size, corner))
        box = ImageChops.add(diff, diff, 2.0, -100).getbbox()
        if box:
            found.append((box[0], top + box[1], box[2], top + box[3]))
    if not found:
        return None
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


def iscc_image_code(image_bytes: bytes) -> str:
    """ISO 24138 ISCC Content-Code Image (64 bits), e.g. ``ISCC:EEA…``."""
    return iscc_code_of_pixels(_normalise(_open(image_bytes)))


# Header of a 64-bit Content-Code Image v0, one nibble each: MainType CONTENT (2), SubType IMAGE (1), Version 0,
# length 1 (64 bits in 32-bit steps, less one).
_ISCC_IMAGE_HEADER = bytes([0x21, 0x01])


def iscc_code_of_pixels(pixels: Sequence[int]) -> str:
    """The ISCC Content-Code Image v0 of 1024 normalised grayscale pixels (a 32×32 thumbnail, row by row).

    Computed here rather than by ``iscc-core``, whose package import (pydantic, loguru and every other ISCC unit)
    would cost a court clerk's ``artrights verify`` more than all its image checks together. It is the
    reference algorithm (``soft_hash_image_v0``) step for step, down to the order of the floating-point
    operations, so the bits are the library's; the tests hold the two equal on many pictures.
    """
    if len(pixels) != 1024:
        raise ValueError("an ISCC image code needs 32 × 32 pixels")
    rows = [_dct(pixels[32 * r : 32 * r + 32]) for r in range(32)]
    columns = [_dct([row[c] for row in rows]) for c in range(32)]
    # The top-left 8 × 8 of the DCT matrix (low frequencies), row by row, each bit set when above their median.
    low = [columns[x][y] for y in range(8) for x in range(8)]
    ordered = sorted(low)
    median = (ordered[31] + ordered[32]) / 2
    digest = int("".join("1" if value > median else "0" for value in low), 2).to_bytes(8, "big")
    return "ISCC:" + base64.b32encode(_ISCC_IMAGE_HEADER + digest).decode("ascii").rstrip("=")


def _dct(values: Sequence[float]) -> list[float]:
    """Unnormalised DCT-II of a power-of-two-long vector by Lee's recursive algorithm (ISCC's ``alg_dct``)."""
    n = len(values)
    if n == 1:
        return list(values)
    half = n // 2
    alpha = [values[i] + values[n - 1 - i] for i in range(half)]
    beta = [(values[i] - values[n - 1 - i]) / (math.cos((i + 0.5) * math.pi / n) * 2.0) for i in range(half)]
    alpha, beta = _dct(alpha), _dct(beta)
    out: list[float] = []
    for i in range(half - 1):
        out += (alpha[i], beta[i] + beta[i + 1])
    return [*out, alpha[-1], beta[-1]]


def iscc_distance(a: str, b: str) -> int:
    """Hamming distance of two ISCC image codes (0 = the same normalised picture)."""
    import iscc_core

    return int(iscc_core.iscc_distance(a, b))


def _manifest(bundle: Mapping[str, Any], iscc: str, title: str) -> dict[str, Any]:
    return {
        "claim_generator_info": [{"name": CLAIM_GENERATOR, "version": "1"}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    # C2PA requires the first action to be "created" or "opened": the registry
                    # opens the uploaded original (the parent ingredient) and publishes this copy.
                    "actions": [
                        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["original"]}},
                        {
                            "action": "c2pa.published",
                            "softwareAgent": {"name": CLAIM_GENERATOR},
                            "description": (
                                "作品登记后由登记机构发布的登记副本 / registered copy published by the registry"
                            ),
                        },
                    ]
                },
            },
            {"label": REGISTRATION_LABEL, "data": dict(bundle)},
            {
                "label": SOFT_BINDING_LABEL,
                "data": {"alg": ISCC_ALG, "blocks": [{"scope": {}, "value": iscc}]},
            },
        ],
    }


# An RFC 3161 request is a few hundred bytes; anything much larger is not one.
_MAX_TSA_REQUEST = 64 * 1024


@contextmanager
def _loopback_tsa(timestamper: Callable[[bytes], bytes]) -> Iterator[str]:
    """An RFC 3161 HTTP endpoint on 127.0.0.1 answered by ``timestamper`` (DER request -> DER response),
    for as long as the block runs.  c2pa-python fetches its token from a URL only; this lets the
    platform's own TSA answer without a network or a public address of the platform."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= _MAX_TSA_REQUEST:
                self.send_error(400)
                return
            try:
                reply = timestamper(self.rfile.read(length))
            except Exception:  # the TSA's own failure; c2pa reports the signing as failed
                self.send_error(500)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:  # requests are the signer's own; nothing to log
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="c2pa-tsa", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def sign_image(
    image_bytes: bytes,
    *,
    bundle: Mapping[str, Any],
    signer: SigningIdentity,
    title: str | None = None,
    timestamper: Callable[[bytes], bytes] | None = None,
) -> bytes:
    """A copy of the image with a C2PA manifest carrying ``bundle`` and the ISCC soft binding; with
    ``timestamper`` (a DER TimeStampReq -> DER TimeStampResp function) the signature is time-stamped."""
    import c2pa

    mime = image_mime(image_bytes)
    if not isinstance(signer.key, ec.EllipticCurvePrivateKey) or signer.key.curve.name != "secp256r1":
        raise ContentCredentialsError(
            "unsupported_key", "C2PA 签名需要 P-256 密钥", "C2PA signing here needs a P-256 (ES256) key"
        )
    key = signer.key
    iscc = iscc_image_code(image_bytes)
    number = bundle.get("statement", {}).get("number", "")
    manifest = _manifest(bundle, iscc, title or f"{number}.{mime.split('/')[1]}")

    def sign(data: bytes) -> bytes:
        # c2pa-python accepts the DER ECDSA signature cryptography produces and converts it.
        return key.sign(data, ec.ECDSA(hashes.SHA256()))

    chain_pem = signer.chain_pem().decode()
    with _loopback_tsa(timestamper) if timestamper is not None else nullcontext() as tsa_url:
        try:
            c2pa_signer = c2pa.Signer.from_callback(sign, c2pa.C2paSigningAlg.ES256, chain_pem, tsa_url)
            with c2pa.Builder(manifest) as builder:
                builder.add_ingredient_from_stream(
                    {"title": "original", "relationship": "parentOf", "label": "original"},
                    mime,
                    io.BytesIO(image_bytes),
                )
                out = io.BytesIO()
                builder.sign(c2pa_signer, mime, io.BytesIO(image_bytes), out)
        except c2pa.C2paError as exc:
            raise ContentCredentialsError(
                "signing_failed", f"C2PA 签名失败：{exc}", f"C2PA signing failed: {exc}"
            ) from exc
    return out.getvalue()


class ImageCredentials(NamedTuple):
    state: str  # "Trusted", "Valid", "Invalid" or "None" (no manifest)
    bundle: dict[str, Any] | None
    iscc: str | None
    failures: tuple[str, ...] = ()
    # ISO 8601 signing time from a validated RFC 3161 token on the signature (None: not time-stamped).
    signed_at: str | None = None
    # The C2PA validation codes of the active manifest: failures, and successes with informational ones.
    failure_codes: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()


def _pem(certs: Sequence[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def read_image(
    image_bytes: bytes,
    *,
    trust_roots: Sequence[x509.Certificate] = (),
    tsa_roots: Sequence[x509.Certificate] = (),
) -> ImageCredentials:
    """Validate the image's C2PA manifest; return its state, proof bundle and ISCC soft binding.

    ``trust_roots`` are the signer's roots, ``tsa_roots`` those of the signature's time-stamping authority.
    The C2PA library takes one list of anchors for both, so with ``tsa_roots`` a certificate issued under a
    TSA root would also pass as a trusted signer: :func:`check_signer` then tells the signer's root apart.
    """
    import c2pa

    mime = image_mime(image_bytes)
    anchors = [*trust_roots, *tsa_roots]
    settings: dict[str, Any] = {"verify": {"verify_trust": bool(anchors)}}
    if anchors:
        settings["trust"] = {"trust_anchors": _pem(anchors)}
    try:
        context = c2pa.Context(settings=c2pa.Settings.from_json(json.dumps(settings)))
        with c2pa.Reader(mime, io.BytesIO(image_bytes), None, context) as reader:
            state = reader.get_validation_state() or "Invalid"
            results = reader.get_validation_results() or {}
            manifest = reader.get_active_manifest() or {}
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "not found" in str(exc).lower():
            return ImageCredentials("None", None, None, ("no C2PA manifest",))
        return ImageCredentials("Invalid", None, None, (str(exc),))
    except Exception as exc:
        # The library's Python layer parses the report it is handed (JSON) and raises whatever that parse meets
        # in a damaged or hostile store (KeyError for a missing active manifest, RecursionError for nesting):
        # to a relying party each means the same, the manifest cannot be read.
        return ImageCredentials("Invalid", None, None, (f"unreadable manifest: {type(exc).__name__}: {exc}",))
    active = results.get("activeManifest") or {}
    failed = active.get("failure", [])
    failures = tuple(f"{item.get('code')}: {item.get('explanation', '')}" for item in failed)
    codes = frozenset(str(item.get("code")) for key in ("success", "informational") for item in active.get(key, []))
    signed_at = (manifest.get("signature_info") or {}).get("time") if "timeStamp.validated" in codes else None
    bundle: dict[str, Any] | None = None
    iscc: str | None = None
    for assertion in manifest.get("assertions", []):
        label, data = assertion.get("label"), assertion.get("data")
        if label == REGISTRATION_LABEL and isinstance(data, dict):
            bundle = data
        elif label == SOFT_BINDING_LABEL and isinstance(data, dict) and data.get("alg") == ISCC_ALG:
            blocks = data.get("blocks") or []
            if blocks and isinstance(blocks[0], dict) and isinstance(blocks[0].get("value"), str):
                iscc = blocks[0]["value"]
    failure_codes = frozenset(str(item.get("code")) for item in failed)
    return ImageCredentials(state, bundle, iscc, failures, signed_at, failure_codes, codes)


# --------------------------------------------------------------------------------------------
# The claim signature, read by the verifier itself
# --------------------------------------------------------------------------------------------

# The unprotected header fields a C2PA signer writes: the RFC 3161 token of C2PA 2.x and the zero padding that
# fills the space reserved for the signature. Nothing else may be there: nothing signs this header.
_UNPROTECTED = {"sigTst2", "pad", "pad2"}
_COSE_SIGN1_TAG = 18
_X5CHAIN = 33


@dataclass(frozen=True)
class ClaimSignature:
    """The COSE_Sign1 claim signature of the active manifest, as the verifier reads it (not the C2PA library)."""

    protected: bytes  # the serialised protected header, as signed
    signature: bytes
    chain: tuple[x509.Certificate, ...]  # x5chain: the signer first
    token: bytes | None  # the sigTst2 RFC 3161 TimeStampToken, or None when the signature is not time-stamped

    def countersigned(self) -> bytes:
        """What a C2PA 2.x (``sigTst2``) token time-stamps: the COSE countersignature structure over the
        signature value (RFC 9338 Sig_structure with context "CounterSignature", no external data)."""
        import cbor2

        return bytes(cbor2.dumps(["CounterSignature", self.protected, b"", cbor2.dumps(self.signature)]))


def _malformed(en: str) -> ContentCredentialsError:
    return ContentCredentialsError(
        "claim_signature", f"内容凭证的签名结构被改动：{en}", f"the C2PA claim signature was altered: {en}"
    )


def claim_signature(image_bytes: bytes) -> ClaimSignature:
    """Read the image's manifest store box by box (:mod:`.jumbf`, which refuses a store whose structure or labels
    were changed) and the active manifest's claim signature, which must be encoded exactly as its signer
    writes it: one canonical CBOR encoding, only the known unprotected fields, padding of zeros, one token."""
    import cbor2

    from . import jumbf

    try:
        store = jumbf.parse_store(jumbf.manifest_store(image_bytes, image_mime(image_bytes)))
    except jumbf.ManifestStoreError as exc:
        raise ContentCredentialsError(exc.code, exc.message_zh, exc.message_en) from None
    cose = store.content(store.active.child(jumbf.SIGNATURE))
    try:
        value = cbor2.loads(cose)
        canonical = cbor2.dumps(value) == cose
    except (cbor2.CBORError, ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise _malformed(f"not CBOR ({exc})") from None
    if not canonical:
        raise _malformed("not encoded as its signer encodes it")
    if not (
        isinstance(value, cbor2.CBORTag) and value.tag == _COSE_SIGN1_TAG and isinstance(value.value, list | tuple)
    ):
        raise _malformed("not a COSE_Sign1")
    parts = value.value
    if len(parts) != 4 or not isinstance(parts[0], bytes) or not isinstance(parts[1], Mapping):
        raise _malformed("not a COSE_Sign1")
    protected, unprotected, payload, signature = parts
    if payload is not None or not isinstance(signature, bytes):
        raise _malformed("a C2PA claim signature has a detached payload and a signature value")
    unknown = set(unprotected) - _UNPROTECTED
    if unknown:
        raise _malformed(f"unexpected unprotected header fields {sorted(map(str, unknown))}")
    for pad in ("pad", "pad2"):
        if pad in unprotected and (not isinstance(unprotected[pad], bytes) or unprotected[pad].strip(b"\x00")):
            raise _malformed(f"the {pad} field is not zero padding")
    order = [key for key in ("sigTst2", "pad", "pad2") if key in unprotected]
    if list(unprotected) != order:
        raise _malformed("the unprotected fields are not in the order the signer writes them")
    if "pad2" in unprotected and _one_pad_fits(protected, unprotected, signature, len(cose)):
        # The signer adds a second padding field only when no single one can fill the reserved size exactly.
        raise _malformed("a second padding field where one suffices")
    return ClaimSignature(protected, signature, _x5chain(protected), _token(unprotected.get("sigTst2")))


def _one_pad_fits(protected: bytes, unprotected: Mapping[str, Any], signature: bytes, size: int) -> bool:
    import cbor2

    fields = {key: value for key, value in unprotected.items() if key not in ("pad", "pad2")}

    def length(pad: int) -> int:
        return len(
            cbor2.dumps(cbor2.CBORTag(_COSE_SIGN1_TAG, [protected, {**fields, "pad": bytes(pad)}, None, signature]))
        )

    estimate = max(0, size - length(0))
    return any(length(pad) == size for pad in range(max(0, estimate - 8), estimate + 9))


def _x5chain(protected: bytes) -> tuple[x509.Certificate, ...]:
    import cbor2

    try:
        header = cbor2.loads(protected)
        chain = header.get(_X5CHAIN) if isinstance(header, Mapping) else None
        ders = [chain] if isinstance(chain, bytes) else chain
        if not isinstance(ders, list | tuple) or not ders or not all(isinstance(d, bytes) for d in ders):
            raise ValueError("no x5chain")
        return tuple(x509.load_der_x509_certificate(d) for d in ders)
    except (cbor2.CBORError, ValueError, TypeError, RecursionError) as exc:
        raise _malformed(f"the protected header carries no readable certificate chain ({exc})") from None


def _token(container: object) -> bytes | None:
    if container is None:
        return None
    tokens = container.get("tstTokens") if isinstance(container, Mapping) and len(container) == 1 else None
    if not isinstance(tokens, list | tuple) or len(tokens) != 1:
        raise _malformed("sigTst2 must hold exactly one token")
    token = tokens[0]
    if not (isinstance(token, Mapping) and set(token) == {"val"} and isinstance(token["val"], bytes)):
        raise _malformed("sigTst2's token is not a byte string")
    return bytes(token["val"])


def check_signer(signature: ClaimSignature, roots: Sequence[x509.Certificate], *, at: dt.datetime) -> None:
    """The claim's signer chains to one of ``roots`` (the signing roots, not the TSA roots the C2PA library was
    also given), judged at ``at`` (the signature's trusted time)."""
    from cryptography.x509 import verification as x509_verification

    # Only the anchor is in question here: the C2PA library has already judged the chain's profile (key usage,
    # extended key usage, validity), so the leaf's extensions are not judged a second time.
    ca_policy = x509_verification.ExtensionPolicy.webpki_defaults_ca()
    ee_policy = x509_verification.ExtensionPolicy.permit_all()
    verifier = (
        x509_verification.PolicyBuilder()
        .store(x509_verification.Store(list(roots)))
        .time(at)
        .extension_policies(ca_policy=ca_policy, ee_policy=ee_policy)
        .build_client_verifier()
    )
    try:
        verifier.verify(signature.chain[0], list(signature.chain[1:]))
    except x509_verification.VerificationError as exc:
        raise ContentCredentialsError(
            "untrusted_signer",
            "内容凭证的签名者不是由受信任的签名根证书签发",
            f"the C2PA signer does not chain to a trusted signing root: {exc}",
        ) from None
