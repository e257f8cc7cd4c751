"""Evidence packages: the manifest of a piece of fixed electronic evidence, and reading a package back (no Django).

A package is a WACZ file (a ZIP, https://specs.webrecorder.net/wacz/1.1.1/) that any web-archive tool opens,
with the platform's proof beside the web archive::

    archive/data.warc.gz     every request and response of a captured page, or the given files as resource records
    indexes/index.cdx.gz     } WACZ's own index, page list and table of contents: datapackage.json lists every
    pages/pages.jsonl        } file of the package with its SHA-256, datapackage-digest.json the SHA-256 of
    datapackage.json         } datapackage.json (what `wacz validate` checks)
    datapackage-digest.json  }
    evidence/manifest.json   canonical JSON (RFC 8785): what was captured, how, from where, by whom, and every
                             artifact's path, size, SHA-256 and SM3 (GB/T 32905)
    evidence/manifest.tsr    RFC 3161 TimeStampResp over the bytes of manifest.json
    evidence/tsa-chain.pem   the time-stamping authority's certificates (for `openssl ts -verify -untrusted`)
    evidence/proof.json      the proof bundle of the public log entry, whose statement names the manifest's hashes
    evidence/report.pdf      the signed report (Chinese first), embedding proof.json as certificate.json
    evidence/..., images/..., files/...   the artifacts the manifest lists (screenshot, PDF print, DOM, images,
                             the files a person gave)

Every path is two levels deep: WACZ validators compare only a file's folder and name with datapackage.json.

Manifest (``artrights-evidence/v1``)::

    {"format": "artrights-evidence/v1", "registry": "<log origin>", "number": "EV-2026-000001",
     "kind": "web_page" | "files" | "match_report",
     "source": {"url": ..., "final_url": ..., "title": ..., "description": ...},
     "requested_by": {"name": ..., "account": ...},
     "captured": {"started": "<ISO 8601 UTC>", "finished": "..."},
     "environment": {...}, "requests": [...], "log": [...],
     "artifacts": [{"path": "evidence/screenshot.png", "mime": "image/png", "size": 1234,
                    "sha256": "<hex>", "sm3": "<hex>"}]}

The log statement (``artrights/evidence@v1``) holds only hashes and a commitment to the requester: the
manifest's SHA-256 and SM3, the number of artifacts and the SHA-256 of the source URL. Whoever holds the package
checks, offline: each artifact against the manifest, the manifest's own timestamp, the manifest against the log
statement, the statement's inclusion proof and timestamp, and the report's signature (``verify.verify_package``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from artrights.core.errors import BilingualError

from .canonical import Opening, canonical
from .statements import StatementType, iso_time

FORMAT = "artrights-evidence/v1"
KINDS = ("web_page", "files", "match_report")

MANIFEST = "evidence/manifest.json"
MANIFEST_TOKEN = "evidence/manifest.tsr"
TSA_CHAIN = "evidence/tsa-chain.pem"
PROOF = "evidence/proof.json"
REPORT = "evidence/report.pdf"
WARC = "archive/data.warc.gz"
DATAPACKAGE = "datapackage.json"
DATAPACKAGE_DIGEST = "datapackage-digest.json"
# The files the platform adds after the manifest is made; everything else in the package is an artifact or WACZ's.
SEAL_FILES = (MANIFEST, MANIFEST_TOKEN, TSA_CHAIN, PROOF, REPORT)

# A package holds a page's screenshot, archive and images: tens of megabytes. A ZIP that claims far more (or
# thousands of entries) is not one of ours, and reading it would exhaust memory.
MAX_ENTRIES = 2000
MAX_UNPACKED_BYTES = 400 * 1024 * 1024


class PackageError(BilingualError, ValueError):
    """A file that is not a readable evidence package; ``code`` is the check that failed."""


def sm3_available() -> bool:
    try:
        hashlib.new("sm3")
    except ValueError:
        return False
    return True


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905) through OpenSSL; raises ValueError where the OpenSSL build lacks it."""
    return hashlib.new("sm3", data).hexdigest()


@dataclass(frozen=True)
class Artifact:
    path: str
    data: bytes = field(repr=False)
    mime: str

    def entry(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "mime": self.mime,
            "size": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "sm3": sm3_hex(self.data),
        }


def artifact_path(folder: str, name: str) -> str:
    """A package path two levels deep whatever ``name`` holds (a user's file name may carry slashes)."""
    safe = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    safe = "".join(c if c.isprintable() and c not in ':*?"<>|' else "_" for c in safe)
    return f"{folder}/{safe[:120]}"


