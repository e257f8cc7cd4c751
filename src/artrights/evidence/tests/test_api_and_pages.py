"""The evidence API as a rights holder's system uses it with a token, and the pages' moving parts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from artrights.accounts.services import issue_token
from artrights.evidence.models import EvidenceRecord, EvidenceStatus
from artrights.evidence.tests import factories
from artrights.registry.tests.factories import artwork_png
from artrights.registry.verification import platform_trust
from artrights.testing import bearer
from artrights.verify import verify_bytes

pytestmark = pytest.mark.django_db


def test_a_token_fixes_files_reads_the_record_downloads_and_reverifies_the_package(
    client, artist, django_capture_on_commit_callbacks
):
    raw = issue_token(user=artist, name="shop-watcher", scopes=["read", "write"])[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/evidence/files",
            {
                "files": [SimpleUploadedFile("shot.png", artwork_png(9), content_type="image/png")],
                "description": "商品页截图",
            },
            **bearer(raw),
        )
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    record = client.get(f"/api/evidence/{number}", **bearer(raw)).json()
    assert record["status"] == "sealed" and record["log_index"] is not None
    assert [a["path"] for a in record["artifacts"]] == ["files/01-shot.png", "archive/data.warc.gz"]
    package = client.get(f"/api/evidence/{number}/package", **bearer(raw))
    assert package.status_code == 200 and verify_bytes(package.content, platform_trust()).ok
    checked = client.post(f"/api/evidence/{number}/verify", **bearer(raw)).json()
    assert checked == {"valid": True, "failures": []}
    assert EvidenceRecord.objects.get(number=number).status == EvidenceStatus.VERIFIED


def test_a_record_whose_stored_package_was_altered_fails_reverification_and_says_which_file(client, artist):
    record = factories.sealed_files(artist)
    data = record.package.open("rb").read()
    name = record.package.name
    storage = record.package.storage
    storage.delete(name)
    storage.save(name, __import__("io").BytesIO(data.replace(b"files/02-chat.txt", b"files/02-chaT.txt", 1)))
    client.force_login(artist)
    response = client.post(f"/evidence/{record.number}/verify/", follow=True)
    assert "核验未通过" in response.content.decode()
    record.refresh_from_db()
    assert record.status == EvidenceStatus.VERIFY_FAILED
    last = record.custody.order_by("-seq").first()
    assert last is not None and last.detail["valid"] is False


def test_a_record_being_captured_shows_its_steps_and_asks_for_its_panel_again(client, artist):
    record = EvidenceRecord.objects.create(kind="web_page", requester=artist, requester_name="x", number="EV-2026-9")
    client.force_login(artist)
    page = client.get(f"/evidence/{record.number}/").content.decode()
    assert 'data-testid="progress"' in page and "hx-trigger" in page
    panel = client.get(f"/evidence/{record.number}/panel").content.decode()
    assert "hx-get" in panel and f"/evidence/{record.number}/panel" in panel


def test_too_many_files_or_no_description_is_refused_on_the_page_and_nothing_is_kept(client, artist, settings):
    settings.ARTRIGHTS_EVIDENCE_MAX_FILES = 1
    client.force_login(artist)
    files = [SimpleUploadedFile(f"{i}.png", artwork_png(i), content_type="image/png") for i in range(2)]
    page = client.post("/evidence/", {"form": "files", "uploads": files, "description": "两张截图"})
    assert "一次最多固化 1 个文件" in page.content.decode()
    page = client.post(
        "/evidence/", {"form": "files", "uploads": [factories.upload()], "description": "  "}
    ).content.decode()
    assert "errors" in page
    assert not EvidenceRecord.objects.exists()


def test_a_custody_event_altered_in_the_database_breaks_the_chain_the_page_shows(client, artist):
    from artrights.evidence import services
    from artrights.testing import drop_append_only_guard, raw_sql

    record = factories.sealed_files(artist)
    assert services.custody_intact(record)
    drop_append_only_guard("evidence_custodyevent")
    raw_sql(
        "UPDATE evidence_custodyevent SET actor_name = %s WHERE record_id = %s AND seq = 1", ["someone else", record.pk]
    )
    assert not services.custody_intact(record)
    client.force_login(artist)
    assert "保管记录的哈希链不完整" in client.get(f"/evidence/{record.number}/").content.decode()
