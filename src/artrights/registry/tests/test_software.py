"""Computer software registration (R11): the same desk and workflow as works, with the software register's
deadlines, refusal grounds, numbers, certificate and the deposit the platform builds from the uploaded tree."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artrights.core.statemachine import TransitionNotAllowed
from artrights.ledger import selectors as ledger_selectors
from artrights.registry import deposit, services
from artrights.registry.models import FileRole, RefusalGround, Status, Work
from artrights.registry.verification import platform_trust
from artrights.verify import verify_bytes

from .factories import manual, software_application, upload

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return re.sub(r"(?<=\S) (?=\S)", "", text.replace("  ", " "))  # pdftotext spaces out CJK; compare without


def file_of(work: Work, role: str) -> bytes:
    found = work.workfile_set.select_related("stored_file").get(role=role)
    with found.stored_file.file.open("rb") as fh:
        return fh.read()


def registered(work: Work, registrar) -> Work:
    services.submit(work=work, user=work.applicant)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    return services.register(work=work, registrar=registrar, issue_now=True)


def test_a_software_application_is_reviewed_within_sixty_days_of_acceptance(artist, registrar):
    work = software_application(artist)
    assert work.kind == "software" and work.status == Status.DRAFT
    services.submit(work=work, user=artist)
    accepted = services.accept(work=work, registrar=registrar)
    assert accepted.review_due == timezone.localdate() + dt.timedelta(days=60)


def test_a_software_correction_is_due_within_thirty_days(artist, registrar):
    work = software_application(artist)
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    noticed = services.request_correction(work=work, registrar=registrar, notice="请补充硬件环境说明。")
    assert noticed.correction_due == timezone.localdate() + dt.timedelta(days=30)
    later = timezone.localdate() + dt.timedelta(days=31)
    assert services.deem_overdue_corrections(today=later) == 1
    assert Work.objects.get(pk=work.pk).status == Status.WITHDRAWN_DEEMED


def test_registered_software_gets_a_sr_number_and_a_software_certificate_that_verifies_offline(
    artist, registrar, tmp_path
):
    work = registered(software_application(artist), registrar)
    assert re.fullmatch(rf"{timezone.localdate().year}SR\d{{7}}", work.number or "")
    assert re.fullmatch(r"软著登字第\d{7}号", work.software.certificate_number or "")
    certificate = work.certificates.get()
    with certificate.pdf.open("rb") as fh:
        pdf = fh.read()
    text = pdf_text(pdf, tmp_path)
    assert "计算机软件著作权登记证书" in text
    for shown in (work.software.certificate_number, work.number, "大芬油画库存管理系统", "V1.0", "库存系统"):
        assert str(shown) in text
    verdict = verify_bytes(pdf, platform_trust())
    assert verdict.ok, verdict.summary()
    assert verdict.number == work.number


def test_the_log_statement_commits_the_hash_of_the_whole_uploaded_tree(artist, registrar):
    work = software_application(artist)
    tree = deposit.tree_hash(deposit.read_archive(file_of(work, FileRole.SOURCE_ARCHIVE), limits=_limits()))
    work = registered(work, registrar)
    statement = ledger_selectors.statement_at(work.log_index)
    assert statement["type"] == "artrights/software-registration@v1"
    assert statement["source_tree"]["sha256"] == tree == work.software.tree_sha256
    assert statement["certificate"] == work.software.certificate_number


def _limits() -> deposit.Limits:
    return deposit.Limits(max_entries=100, max_bytes=10_000_000)


def test_the_applicant_reviews_the_deposit_pdfs_headed_and_numbered(artist, tmp_path):
    work = software_application(artist, functions=40)
    text = pdf_text(file_of(work, FileRole.SAMPLE), tmp_path)
    pages = text.split("\f")
    assert "大芬油画库存管理系统V1.0" in pages[0] and "第1页/共" in pages[0]
    assert work.software.deposited_pages == work.software.source_pages < 60
    docs = pdf_text(file_of(work, FileRole.DOCUMENTATION), tmp_path)
    assert "文档" in docs and "第1页/共1页" in docs


def test_a_long_source_deposits_its_first_and_last_thirty_pages(artist, tmp_path):
    work = software_application(artist, functions=700)
    software = work.software
    assert software.source_pages > 60 and software.deposited_pages == 60
    pages = [p for p in pdf_text(file_of(work, FileRole.SAMPLE), tmp_path).split("\f") if p.strip()]
    assert len(pages) == 60
    assert f"第30页/共{software.source_pages}页" in pages[29]
    assert f"第{software.source_pages - 29}页/共{software.source_pages}页" in pages[30]


def test_an_exceptional_deposit_of_the_first_ten_and_fifty_consecutive_pages_is_built_and_shown(artist, client):
    from .factories import software_fields, software_particulars, source_zip

    work = services.create_software_application(
        user=artist,
        fields=software_fields(),
        software=software_particulars(),
        owners=[],
        archive=source_zip(1, functions=700),
        documentation=manual(),
        excerpt_from=21,
    )
    software = work.software
    assert software.exceptional and software.excerpt_from == 21 and software.deposited_pages == 60
    client.force_login(artist)
    assert "前 10 页及第 21–70 页" in client.get(f"/registry/works/{work.pk}/").content.decode()
    with pytest.raises(ValidationError, match="只能选一种方式"):
        services.create_software_application(
            user=artist,
            fields=software_fields(title="另一个系统"),
            software=software_particulars(),
            owners=[],
            archive=source_zip(2, functions=700),
            documentation=manual(),
            excerpt_from=21,
            redactions=[(1, 10)],
        )


def test_a_version_its_owner_already_registered_is_refused(artist, registrar):
    registered(software_application(artist), registrar)
    with pytest.raises(ValidationError, match="同一版本不能重复登记"):
        software_application(artist, seed=2)
    assert software_application(artist, seed=2, version="V2.0").software.version == "V2.0"


def test_a_software_application_can_be_withdrawn_and_its_version_filed_again(artist, registrar):
    work = software_application(artist, seed=32)
    services.submit(work=work, user=artist)
    assert services.withdraw(work=work, user=artist).status == Status.WITHDRAWN
    again = software_application(artist, seed=33)
    assert again.software.version == work.software.version


def test_another_owner_may_register_the_same_name_and_version(artist, outsider, registrar):
    registered(software_application(artist), registrar)
    theirs = software_application(outsider, seed=3)
    assert theirs.software.version == "V1.0"


def test_software_is_refused_only_on_the_software_registers_grounds(artist, registrar):
    work = software_application(artist)
    services.submit(work=work, user=artist)
    with pytest.raises(ValidationError, match="依据"):
        services.refuse(work=work, registrar=registrar, ground=RefusalGround.TERM_EXPIRED, reason="过期")
    refused = services.refuse(
        work=work, registrar=registrar, ground=RefusalGround.SOFTWARE_NOT_PROGRAM, reason="材料是图片，不是程序。"
    )
    assert refused.status == Status.REFUSED


def test_a_copy_of_another_owners_software_is_held_with_the_passages_side_by_side(artist, outsider, registrar):
    registered(software_application(artist, seed=7), registrar)
    copy = software_application(outsider, seed=7, title="另一个库存系统")
    services.submit(work=copy, user=outsider)
    copy.refresh_from_db()
    assert copy.status == Status.HELD
    warning = copy.duplicate_warnings.get()
    assert warning.method == "winnowing" and warning.score == 1.0 and not warning.same_owner
    passage = warning.passages[0]
    assert passage["mine"]["path"] == passage["theirs"]["path"] == "app/module_7.py"
    assert passage["mine"]["lines"] and passage["mine"]["lines"] == passage["theirs"]["lines"]
    with pytest.raises(TransitionNotAllowed):
        services.accept(work=copy, registrar=registrar)
    with pytest.raises(ValidationError):
        services.clear_hold(work=copy, registrar=registrar, screening_note=" ")
    cleared = services.clear_hold(work=copy, registrar=registrar, screening_note="双方签有许可合同，见附件。")
    assert cleared.status == Status.SUBMITTED
    assert services.accept(work=cleared, registrar=registrar).status == Status.ACCEPTED


def test_renamed_variables_and_new_comments_do_not_hide_a_copy(artist, outsider, registrar):
    from artrights.registry.tests.factories import program_source, upload, zip_tree

    registered(software_application(artist, seed=8), registrar)
    original = program_source(8)
    disguised = "# 重写的版本\n" + original.replace("total", "amount").replace("value", "qty").replace("    ", "  ")
    work = services.create_software_application(
        user=outsider,
        fields={
            "title": "改名的系统",
            "completed_on": dt.date(2026, 7, 1),
            "publish_status": "unpublished",
            "obtain_mode": "original",
            "rights": ["reproduction"],
        },
        software={
            "version": "V1.0",
            "category": "application",
            "development_mode": "independent",
            "hardware_environment": "PC",
            "software_environment": "Linux",
            "languages": "Python",
            "main_functions": "库存",
            "technical_features": "无",
        },
        owners=[],
        archive=upload(zip_tree({"x/other.py": disguised}), "x.zip", "application/zip"),
        documentation=manual(),
    )
    services.submit(work=work, user=outsider)
    warning = Work.objects.get(pk=work.pk).duplicate_warnings.get()
    assert warning.score > 0.9


def test_unrelated_software_is_not_held(artist, outsider, registrar):
    from .factories import script_source, software_fields, software_particulars, zip_tree

    registered(software_application(artist, seed=9), registrar)
    other = services.create_software_application(
        user=outsider,
        fields=software_fields(title="无关的软件"),
        software=software_particulars(languages="JavaScript"),
        owners=[],
        archive=upload(zip_tree({"web/handlers.js": script_source(10)}), "web.zip", "application/zip"),
        documentation=manual(),
    )
    services.submit(work=other, user=outsider)
    other.refresh_from_db()
    assert other.status == Status.SUBMITTED and not other.duplicate_warnings.exists()


def test_an_exceptional_deposit_blacks_out_the_lines_and_leaves_no_text_behind(artist, tmp_path):
    from .factories import software_fields, software_particulars, source_zip

    work = services.create_software_application(
        user=artist,
        fields=software_fields(),
        software=software_particulars(),
        owners=[],
        archive=source_zip(11),
        documentation=manual(),
        redactions=[(2, 30)],
    )
    assert work.software.exceptional and work.software.redacted_lines == [[2, 30]]
    text = pdf_text(file_of(work, FileRole.SAMPLE), tmp_path)
    assert "step_11_0" not in text  # the first function sits in the blacked-out lines
    assert "step_11_39" in text


def manual_pdf(pages: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("helvetica", size=14)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 10, f"Manual page {n}: click Stock to open screen {n}.")
    return bytes(pdf.output())


def test_a_pdf_documentation_deposits_its_first_and_last_thirty_pages_headed_and_numbered(artist, tmp_path):
    from .factories import software_fields, software_particulars, source_zip

    work = services.create_software_application(
        user=artist,
        fields=software_fields(),
        software=software_particulars(),
        owners=[],
        archive=source_zip(13),
        documentation=upload(manual_pdf(75), "用户手册.pdf", "application/pdf"),
    )
    assert work.software.documentation_pages == 60
    pages = [p for p in pdf_text(file_of(work, FileRole.DOCUMENTATION), tmp_path).split("\f") if p.strip()]
    assert len(pages) == 60
    assert "Manualpage30:" in pages[29] and "第30页/共75页" in pages[29]
    assert "Manualpage46:" in pages[30] and "第46页/共75页" in pages[30]
    assert "大芬油画库存管理系统" in pages[0]


def test_a_damaged_pdf_documentation_is_refused_and_nothing_is_stored(artist):
    from .factories import software_fields, software_particulars, source_zip

    before = Work.objects.count()
    with pytest.raises(ValidationError, match="无法读取"):
        services.create_software_application(
            user=artist,
            fields=software_fields(),
            software=software_particulars(),
            owners=[],
            archive=source_zip(14),
            documentation=upload(
                b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF", "m.pdf", "application/pdf"
            ),
        )
    assert Work.objects.count() == before


def test_blacking_out_more_than_half_is_refused(artist):
    from .factories import software_fields, software_particulars, source_zip

    with pytest.raises(ValidationError, match="超过交存源程序"):
        services.create_software_application(
            user=artist,
            fields=software_fields(),
            software=software_particulars(),
            owners=[],
            archive=source_zip(12),
            documentation=manual(),
            redactions=[(1, 200)],
        )
    assert not Work.objects.exists()


def test_a_documentation_that_is_not_text_is_refused(artist):
    from .factories import software_fields, software_particulars, source_zip

    with pytest.raises(ValidationError, match="纯文本"):
        services.create_software_application(
            user=artist,
            fields=software_fields(),
            software=software_particulars(),
            owners=[],
            archive=source_zip(13),
            documentation=upload(b"\x00\x01binary", "manual.doc", "application/msword"),
        )


def test_the_demo_data_includes_a_registered_software(artist, registrar):
    from artrights.registry import demo

    work = demo.load_software(artist, registrar)
    assert work.status == Status.REGISTERED and work.kind == "software"
    assert re.fullmatch(r"\d{4}SR\d{7}", work.number or "")
    assert work.software.source_lines > 300 and work.software.deposited_pages >= 1


def test_the_applicant_corrects_the_softwares_particulars_and_the_registrar_sees_what_changed(
    artist, registrar, client
):
    work = software_application(artist)
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    services.request_correction(work=work, registrar=registrar, notice="硬件环境写得不清楚。")
    client.force_login(artist)
    page = client.get(f"/registry/works/{work.pk}/correct/").content.decode()
    assert "x86-64 服务器" in page and 'name="version"' not in page
    from .factories import software_particulars

    data = {
        "title": "大芬油画库存管理系统",
        "completed_on": "2026-06-01",
        "publish_status": "unpublished",
        "obtain_mode": "original",
        "rights": ["publication", "authorship", "alteration", "reproduction", "distribution", "network"],
        **{k: v for k, v in software_particulars().items() if k != "version"},
        "hardware_environment": "开发：x86-64 台式机；运行：ARM 收银机",
        "note": "已写明开发和运行的硬件。",
    }
    response = client.post(f"/registry/works/{work.pk}/correct/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    work.refresh_from_db()
    assert work.status == Status.UNDER_REVIEW
    assert work.software.hardware_environment == "开发：x86-64 台式机；运行：ARM 收银机"
    assert work.corrections.get().changes["hardware_environment"][1] == "开发：x86-64 台式机；运行：ARM 收银机"


def test_software_cannot_be_slipped_in_as_a_work(artist):
    from .factories import OWNER, samples, work_fields

    with pytest.raises(ValidationError, match="计算机软件著作权登记申请"):
        services.create_application(
            user=artist, fields=work_fields(work_type="SOFTWARE"), owners=[OWNER], files=samples(3)
        )


def test_the_acceptance_receipt_of_software_names_its_sixty_day_review(
    artist, registrar, django_capture_on_commit_callbacks, tmp_path
):
    from artrights.registry.models import DocumentKind

    work = software_application(artist)
    services.submit(work=work, user=artist)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(work=work, registrar=registrar)
    receipt = work.documents.get(kind=DocumentKind.ACCEPTANCE_RECEIPT)
    with receipt.pdf.open("rb") as fh:
        text = pdf_text(fh.read(), tmp_path).replace("\n", "")
    due = Work.objects.get(pk=work.pk).review_due
    assert "计算机软件著作权登记申请" in text and "软件《大芬油画库存管理系统》" in text
    assert f"60日内，即{due.year}年{due.month}月{due.day}日前" in text
    assert "工作日" not in text


def test_a_software_grant_committed_runs_the_registers_after_commit_work_without_fault(
    artist, registrar, django_capture_on_commit_callbacks
):
    work = software_application(artist)
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    with django_capture_on_commit_callbacks(execute=True):
        services.register(work=work, registrar=registrar)
    work.refresh_from_db()
    assert work.certificates.count() == 1 and work.certificate_due_since is None


def test_screening_reads_only_the_software_that_share_code_with_the_application(artist, outsider, registrar):
    from artrights.registry import software as software_reads
    from artrights.registry.models import SoftwareHash

    from .factories import script_source, software_fields, software_particulars, zip_tree

    copied = registered(software_application(artist, seed=11), registrar)
    unrelated = services.create_software_application(
        user=artist,
        fields=software_fields(title="无关的脚本"),
        software=software_particulars(languages="JavaScript"),
        owners=[],
        archive=upload(zip_tree({"web/handlers.js": script_source(12)}), "web.zip", "application/zip"),
        documentation=manual(),
    )
    assert SoftwareHash.objects.filter(software=unrelated.software).exists()
    copy = software_application(outsider, seed=11, title="抄来的系统")
    candidates = software_reads._candidates(copy.software, {int(f[0]) for f in copy.software.fingerprints})
    assert candidates == {copied.software.pk}
    assert [s.work.pk for s in software_reads.similar_software(copy)] == [copied.pk]


def test_a_correction_replaces_the_source_tree_and_the_deposit_is_rebuilt_and_screened_again(
    artist, outsider, registrar, client
):
    from artrights.registry.models import SoftwareHash

    from .factories import script_source, software_fields, software_particulars, source_zip, zip_tree

    theirs = registered(software_application(outsider, seed=21), registrar)
    work = services.create_software_application(
        user=artist,
        fields=software_fields(),
        software=software_particulars(),
        owners=[],
        archive=upload(zip_tree({"web/handlers.js": script_source(22)}), "web.zip", "application/zip"),
        documentation=manual(),
    )
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    services.request_correction(work=work, registrar=registrar, notice="源程序不是申请登记的版本，请重新提交。")
    old_tree, old_pdf = work.software.tree_sha256, work.workfile_set.get(role=FileRole.SAMPLE).stored_file.sha256
    client.force_login(artist)
    data = {
        "title": work.title,
        "completed_on": "2026-06-01",
        "publish_status": "unpublished",
        "obtain_mode": "original",
        "rights": ["publication", "authorship", "alteration", "reproduction", "distribution", "network"],
        **{k: v for k, v in software_particulars().items() if k != "version"},
        "note": "已换成 V1.0 的源程序。",
    }
    half = client.post(f"/registry/works/{work.pk}/correct/", {**data, "source_archive": source_zip(23)})
    assert half.status_code == 200 and "须同时上传源程序和软件文档" in half.content.decode()
    assert Work.objects.get(pk=work.pk).status == Status.CORRECTION_REQUIRED
    response = client.post(
        f"/registry/works/{work.pk}/correct/", {**data, "source_archive": source_zip(21), "documentation": manual()}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    work = Work.objects.get(pk=work.pk)
    assert work.software.tree_sha256 != old_tree
    assert work.corrections.get().changes["tree_sha256"] == [old_tree, work.software.tree_sha256]
    sample = work.workfile_set.get(role=FileRole.SAMPLE)
    assert sample.stored_file.sha256 != old_pdf
    assert work.workfile_set.filter(role=FileRole.SUPERSEDED).count() == 3  # source PDF, documentation, archive
    assert SoftwareHash.objects.filter(software=work.software).count() == len(
        {f[0] for f in work.software.fingerprints}
    )
    # The new tree is another owner's registered code: screening holds it and names theirs.
    assert work.duplicate_warnings.get().earlier == theirs
