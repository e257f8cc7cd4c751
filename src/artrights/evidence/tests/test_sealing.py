"""Files and match reports fixed as evidence: sealed once, in the public log, in a package anyone can verify."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from artrights.evidence import services
from artrights.evidence.models import CustodyAction, EvidenceRecord, EvidenceStatus
from artrights.evidence.tests import factories
from artrights.ledger.models import LogEntry
from artrights.registry.verification import platform_trust
from artrights.verify import verify_bytes

pytestmark = pytest.mark.django_db


def test_uploaded_files_are_sealed_into_a_package_that_verifies_offline(artist):
    record = factories.sealed_files(artist)
    assert record.status == EvidenceStatus.SEALED
    assert record.number.startswith("EV-")
    data = record.package.open("rb").read()
    verdict = verify_bytes(data, platform_trust())
    assert verdict.ok, verdict.summary()
    assert verdict.number == record.number and verdict.log_index == record.log_index
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    for name in (
        "archive/data.warc.gz",
        "datapackage.json",
        "evidence/manifest.json",
        "evidence/manifest.tsr",
        "evidence/report.pdf",
        "evidence/proof.json",
        "files/01-screenshot.png",
        "files/02-chat.txt",
    ):
        assert name in names, name


def test_the_log_holds_only_hashes_and_a_commitment_to_the_requester(artist):
    record = factories.sealed_files(artist)
    assert record.log_index is not None
    entry = LogEntry.objects.get(index=record.log_index)
    text = bytes(entry.data).decode()
    statement = json.loads(text)
    assert statement["evidence"]["manifest_sha256"] == hashlib.sha256(record.manifest.encode()).hexdigest()
    assert "林画家" not in text and "shop.example.com" not in text
    assert statement["parties"][0]["role"] == "requester"


def test_the_manifest_lists_every_file_with_sha256_and_sm3(artist):
    record = factories.sealed_files(artist)
    manifest = json.loads(record.manifest)
    by_path = {a["path"]: a for a in manifest["artifacts"]}
    chat = by_path["files/02-chat.txt"]
    assert chat["sha256"] == hashlib.sha256("对方承认复制了作品".encode()).hexdigest()
    assert chat["sm3"] == hashlib.new("sm3", "对方承认复制了作品".encode()).hexdigest()
    assert manifest["requested_by"]["account"] == artist.username


def test_sealing_again_changes_nothing_and_custody_records_each_step(artist):
    record = factories.sealed_files(artist)
    index, package = record.log_index, record.package_sha256
    again = services.seal(record_id=record.pk)
    assert (again.log_index, again.package_sha256) == (index, package)
    actions = list(record.custody.values_list("action", flat=True))
    assert actions == [
        CustodyAction.CREATED,
        CustodyAction.CAPTURED,
        CustodyAction.TIMESTAMPED,
        CustodyAction.ANCHORED,
        CustodyAction.SEALED,
    ]
    assert services.custody_intact(record)


def test_a_sealing_interrupted_after_the_log_entry_is_finished_by_the_sweep_without_a_second_entry(artist):
    record = services.record_files(user=artist, uploads=[factories.upload()], description="截图")
    record = services._timestamp(EvidenceRecord.objects.get(pk=record.pk))
    record = services._anchor(record)
    assert record.status == EvidenceStatus.ANCHORED  # the worker died here
    entries = LogEntry.objects.count()
    EvidenceRecord.objects.filter(pk=record.pk).update(updated_at=record.updated_at - services.STALLED_AFTER * 2)
    assert services.seal_due() >= 1
    record.refresh_from_db()
    assert record.status == EvidenceStatus.SEALED and LogEntry.objects.count() == entries
