"""The software registration pages: the form, the draft with its deposit, the registrar's side-by-side passages,
refused archives, outsiders, and the public record and verification of a software certificate."""

from __future__ import annotations

import pytest
from django.utils import translation

from artrights.core.models import StoredFile
from artrights.registry import services
from artrights.registry.models import Status, Work

from .factories import manual, software_application, source_zip, upload, zip_tree

pytestmark = pytest.mark.django_db


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "大芬画廊收银系统",
        "short_name": "收银系统",
        "version": "V2.1",
        "category": "application",
        "development_mode": "independent",
        "completed_on": "2026-06-01",
        "publish_status": "unpublished",
        "obtain_mode": "original",
        "rights": ["publication", "authorship", "reproduction"],
        "hardware_environment": "PC 服务器",
        "software_environment": "Linux，Python 3.11",
        "languages": "Python",
        "main_functions": "收银、开票。",
        "technical_features": "离线收银。",
        "source_archive": source_zip(21),
        "documentation": manual(),
    }
    data.update(overrides)
    return data


def test_the_applicant_files_software_and_sees_the_deposit_to_review_before_submitting(artist_client):
    response = artist_client.post("/registry/software/", form_data(), follow=True)
    page = response.content.decode()
    work = Work.objects.get()
    assert work.kind == "software" and work.status == Status.DRAFT
    assert "请核对鉴别材料" in page and "源程序鉴别材料" in page and "文档鉴别材料" in page
    assert work.software.tree_sha256 in page
    assert "V2.1" in page and "收银系统" in page


def test_an_archive_that_climbs_out_of_the_tree_is_refused_with_the_reason_and_nothing_is_kept(artist_client):
    bad = upload(zip_tree({"../../evil.py": "x = 1\n"}), "evil.zip", "application/zip")
    response = artist_client.post("/registry/software/", form_data(source_archive=bad))
    assert "指向源程序目录之外" in response.content.decode()
    assert not Work.objects.exists() and not StoredFile.objects.exists()


def test_the_refusal_reads_in_english_for_an_english_reader(artist_client):
    bad = upload(b"not an archive", "src.zip", "application/zip")
    with translation.override("en"):
        response = artist_client.post("/registry/software/", form_data(source_archive=bad), HTTP_ACCEPT_LANGUAGE="en")
    assert "could not be unpacked" in response.content.decode()


def test_a_bad_blacked_out_range_is_explained(artist_client):
    response = artist_client.post("/registry/software/", form_data(redactions="第十行"))
    assert "起始行-结束行" in response.content.decode()
    assert not Work.objects.exists()


def test_the_registrar_sees_the_matching_passages_side_by_side_and_the_copier_does_not(
    client, artist, outsider, registrar
):
    original = software_application(artist, seed=22)
    services.submit(work=original, user=artist)
    copy = software_application(outsider, seed=22, title="照抄的系统")
    services.submit(work=copy, user=outsider)
    client.force_login(registrar)
    page = client.get(f"/registry/works/{copy.pk}/").content.decode()
    assert 'data-testid="passages"' in page and "step_22_0" in page
    assert 'data-testid="action-clear_hold"' in page
    client.force_login(outsider)
    own = client.get(f"/registry/works/{copy.pk}/").content.decode()
    assert "待人工审查" in own and 'data-testid="passages"' not in own and "step_22_0" not in own


def test_an_outsider_cannot_open_someone_elses_software(client, artist, outsider):
    work = software_application(artist, seed=23)
    client.force_login(outsider)
    assert client.get(f"/registry/works/{work.pk}/").status_code == 404


def test_the_software_form_needs_a_login(client):
    response = client.get("/registry/software/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_public_record_and_search_cover_registered_software(client, artist, registrar):
    work = software_application(artist, seed=24)
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    work = services.register(work=work, registrar=registrar, issue_now=True)
    found = client.get("/registry/search/", {"q": work.number}).content.decode()
    assert work.title in found
    record = client.get(f"/registry/record/{work.number}/")
    assert record.status_code == 200 and work.title in record.content.decode()
    with work.certificates.get().pdf.open("rb") as fh:
        verified = client.post("/verify/", {"file": upload(fh.read(), "cert.pdf", "application/pdf")})
    assert "验证通过" in verified.content.decode()


def test_the_api_files_software_and_refuses_a_zip_bomb_with_the_reason(client, artist):
    import json

    from .factories import software_fields, software_particulars

    client.force_login(artist)
    data = json.dumps({**software_fields(), **software_particulars(), "completed_on": "2026-06-01"})
    made = client.post(
        "/api/registry/software-applications",
        {"data": data, "source_archive": source_zip(25), "documentation": manual()},
    )
    assert made.status_code == 201, made.content.decode()
    body = made.json()
    assert body["kind"] == "software" and body["status"] == "draft" and body["work_type"] == "SOFTWARE"
    bomb = upload(zip_tree({"zeros.py": b"0" * 200_000_000}), "bomb.zip", "application/zip")
    refused = client.post(
        "/api/registry/software-applications",
        {"data": data.replace("V1.0", "V3.0"), "source_archive": bomb, "documentation": manual()},
    )
    assert refused.status_code == 422 and "压缩炸弹" in refused.json()["detail"]
    assert Work.objects.count() == 1
