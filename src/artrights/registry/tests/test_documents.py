"""The documents the registry issues after each step, as signed PDFs people can download and verify: acceptance
receipt, correction notice, refusal decision, contract filing and pledge certificates; and the privacy of the
proofs (the owner's ID number only in the separate openings file the owner chooses to download)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from artrights.accounts.models import User
from artrights.core.services import PartyInput
from artrights.registry import documents, services
from artrights.registry.models import DocumentKind, RegistryDocument, Work
from artrights.registry.verification import platform_trust
from artrights.testing import LIN, WU
from artrights.verify import verify_bytes

from .factories import OWNER, samples, upload, work_fields
from .test_certificate_pdf import poppler

pytestmark = pytest.mark.django_db
LICENSEE = PartyInput(
    name="深圳市示例文创有限公司", id_type="uscc", id_number="914403001922038216", kind="organisation"
)
BANK = PartyInput(name="示例银行", id_type="uscc", id_number="91350100M000100Y43", kind="organisation")


def text_of(pdf: bytes) -> str:
    out = subprocess.run([poppler("pdftotext"), "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def pdf_of(document: RegistryDocument) -> bytes:
    with document.pdf.open("rb") as fh:
        return fh.read()


@pytest.fixture(scope="module")
def made_once(module_db, module_make_user) -> dict[str, int]:
    """The artist's accepted application (with its receipt) and registered digital filing (with its certificate),
    made once for the module (seconds of rendering and signing each); every test sees both, and what a test does
    to them is rolled back after it (``module_db``)."""
    artist = module_make_user("artist-lin", "artist", display_name="林画家", identity=LIN)
    registrar = module_make_user("registrar-chen", "registrar", display_name="陈审核")
    with module_db():
        work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(71))
        services.submit(work=work, user=artist)
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.accept(work=work, registrar=registrar)
        filed = services.file_digital_work(
            user=artist, fields=work_fields(title="前海晨雾"), owners=[OWNER], files=samples(72), issue_now=True
        )
    return {"artist": artist.pk, "registrar": registrar.pk, "accepted": work.pk, "filed": filed.pk}


@pytest.fixture
def artist(made_once: dict[str, int]) -> User:
    return User.objects.get(pk=made_once["artist"])


@pytest.fixture
def registrar(made_once: dict[str, int]) -> User:
    return User.objects.get(pk=made_once["registrar"])


@pytest.fixture
def accepted(made_once: dict[str, int]) -> Work:
    return Work.objects.get(pk=made_once["accepted"])


@pytest.fixture
def filed(made_once: dict[str, int]) -> Work:
    return Work.objects.get(pk=made_once["filed"])


# --- issued after the step, once ------------------------------------------------------------------------------


def test_accepting_an_application_issues_a_signed_receipt_with_the_review_period_and_due_date(accepted, settings):
    receipt = accepted.documents.get(kind=DocumentKind.ACCEPTANCE_RECEIPT)
    pdf = pdf_of(receipt)
    text = text_of(pdf)
    due = accepted.review_due
    assert "受理通知书" in text and f"编号：{accepted.flow_number}-SL" in text
    assert f"流水号{accepted.flow_number}" in text and "作品《大芬村的早晨》" in text and "林画家：" in text
    assert f"{settings.ARTRIGHTS_REVIEW_WORKING_DAYS}个工作日内，即{due.year}年{due.month}月{due.day}日前" in text
    assert settings.ARTRIGHTS_REGISTRY_NAME in text
    verdict = verify_bytes(pdf, platform_trust())
    assert verdict.ok and verdict.passed == ["pdf_signature", "document"], verdict.summary()
    assert verdict.document is not None and verdict.document.type == "acceptance_receipt"
    assert verdict.number == receipt.number and verdict.summary().startswith("签名有效 SIGNATURE VALID: 受理通知书")
    assert "不是登记证书" in verdict.summary() and "VALID: " + accepted.flow_number not in verdict.summary()


def test_a_retried_task_returns_the_receipt_already_made(accepted):
    first = accepted.documents.get()
    again = documents.issue_document(kind=DocumentKind.ACCEPTANCE_RECEIPT, work=accepted)
    assert again.pk == first.pk and accepted.documents.count() == 1


def test_each_correction_round_gets_its_own_notice_with_the_deadline_and_what_follows(
    accepted, artist, registrar, django_capture_on_commit_callbacks
):
    services.start_review(work=accepted, registrar=registrar)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_correction(work=accepted, registrar=registrar, notice="作品名称与样本题款不符，请更正名称。")
    services.correct(work=accepted, user=artist, fields={"title": "大芬村的清晨"}, note="已更正。")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_correction(work=accepted, registrar=registrar, notice="请补充作品说明书。")
    notices = list(accepted.documents.filter(kind=DocumentKind.CORRECTION_NOTICE).order_by("correction__round"))
    assert [n.correction.round for n in notices] == [1, 2]
    assert [n.number for n in notices] == [f"{accepted.flow_number}-BZ1", f"{accepted.flow_number}-BZ2"]
    first, second = text_of(pdf_of(notices[0])), text_of(pdf_of(notices[1]))
    due = notices[1].correction.due
    assert "补正通知书" in second and "请补充作品说明书。" in second and "第2次补正" in second
    assert f"请于{due.year}年{due.month}月{due.day}日前（含当日）" in second
    assert "逾期未补正的，视为撤回申请。" in second and "审查期限自补正之日起重新计算" in second
    assert "作品名称与样本题款不符" in first and "请补充作品说明书" not in first
    assert verify_bytes(pdf_of(notices[1]), platform_trust()).document.type == "correction_notice"


def test_a_refusal_decision_states_the_ground_the_reasons_and_the_remedies(
    accepted, registrar, django_capture_on_commit_callbacks
):
    services.start_review(work=accepted, registrar=registrar)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(work=accepted, registrar=registrar, ground="banned", reason="作品内容属于依法禁止传播的内容。")
    decision = accepted.documents.get(kind=DocumentKind.REFUSAL_DECISION)
    text = text_of(pdf_of(decision))
    assert "不予登记决定书" in text and "本机构决定不予登记" in text
    assert "依据：依法禁止出版、传播的作品（《作品自愿登记试行办法》第五条）" in text
    assert "作品内容属于依法禁止传播的内容。" in text
    assert "著作权不以登记为条件；本决定不影响您依法享有的著作权" in text and "重新提出作品登记申请" in text


def test_a_held_digital_filing_that_is_refused_gets_a_decision_not_to_file(
    artist, make_user, registrar, django_capture_on_commit_callbacks
):
    other = make_user("other-owner", "artist", identity=WU)
    # Each files in their own verified name: the other owner first, then the artist the same picture.
    services.file_digital_work(user=other, fields=work_fields(), owners=[], files=samples(73), issue_now=True)
    held = services.file_digital_work(user=artist, fields=work_fields(), owners=[], files=samples(73), issue_now=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(work=held, registrar=registrar, ground="not_owner", reason="与他人已备案的作品相同。")
    decision = held.documents.get()
    assert decision.title == "不予备案决定书"
    text = text_of(pdf_of(decision))
    assert "不予备案决定书" in text and "本机构决定不予备案" in text and "数字作品备案专用章" in text


def test_a_contract_filing_gets_a_certificate_with_its_proof_that_verifies_offline(
    filed, artist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        filing = services.file_contract(
            user=artist,
            contract_type="exclusive_licence",
            works=[filed],
            rights=["reproduction", "network"],
            territory="中国大陆",
            valid_from=dt.date(2026, 12, 1),
            valid_until=dt.date(2029, 11, 30),
            assignor=services.first_owner(filed),
            assignee=LICENSEE,
        )
    certificate = filing.documents.get()
    pdf = pdf_of(certificate)
    text = text_of(pdf)
    assert certificate.kind == DocumentKind.CONTRACT_CERTIFICATE and certificate.number == filing.number
    assert "著作权合同备案证明" in text and f"备案号：{filing.number}" in text and "专有许可合同" in text
    assert "复制权、信息网络传播权" in text and LICENSEE.name in text and f"《前海晨雾》{filed.number}" in text
    verdict = verify_bytes(pdf, platform_trust())
    assert verdict.ok, verdict.summary()
    assert verdict.passed[0] == "pdf_signature" and verdict.log_index == filing.log_index
    assert verdict.summary().startswith(f"有效 VALID: 合同备案 {filing.number}")
    # The parties appear only as commitments: neither ID number is in the certificate.
    for id_number in (OWNER.id_number, LICENSEE.id_number):
        assert id_number.encode() not in pdf and id_number not in text


def test_a_pledge_gets_its_registration_certificate_saying_the_pledge_exists_from_registration(
    filed, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pledge = services.register_pledge(
            registrar=registrar,
            works=[filed],
            pledgor=OWNER,
            pledgee=BANK,
            rights=["reproduction"],
            secured_amount=Decimal("100000"),
            debt_term_end=dt.date(2030, 1, 1),
        )
    certificate = pledge.documents.get()
    pdf = pdf_of(certificate)
    text = text_of(pdf)
    assert "著作权质权登记证书" in text and f"质权登记号：{pledge.number}" in text
    assert "出质人林画家" in text and "质权人示例银行" in text and "100,000.00元" in text
    assert "著作权质权自登记之日起设立" in text
    verdict = verify_bytes(pdf, platform_trust())
    assert verdict.ok and verdict.summary().startswith(f"有效 VALID: 质权登记 {pledge.number}")
    assert "当事人仅以承诺值表示（未公开）" in verdict.summary()
    assert BANK.id_number.encode() not in pdf


def test_a_notice_with_a_changed_byte_is_refused(accepted):
    pdf = bytearray(pdf_of(accepted.documents.get()))
    pdf[len(pdf) // 2] ^= 0x01
    verdict = verify_bytes(bytes(pdf), platform_trust())
    assert not verdict.ok and verdict.failed_check == "pdf_signature"


def test_steps_that_call_for_no_document_issue_none(artist, registrar, django_capture_on_commit_callbacks):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(74))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(work=work, user=artist)
        services.withdraw(work=work, user=artist)
    assert not RegistryDocument.objects.filter(work=work).exists()


# --- the work page and the downloads --------------------------------------------------------------------------


def test_the_work_page_lists_the_documents_with_downloads(client, artist, accepted):
    client.force_login(artist)
    page = client.get(f"/registry/works/{accepted.pk}/").content.decode()
    receipt = accepted.documents.get()
    assert 'data-testid="documents"' in page and "受理通知书" in page and receipt.number in page
    response = client.get(f"/registry/works/{accepted.pk}/documents/{receipt.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_of(receipt)


def test_the_registrar_may_download_the_documents(client, registrar, accepted):
    client.force_login(registrar)
    receipt = accepted.documents.get()
    assert client.get(f"/registry/works/{accepted.pk}/documents/{receipt.pk}.pdf").status_code == 200


def test_an_outsider_can_neither_see_nor_download_a_document(client, outsider, accepted):
    client.force_login(outsider)
    receipt = accepted.documents.get()
    assert client.get(f"/registry/works/{accepted.pk}/documents/{receipt.pk}.pdf").status_code == 404
    client.logout()
    response = client.get(f"/registry/works/{accepted.pk}/documents/{receipt.pk}.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_document_of_another_work_is_not_served_under_this_one(client, artist, accepted):
    mine = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(75))
    client.force_login(artist)
    receipt = accepted.documents.get()
    assert client.get(f"/registry/works/{mine.pk}/documents/{receipt.pk}.pdf").status_code == 404


# --- privacy of the proofs ------------------------------------------------------------------------------------


def test_the_certificate_its_json_and_the_signed_image_carry_no_id_number(client, artist, filed):
    certificate = filed.certificates.get()
    with certificate.pdf.open("rb") as fh:
        pdf = fh.read()
    with certificate.credentialed_image.open("rb") as fh:
        image = fh.read()
    client.force_login(artist)
    downloaded = client.get(f"/registry/works/{filed.pk}/certificate.json").content
    api = client.get(f"/api/registry/works/{filed.pk}/certificate.json").content
    for blob in (pdf, image, downloaded, api, json.dumps(certificate.bundle, ensure_ascii=False).encode()):
        assert OWNER.id_number.encode() not in blob
        assert OWNER.id_number.encode("utf-16-be") not in blob  # nor as PDF text
    assert "parties" not in certificate.bundle["openings"] and certificate.bundle["format"] == "artrights-proof/v2"
    assert verify_bytes(pdf, platform_trust()).ok and verify_bytes(image, platform_trust()).ok


def test_the_owner_downloads_the_openings_file_and_it_opens_the_commitment_of_the_certificate(client, artist, filed):
    client.force_login(artist)
    page = client.get(f"/registry/works/{filed.pk}/").content.decode()
    assert "此文件含有您的证件号码" in page and "例如法院" in page
    response = client.get(f"/registry/works/{filed.pk}/owner-openings.json")
    assert response.status_code == 200
    assert 'filename="owner-openings.json"' in response["Content-Disposition"]
    openings = response.content
    assert OWNER.id_number.encode() in openings
    with filed.certificates.get().pdf.open("rb") as fh:
        verdict = verify_bytes(fh.read(), platform_trust(), openings=openings)
    assert verdict.ok and verdict.passed[-1] == "openings", verdict.summary()
    assert f"著作权人 林画家（resident_id {OWNER.id_number}）" in verdict.summary()
    from artrights.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="registry.download_openings").exists()


def test_openings_with_a_changed_id_number_are_refused(client, artist, filed):
    client.force_login(artist)
    openings = json.loads(client.get(f"/registry/works/{filed.pk}/owner-openings.json").content)
    openings["parties"][0]["value"]["id_number"] = "440304198801010015"
    bundle = json.dumps(filed.certificates.get().bundle).encode()
    verdict = verify_bytes(bundle, platform_trust(), openings=json.dumps(openings).encode())
    assert not verdict.ok and verdict.failed_check == "openings"


def test_only_the_applicant_side_may_export_the_openings(client, registrar, outsider, filed):
    client.force_login(registrar)
    assert client.get(f"/registry/works/{filed.pk}/owner-openings.json").status_code == 403
    assert "owner-openings" not in client.get(f"/registry/works/{filed.pk}/").content.decode()
    client.force_login(outsider)
    assert client.get(f"/registry/works/{filed.pk}/owner-openings.json").status_code == 404


def test_an_application_not_yet_registered_has_no_openings_to_export(client, artist, accepted):
    client.force_login(artist)
    response = client.get(f"/registry/works/{accepted.pk}/owner-openings.json", follow=True)
    assert response.redirect_chain and "作品尚未登记，没有可以核对的著作权人身份。" in response.content.decode()


def test_the_openings_service_refuses_registry_staff(registrar, filed):
    from artrights.registry.issuance import owner_openings

    with pytest.raises(PermissionDenied):
        owner_openings(work=filed, user=registrar)


def test_the_verification_page_opens_the_parties_with_the_uploaded_openings(client, artist, filed):
    client.force_login(artist)
    openings = client.get(f"/registry/works/{filed.pk}/owner-openings.json").content
    client.logout()
    with filed.certificates.get().pdf.open("rb") as fh:
        pdf = fh.read()
    plain = client.post("/verify/", {"file": upload(pdf, "cert.pdf", "application/pdf")}).content.decode()
    assert 'data-testid="parties-unopened"' in plain and OWNER.id_number not in plain
    opened = client.post(
        "/verify/",
        {
            "file": upload(pdf, "cert.pdf", "application/pdf"),
            "openings": upload(openings, "owner-openings.json", "application/json"),
        },
    ).content.decode()
    assert 'data-testid="opened-parties"' in opened and OWNER.id_number in opened and "居民身份证" in opened
    wrong = json.loads(openings)
    wrong["parties"][0]["value"]["name"] = "冒名者"
    refused = client.post(
        "/verify/",
        {
            "file": upload(pdf, "cert.pdf", "application/pdf"),
            "openings": upload(json.dumps(wrong).encode(), "owner-openings.json", "application/json"),
        },
    ).content.decode()
    assert "验证未通过" in refused and "著作权人身份核对" in refused and "冒名者" not in refused


def test_the_verification_page_says_a_notice_is_a_signed_document_not_a_registration(client, accepted):
    receipt = accepted.documents.get()
    page = client.post("/verify/", {"file": upload(pdf_of(receipt), "r.pdf", "application/pdf")}).content.decode()
    assert "验证通过" in page and f"受理通知书（编号 {receipt.number}）" in page
    assert "不是登记证书，没有记入公开日志" in page
