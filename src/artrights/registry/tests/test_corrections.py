"""Answering a correction notice: the applicant changes what was asked, the registrar sees exactly what changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artrights.registry import services
from artrights.registry.models import FileRole, Status

from .factories import OWNER, artwork_png, samples, upload, work_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed(artist, registrar):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(61))
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    services.request_correction(work=work, registrar=registrar, notice="作品名称与样本不符，请更正并补充清晰的样本。")
    work.refresh_from_db()
    return work


def test_a_correction_changes_the_title_replaces_the_sample_and_restarts_the_review_clock(artist, noticed):
    old_sample = noticed.first_sample()
    services.correct(
        work=noticed,
        user=artist,
        fields={"title": "大芬村的清晨"},
        files=[services.SampleInput(upload(artwork_png(62)))],
        withdraw_files=[old_sample.pk],
        note="已更正名称并换上高清样本。",
    )
    noticed.refresh_from_db()
    assert noticed.status == Status.UNDER_REVIEW and noticed.title == "大芬村的清晨"
    assert noticed.review_due and noticed.review_due > timezone.localdate()
    round_ = noticed.corrections.get()
    assert round_.changes == {"title": ["大芬村的早晨", "大芬村的清晨"]}
    assert [f["name"] for f in round_.files_added] == ["work.png"] and len(round_.files_removed) == 1
    old_sample.refresh_from_db()
    assert old_sample.role == FileRole.SUPERSEDED  # kept on record, not deleted
    assert noticed.first_sample().pk != old_sample.pk


def test_a_correction_that_changes_and_explains_nothing_is_refused_and_nothing_moves(artist, noticed):
    with pytest.raises(ValidationError) as err:
        services.correct(work=noticed, user=artist, fields={}, note="  ")
    assert "没有修改任何内容" in str(err.value)
    noticed.refresh_from_db()
    assert noticed.status == Status.CORRECTION_REQUIRED and not noticed.corrections.get().is_answered


def test_a_correction_after_the_deadline_is_refused_with_the_date(artist, noticed):
    noticed.correction_due = timezone.localdate() - dt.timedelta(days=1)
    noticed.save(update_fields=["correction_due"])
    with pytest.raises(ValidationError) as err:
        services.correct(work=noticed, user=artist, fields={"title": "迟到的更正"})
    assert noticed.correction_due.isoformat() in str(err.value)
    noticed.refresh_from_db()
    assert noticed.title == "大芬村的早晨" and noticed.status == Status.CORRECTION_REQUIRED


def test_a_bad_replacement_file_changes_nothing(artist, noticed):
    with pytest.raises(ValidationError):
        services.correct(
            work=noticed,
            user=artist,
            fields={"title": "新名称"},
            files=[services.SampleInput(upload(b"not a picture", "fake.png"))],
        )
    noticed.refresh_from_db()
    assert noticed.title == "大芬村的早晨" and noticed.workfile_set.count() == 1


def test_someone_else_cannot_answer_the_notice(outsider, noticed, client):
    with pytest.raises(PermissionDenied):
        services.correct(work=noticed, user=outsider, fields={"title": "冒名"})
    client.force_login(outsider)
    assert client.get(f"/registry/works/{noticed.pk}/correct/").status_code == 404


def test_the_applicant_answers_in_the_browser_form_and_the_registrar_sees_the_difference(
    client, artist, registrar, noticed
):
    client.force_login(artist)
    page = client.get(f"/registry/works/{noticed.pk}/correct/").content.decode()
    assert "作品名称与样本不符" in page and 'value="大芬村的早晨"' in page
    form = {
        "title": "大芬村的清晨",
        "work_type": "FINE_ART",
        "authors": "林画家/林",
        "creation_nature": "original",
        "completed_on": "2026-03-01",
        "publish_status": "unpublished",
        "obtain_mode": "original",
        "ownership_mode": "individual",
        "rights": ["reproduction", "distribution", "exhibition", "network"],
        "description": "油画，描绘大芬村清晨的街景。",
        "note": "名称已更正。",
    }
    response = client.post(f"/registry/works/{noticed.pk}/correct/", form, follow=True)
    assert "补正已提交" in response.content.decode()
    client.force_login(registrar)
    page = client.get(f"/registry/works/{noticed.pk}/").content.decode()
    assert 'data-testid="correction-changes"' in page and "大芬村的清晨" in page and "名称已更正" in page
    assert noticed.corrections.get().changes == {"title": ["大芬村的早晨", "大芬村的清晨"]}


def test_registrars_and_the_applicant_open_the_materials_and_outsiders_do_not(
    client, artist, registrar, outsider, noticed
):
    sample = noticed.first_sample()
    url = f"/registry/works/{noticed.pk}/files/{sample.pk}"
    client.force_login(registrar)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")
    client.force_login(artist)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_an_uploaded_document_is_only_downloaded_never_shown_from_our_site(client, artist):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    work = services.create_application(
        user=artist,
        fields=work_fields(),
        owners=[OWNER],
        files=[*samples(63), services.SampleInput(upload(svg, "proof.svg", "image/svg+xml"), FileRole.OWNERSHIP_PROOF)],
    )
    proof = work.workfile_set.get(role=FileRole.OWNERSHIP_PROOF)
    client.force_login(artist)
    response = client.get(f"/registry/works/{work.pk}/files/{proof.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
