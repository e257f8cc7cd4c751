"""Every grant carries its certificate: the job commits with the grant, a sweep repairs what a killed process left,
a client that lost the answer retries safely, and files no record names are collected."""

import datetime as dt
import json
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from artrights.core.models import StoredFile
from artrights.core.services import collect_orphan_files
from artrights.registry import issuance, numbers, services
from artrights.registry.models import Certificate, Status, Work
from artrights.testing import bearer

from .factories import OWNER, artwork_png, samples, upload, work_fields

pytestmark = pytest.mark.django_db


def _filed_without_its_job(artist, seed):
    """A digital filing whose after-commit certificate job never ran (the process died right after the commit)."""
    return services.file_digital_work(
        user=artist, fields=work_fields(title=f"作品{seed}"), owners=[OWNER], files=samples(seed)
    )


def test_a_grant_commits_with_its_certificate_job_and_the_sweep_makes_the_lost_certificate(artist):
    work = _filed_without_its_job(artist, 81)
    work.refresh_from_db()
    assert work.status == Status.FILED and work.certificate_due_since is not None
    assert not work.certificates.exists()
    # A fresh grant is left to its own job for a while; a lost one is repaired by the next sweep.
    assert issuance.issue_due() == 0
    assert issuance.issue_due(older_than=dt.timedelta(0)) == 1
    work.refresh_from_db()
    assert work.certificate_due_since is None
    certificate = work.certificates.get()
    assert certificate.pdf.read().startswith(b"%PDF-") and certificate.reason == "首次签发"
    assert issuance.issue_due(older_than=dt.timedelta(0)) == 0  # nothing left to do


def test_a_late_job_after_the_sweep_gives_back_the_same_certificate(artist):
    work = _filed_without_its_job(artist, 82)
    issuance.issue_due(older_than=dt.timedelta(0))
    again = issuance.issue_certificate(work=work)  # the queued job, run after the sweep repaired the grant
    assert list(work.certificates.values_list("pk", flat=True)) == [again.pk]


def test_a_change_marks_a_new_certificate_due_until_it_is_made(artist, registrar):
    work = _filed_without_its_job(artist, 83)
    issuance.issue_due(older_than=dt.timedelta(0))
    services.change(work=work, registrar=registrar, fields={"title": "新名字"}, reason="更正名称")
    work.refresh_from_db()
    assert work.certificate_due_since is not None
    issuance.issue_due(older_than=dt.timedelta(0))
    assert [c.reason for c in work.certificates.all()] == ["变更后换发", "首次签发"]


def test_a_revoked_work_leaves_the_sweep(artist, registrar):
    work = _filed_without_its_job(artist, 84)
    services.revoke(work=work, registrar=registrar, ground="facts_mismatch", reason="冒名申请")
    assert issuance.issue_due(older_than=dt.timedelta(0)) == 0
    work.refresh_from_db()
    assert work.certificate_due_since is None and not work.certificates.exists()


def test_a_filing_that_fails_before_its_grant_commits_spends_no_number_and_its_retry_files_the_draft(
    artist, monkeypatch
):
    def broken() -> str:
        raise RuntimeError("the process died here")

    fields, files = work_fields(title="半途"), samples(85)
    with monkeypatch.context() as patch:
        patch.setattr(numbers, "digital_filing_number", broken)
        with pytest.raises(RuntimeError):
            services.file_digital_work(user=artist, fields=fields, owners=[OWNER], files=files, client_key="k-85")
    left = Work.objects.get()
    assert left.status == Status.DRAFT and left.number is None and left.log_index is None
    again = services.file_digital_work(user=artist, fields=fields, owners=[OWNER], files=files, client_key="k-85")
    assert again.pk == left.pk and again.status == Status.FILED and Work.objects.count() == 1


def test_a_long_cjk_upload_name_still_gets_its_certificate_and_credentialed_copy(artist):
    name = "\U00020000" * 85 + "艺" * 300 + ".png"
    work = services.file_digital_work(
        user=artist,
        fields=work_fields(title="长名字"),
        owners=[OWNER],
        files=[services.SampleInput(upload(artwork_png(86), name=name))],
        issue_now=True,
    )
    certificate = work.certificates.get()
    for field in (certificate.pdf, certificate.credentialed_image):
        assert len(os.path.basename(str(field.name)).encode()) <= 255
        assert field.read()


def _api_filing(client, raw, seed, key=None, title="重试的画"):
    data = json.dumps(
        {"title": title, "work_type": "FINE_ART", "authors": [{"name": "林画家"}], "completed_on": "2026-01-02"}
    )
    headers = bearer(raw) | ({"HTTP_IDEMPOTENCY_KEY": key} if key else {})
    return client.post("/api/registry/digital-filings", {"data": data, "image": upload(artwork_png(seed))}, **headers)


def test_a_client_that_lost_the_answer_retries_with_its_key_and_gets_the_same_filing(client, artist):
    from artrights.accounts.services import issue_token

    raw = issue_token(user=artist, name="batch", scopes=["read", "write"])[1]
    first = _api_filing(client, raw, 87, key="batch-0001")
    assert first.status_code == 201, first.content
    again = _api_filing(client, raw, 87, key="batch-0001")
    assert again.status_code == 200 and again.json()["number"] == first.json()["number"]
    assert Work.objects.count() == 1
    # The key belongs to that request: other content under it is refused, and nothing is filed.
    other = _api_filing(client, raw, 88, key="batch-0001", title="另一幅")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert Work.objects.count() == 1
    # Without a key, a repeat is a second submission of the same file, refused as before.
    assert _api_filing(client, raw, 87).status_code == 422


def test_the_api_answers_the_filing_at_once_and_tells_when_the_certificate_is_ready(
    client, artist, django_capture_on_commit_callbacks
):
    from artrights.accounts.services import issue_token

    raw = issue_token(user=artist, name="batch", scopes=["read", "write"])[1]
    with django_capture_on_commit_callbacks(execute=False):
        body = _api_filing(client, raw, 89).json()
    assert body["status"] == "filed" and body["certificate_ready"] is False
    issuance.issue_due(older_than=dt.timedelta(0))
    assert client.get(f"/api/registry/works/{body['id']}", **bearer(raw)).json()["certificate_ready"] is True


def test_files_no_record_names_are_collected_once_they_are_old_enough(artist, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # this test's storage only: other tests' files are not its records
    work = _filed_without_its_job(artist, 90)
    issuance.issue_due(older_than=dt.timedelta(0))
    orphan = default_storage.save("certificates/interrupted.pdf", ContentFile(b"%PDF-1.7 half written"))
    kept = [str(c.pdf.name) for c in Certificate.objects.filter(work=work)]
    assert collect_orphan_files() == []  # younger than the grace period: maybe a transaction still open
    assert collect_orphan_files(older_than=dt.timedelta(0), dry_run=True) == [orphan]
    assert default_storage.exists(orphan)
    call_command("collect_orphans", "--older-than", "0")
    assert not default_storage.exists(orphan)
    assert all(default_storage.exists(name) for name in kept)
    assert all(default_storage.exists(f.file.name) for f in StoredFile.objects.all())
