"""Content credentials for registered images: an ISCC image code and a C2PA manifest (no Django).

* :func:`iscc_image_code` is the ISO 24138 Content-Code Image (``iscc-core``), computed from the
  32×32 grayscale normalisation that ISCC specifies (EXIF orientation applied, transparency on
  white, uniform borders trimmed, grayscale, bicubic resize). It survives re-encoding and small
  edits, so it serves as the C2PA *soft binding*: it finds the registration again when the
  manifest has been stripped.
* :func:`sign_image` writes a C2PA manifest (``c2pa-python``) with three assertions:
  ``c2pa.actions`` (the registered copy was published by the registry), ``cn.artrights.registration``
  (the proof bundle, verifiable offline with ``artrights verify``) and ``c2pa.soft-binding`` with
  ``alg: io.iscc.v0`` and the ISCC code. The manifest's hard binding covers the image bytes. Given a
  time-stamping function, the claim signature also carries an RFC 3161 token (C2PA ``sigTst``), so
  the signing time is attested by a TSA rather than asserted by the signer.
* :func:`read_image` returns the C2PA validation state (``Trusted`` when the signer chains to a
  given root, ``Valid`` when intact but the root was not given, ``Invalid`` otherwise), the
  embedded bundle and the ISCC code from the soft binding.
"""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
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
    import iscc_core

    return str(iscc_core.gen_image_code_v0(_normalise(_open(image_bytes)), bits=64)["iscc"])


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


def _pem(certs: Sequence[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def read_image(image_bytes: bytes, *, trust_roots: Sequence[x509.Certificate] = ()) -> ImageCredentials:
    """Validate the image's C2PA manifest; return its state, proof bundle and ISCC soft binding."""
    import c2pa

    mime = image_mime(image_bytes)
    settings: dict[str, Any] = {"verify": {"verify_trust": bool(trust_roots)}}
    if trust_roots:
        settings["trust"] = {"trust_anchors": _pem(trust_roots)}
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
    active = results.get("activeManifest") or {}
    failures = tuple(f"{item.get('code')}: {item.get('explanation', '')}" for item in active.get("failure", []))
    stamped = any(item.get("code") == "timeStamp.validated" for item in active.get("success", []))
    signed_at = (manifest.get("signature_info") or {}).get("time") if stamped else None
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
    return ImageCredentials(state, bundle, iscc, failures, signed_at)
