"""Writing the WACZ package and the WARC of files a person gave (the layout is in ``proofs.evidence``).

py-wacz builds the WACZ part (the index, the page list and the table of contents) from the WARC, so the package
is the one any web-archive player opens and ``wacz validate`` accepts; the platform's seal files and artifacts
are then added beside it and listed in the same table of contents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from artrights.proofs.evidence import DATAPACKAGE, DATAPACKAGE_DIGEST, WARC, Artifact

TOOL = "ArtRights evidence"


def files_warc(*, number: str, files: Sequence[Artifact], started: dt.datetime) -> bytes:
    """A WARC holding each given file as a ``resource`` record, so a package of files is a web archive too."""
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("data.warc.gz", {"software": TOOL, "format": "WARC/1.1"}))
    for artifact in files:
        record = writer.create_warc_record(
            resource_uri(number, artifact.path),
            "resource",
            payload=io.BytesIO(artifact.data),
            warc_content_type=artifact.mime or "application/octet-stream",
            warc_headers_dict={"WARC-Date": started.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        writer.write_record(record)
    return out.getvalue()


def resource_uri(number: str, path: str) -> str:
    return f"urn:artrights:evidence:{number}:{path}"


def build_package(
    *,
    warc: bytes,
    pages: Sequence[Mapping[str, Any]],
    extra: Sequence[tuple[str, bytes]],
    title: str,
    main_url: str,
) -> bytes:
    """The WACZ bytes: py-wacz's archive, index and page list, plus ``extra`` (path, bytes) in the table."""
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="artrights-wacz-") as folder:
        warc_path = os.path.join(folder, "data.warc.gz")
        pages_path = os.path.join(folder, "pages.jsonl")
        out_path = os.path.join(folder, "out.wacz")
        with open(warc_path, "wb") as fh:
            fh.write(warc)
        with open(pages_path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Pages"}) + "\n")
            for page in pages:
                fh.write(json.dumps(dict(page), ensure_ascii=False) + "\n")
        arguments = ["create", "-o", out_path, warc_path, "-p", pages_path, "--title", title]
        if main_url:
            arguments += ["--url", main_url]
        # py-wacz narrates every step on stdout; the worker's log is not the place for it.
        with contextlib.redirect_stdout(io.StringIO()):
            status = wacz_main(arguments)
        if status not in (0, None):
            raise RuntimeError(f"py-wacz could not build the package (status {status})")
        with open(out_path, "rb") as fh:
            return _add_files(fh.read(), extra)


def _add_files(base: bytes, extra: Sequence[tuple[str, bytes]]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(base))
    datapackage = json.loads(source.read(DATAPACKAGE))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in (DATAPACKAGE, DATAPACKAGE_DIGEST):
                continue
            target.writestr(info, source.read(info))
        for path, data in extra:
            if path == WARC:
                continue  # py-wacz wrote it already
            # Stored, not deflated: WACZ readers seek into archives and images without inflating them.
            target.writestr(zipfile.ZipInfo(path, _zip_time()), data, compress_type=zipfile.ZIP_STORED)
            datapackage["resources"].append(
                {
                    "name": os.path.basename(path).lower(),
                    "path": path,
                    "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                    "bytes": len(data),
                }
            )
        table = json.dumps(datapackage, indent=2, ensure_ascii=False).encode()
        target.writestr(zipfile.ZipInfo(DATAPACKAGE, _zip_time()), table)
        digest = {"path": DATAPACKAGE, "hash": "sha256:" + hashlib.sha256(table).hexdigest()}
        target.writestr(zipfile.ZipInfo(DATAPACKAGE_DIGEST, _zip_time()), json.dumps(digest, indent=2))
    return out.getvalue()


def _zip_time() -> tuple[int, int, int, int, int, int]:
    now = dt.datetime.now(dt.UTC)
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)