def build_manifest(
    *,
    registry: str,
    number: str,
    kind: str,
    source: Mapping[str, Any],
    requested_by: Mapping[str, Any],
    started: dt.datetime,
    finished: dt.datetime,
    environment: Mapping[str, Any],
    requests: Sequence[Mapping[str, Any]],
    log: Sequence[Mapping[str, Any]],
    artifacts: Sequence[Artifact],
) -> bytes:
    """The manifest's canonical bytes: what the timestamp, the log statement and the report all refer to."""
    if kind not in KINDS:
        raise ValueError(f"unknown evidence kind {kind!r}")
    paths = [a.path for a in artifacts]
    if len(set(paths)) != len(paths) or any(p in SEAL_FILES for p in paths):
        raise ValueError("artifact paths must be unique and not those of the seal files")
    return canonical(
        {
            "format": FORMAT,
            "registry": registry,
            "number": number,
            "kind": kind,
            "source": dict(source),
            "requested_by": dict(requested_by),
            "captured": {"started": iso_time(started), "finished": iso_time(finished)},
            "environment": dict(environment),
            "requests": [dict(r) for r in requests],
            "log": [dict(entry) for entry in log],
            "artifacts": [a.entry() for a in artifacts],
        }
    )


def evidence_statement(
    *,
    registry: str,
    number: str,
    registered_at: dt.datetime,
    manifest: bytes,
    requester: str | dict[str, Any],
    source_url: str = "",
    refers_to: Sequence[str] = (),
) -> tuple[dict[str, Any], Opening]:
    """The public log statement of a sealed package (hashes and a commitment only) and the requester's opening."""
    parsed = json.loads(manifest)
    opening = Opening.new(requester)
    statement = {
        "type": StatementType.EVIDENCE.value,
        "registry": registry,
        "number": number,
        "registered_at": iso_time(registered_at),
        "evidence": {
            "format": FORMAT,
            "kind": parsed["kind"],
            "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
            "manifest_sm3": sm3_hex(manifest),
            "artifacts": len(parsed["artifacts"]),
            "source_url_sha256": hashlib.sha256(source_url.encode()).hexdigest() if source_url else None,
        },
        "parties": [{"role": "requester", "commitment": opening.commitment}],
        "refers_to": list(refers_to),
    }
    return statement, opening


# --------------------------------------------------------------------------------------------
# Reading a package
# --------------------------------------------------------------------------------------------


@dataclass
class Package:
    files: dict[str, bytes]
    manifest_bytes: bytes
    manifest: dict[str, Any]
    # Members whose bytes no longer match the ZIP's own CRC-32 (a byte changed in place): named, not read.
    damaged: dict[str, str] = field(default_factory=dict)

    @property
    def number(self) -> str:
        return str(self.manifest.get("number", ""))


def is_package(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_package(data: bytes) -> Package:
    """The files of a package and its parsed manifest, or PackageError (``package``) saying what is wrong."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise PackageError("package", "证据包过大或文件过多", "the package is too large or holds too many files")
        files, damaged = _members(archive, infos)
    except PackageError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        # A CRC mismatch (a flipped byte in a stored file) lands here too: zipfile checks it while reading.
        raise PackageError(
            "package", "证据包已损坏或不是 ZIP/WACZ 文件", f"the package is damaged or not a ZIP/WACZ file: {exc}"
        ) from None
    if MANIFEST in damaged:
        raise PackageError("manifest", "证据清单已损坏（ZIP 校验值不符）", "the manifest is damaged (ZIP CRC mismatch)")
    missing = [name for name in (*SEAL_FILES, DATAPACKAGE) if name not in files and name not in damaged]
    if missing:
        raise PackageError(
            "package", f"证据包缺少文件：{', '.join(missing)}", f"the package lacks {', '.join(missing)}"
        )
    try:
        manifest = json.loads(files[MANIFEST])
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError(f"format is not {FORMAT}")
        if not isinstance(manifest.get("artifacts"), list):
            raise ValueError("no artifact list")
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackageError("manifest", "证据清单无法读取", f"the manifest cannot be read: {exc}") from None
    return Package(files=files, manifest_bytes=files[MANIFEST], manifest=manifest, damaged=damaged)


def _members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[dict[str, bytes], dict[str, str]]:
    files: dict[str, bytes] = {}
    damaged: dict[str, str] = {}
    for info in infos:
        if info.is_dir():
            continue
        try:
            files[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, zlib.error) as exc:  # a changed byte: zipfile checks the CRC as it reads
            damaged[info.filename] = str(exc)
    return files, damaged


def check_damaged(package: Package) -> list[Finding]:
    """Members whose bytes changed in place, each by name."""
    return [
        Finding("package", path, "文件已损坏或被改动（ZIP 校验值不符）", "the file is damaged or was altered (CRC)")
        for path in sorted(package.damaged)
    ]


@dataclass(frozen=True)
class Finding:
    """One failed check of a package: the check's name, the file it concerns, and what is wrong."""

    check: str
    path: str
    zh: str
    en: str


def check_datapackage(package: Package) -> list[Finding]:
    """WACZ's own table of contents: every listed file present with its SHA-256, and the digest of the table."""
    findings: list[Finding] = []
    raw = package.files.get(DATAPACKAGE)
    if raw is None:
        return []  # damaged in place: named by check_damaged
    try:
        resources = json.loads(raw)["resources"]
        listed = {r["path"]: r for r in resources}
    except (ValueError, KeyError, TypeError) as exc:
        return [Finding("datapackage", DATAPACKAGE, "WACZ 目录无法读取", f"datapackage.json cannot be read: {exc}")]
    for path, resource in listed.items():
        data = package.files.get(path)
        if path in package.damaged:
            continue  # named once, by check_damaged
        if data is None:
            findings.append(Finding("datapackage", path, "WACZ 目录列出的文件不存在", "a listed file is missing"))
        elif resource.get("hash") != "sha256:" + hashlib.sha256(data).hexdigest():
            findings.append(
                Finding(
                    "datapackage", path, "文件与 WACZ 目录中的哈希值不符", "the file does not match its listed hash"
                )
            )
    for path in package.files:
        if path not in listed and path not in (DATAPACKAGE, DATAPACKAGE_DIGEST):
            findings.append(Finding("datapackage", path, "文件没有列在 WACZ 目录中", "the file is not listed"))
    digest = package.files.get(DATAPACKAGE_DIGEST)
    if digest is not None:
        try:
            ok = json.loads(digest).get("hash") == "sha256:" + hashlib.sha256(raw).hexdigest()
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            findings.append(
                Finding("datapackage", DATAPACKAGE_DIGEST, "WACZ 目录的摘要不符", "datapackage.json's digest differs")
            )
    return findings


def check_artifacts(package: Package, *, with_sm3: bool = True) -> list[Finding]:
    """Every artifact the manifest lists: present, of the listed size, SHA-256 and (where OpenSSL has it) SM3."""
    findings: list[Finding] = []
    for entry in package.manifest["artifacts"]:
        path = str(entry.get("path", "")) if isinstance(entry, dict) else ""
        data = package.files.get(path)
        if path in package.damaged:
            findings.append(Finding("artifacts", path, "文件已损坏或被改动", "the artifact is damaged or was altered"))
            continue
        if data is None:
            findings.append(Finding("artifacts", path, "清单列出的文件不在证据包中", "a listed artifact is missing"))
            continue
        if len(data) != entry.get("size") or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            findings.append(
                Finding("artifacts", path, "文件的 SHA-256 哈希值与清单不符", "the artifact's SHA-256 differs")
            )
        elif with_sm3 and sm3_hex(data) != entry.get("sm3"):
            findings.append(Finding("artifacts", path, "文件的 SM3 哈希值与清单不符", "the artifact's SM3 differs"))
    return findings


def check_warc(package: Package) -> list[Finding]:
    """The web archive reads record by record, and every record's block and payload digest holds."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    data = package.files.get(WARC)
    if data is None:
        return [Finding("warc", WARC, "证据包中没有网页存档（WARC）", "the package holds no WARC")]
    try:
        # warcio stops quietly at a damaged gzip member (it prints to stderr and ends the iteration), so the whole
        # archive is inflated first: a bad member raises here, with its reason.
        plain = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        records = 0
        iterator = ArchiveIterator(io.BytesIO(plain), check_digests=True)
        for record in iterator:
            record.content_stream().read()
            records += 1
            if record.digest_checker.passed is False:
                raise ValueError(f"record {records} ({record.rec_headers.get_header('WARC-Target-URI')}) digest")
    except (ArchiveLoadFailed, ValueError, OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
        return [Finding("warc", WARC, "网页存档（WARC）无法读取或记录摘要不符", f"the WARC is damaged: {exc}")]
    if records == 0:
        return [Finding("warc", WARC, "网页存档（WARC）没有记录", "the WARC holds no records")]
    return []


def check_manifest_in_statement(package: Package, statement: Mapping[str, Any]) -> list[Finding]:
    """The log statement names this manifest (by SHA-256, and SM3 where available) and this number."""
    evidence = statement.get("evidence") if isinstance(statement.get("evidence"), dict) else None
    if statement.get("type") != StatementType.EVIDENCE or evidence is None:
        return [Finding("manifest_in_log", PROOF, "证明包不是电子证据的声明", "the proof is not an evidence statement")]
    if evidence.get("manifest_sha256") != hashlib.sha256(package.manifest_bytes).hexdigest():
        return [
            Finding(
                "manifest_in_log", MANIFEST, "证据清单与公开日志中的哈希值不符", "the manifest differs from the log's"
            )
        ]
    if statement.get("number") != package.number:
        return [Finding("manifest_in_log", MANIFEST, "证据编号与公开日志不符", "the number differs from the log's")]
    return []


def tsa_chain_pems(text: bytes) -> list[bytes]:
    """The PEM blocks of evidence/tsa-chain.pem, in order."""
    marker = b"-----END CERTIFICATE-----"
    return [block.strip() + b"\n" + marker + b"\n" for block in text.split(marker) if block.strip()]
