"""The registry's letters and filing certificates as PDFs (no database): their Chinese text, what they embed, their
signature, and how `artrights verify` reports them; the registration certificate's picture of the work."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from artrights import verify
from artrights.proofs import statements
from artrights.proofs.bundle import dump_bundle, openings_file
from artrights.proofs.canonical import Opening
from artrights.proofs.documents import DOCUMENT_ATTACHMENT
from artrights.proofs.tests.proofkit import Kit, sample_image
from artrights.proofs.trust import Trust
from artrights.registry import document_pdf
from artrights.registry.certificate_pdf import CERTIFICATE_ATTACHMENT, render_certificate, sign_pdf

from .test_certificate_pdf import certificate_data, poppler

ISSUER = "广东省版权保护联合会"
URL = "https://registry.artrights.test/verify/"
ABOUT = document_pdf.Application(
    issuer=ISSUER, applicant="林画家", flow_number="20261130000001", title="大芬村的早晨", verify_url=URL
)


@pytest.fixture(scope="module")
def kit() -> Kit:
    return Kit.new()


def text_of(pdf: bytes) -> str:
    out = subprocess.run([poppler("pdftotext"), "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def pages_of(pdf: bytes) -> int:
    out = subprocess.run([poppler("pdfinfo"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    found = re.search(r"Pages:\s+(\d+)", out)
    assert found is not None, out
    return int(found.group(1))


def attachments(pdf: bytes, tmp_path: Path) -> dict[str, bytes]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run([poppler("pdfdetach"), "-list", str(path)], capture_output=True, text=True, check=True)
    found = {}
    for i, line in enumerate(listing.stdout.splitlines()[1:], start=1):
        name = line.split(":", 1)[1].strip()
        target = tmp_path / f"att-{i}"
        subprocess.run([poppler("pdfdetach"), "-save", str(i), "-o", str(target), str(path)], check=True)
        found[name] = target.read_bytes()
    return found


def receipt(**overrides: Any) -> document_pdf.Letter:
    fields: dict[str, Any] = {
        "number": "20261130000001-SL",
        "work_type": "美术",
        "submitted_on": dt.date(2026, 11, 28),
        "accepted_on": dt.date(2026, 11, 30),
        "working_days": 15,
        "due": dt.date(2026, 12, 21),
        "provisional": False,
    }
    fields.update(overrides)
    return document_pdf.acceptance_receipt(ABOUT, **fields)


def notice(text: str = "1. 作品名称与样本题款不符，请更正名称。\n2. 请补充作品说明书。") -> document_pdf.Letter:
    return document_pdf.correction_notice(
        ABOUT,
        number="20261130000001-BZ1",
        round=1,
        notice=text,
        notified_on=dt.date(2026, 12, 2),
        due=dt.date(2027, 1, 31),
    )


def refusal(ground: str = "not_owner", register: document_pdf.Register = "registration") -> document_pdf.Letter:
    labels = {"not_owner": "申请人不是著作权人（与他人作品相同或实质相似）", "term_expired": "超过著作权保护期"}
    return document_pdf.refusal_decision(
        dataclasses.replace(ABOUT, register=register),
        number="20261130000001-JD",
        ground=ground,
        ground_label=labels[ground],
        reason="申请登记的图片与已登记的作品相同，申请人未提供权属证明。",
        decided_on=dt.date(2026, 12, 5),
    )


def signed(kit: Kit, pdf: bytes, signer: Any = None) -> bytes:
    signer = signer or kit.signing
    return sign_pdf(pdf, signer.key, signer.chain, kit.timestamper)


# --- letters --------------------------------------------------------------------------------------------------


def test_the_receipt_names_the_application_the_review_period_and_its_due_date() -> None:
    text = text_of(document_pdf.render_letter(receipt()))
    for expected in (
        ISSUER,
        "受理通知书",
        "编号：20261130000001-SL",
        "林画家：",
        "您于2026年11月28日提交的作品登记申请（流水号20261130000001），作品《大芬村的早晨》",
        "本机构已于2026年11月30日予以受理",
        "自受理之日起15个工作日内，即2026年12月21日前审查完毕",
        "审查期限15个工作日",
        "审查截止日期2026年12月21日",
        "作品自愿登记专用章",
        "本文书不是登记证书，没有记入公开日志",
    ):
        assert expected in text, expected
    assert "暂定" not in text


def test_a_receipt_whose_due_date_rests_on_an_unpublished_holiday_calendar_says_so() -> None:
    text = text_of(document_pdf.render_letter(receipt(provisional=True)))
    assert "2026年12月21日（暂定）" in text and "以调整后的工作日为准" in text


def test_the_correction_notice_says_what_to_correct_by_when_and_what_follows() -> None:
    text = text_of(document_pdf.render_letter(notice()))
    for expected in (
        "补正通知书",
        "需要补正的事项（第1次补正）",
        "1.作品名称与样本题款不符，请更正名称。",
        "2.请补充作品说明书。",
        "请于2027年1月31日前（含当日）登录平台",
        "补正提交后，审查期限自补正之日起重新计算。",
        "逾期未补正的，视为撤回申请。",
        "补正期限2027年1月31日",
    ):
        assert expected in text, expected


def test_the_refusal_gives_the_ground_the_reasons_and_only_the_remedies_the_sources_make_certain() -> None:
    text = text_of(document_pdf.render_letter(refusal()))
    assert "不予登记决定书" in text and "本机构决定不予登记。" in text
    assert "依据：申请人不是著作权人（与他人作品相同或实质相似）。" in text
    assert "理由" in text and "申请人未提供权属证明" in text
    assert "作品登记实行自愿原则，著作权不以登记为条件；本决定不影响您依法享有的著作权。" in text
    assert "您可以补充新的材料（例如权属证明）后，重新提出作品登记申请。" in text
    # No appeal route is named in the sources, so the decision names none.
    assert "复议" not in text and "诉讼" not in text
    assert "第五条" not in text


def test_a_refusal_on_an_article_five_ground_cites_the_article() -> None:
    text = text_of(document_pdf.render_letter(refusal("term_expired")))
    assert "依据：超过著作权保护期（《作品自愿登记试行办法》第五条）" in text


def test_a_refused_digital_filing_gets_a_decision_not_to_file_under_the_filing_seal() -> None:
    text = text_of(document_pdf.render_letter(refusal(register="digital_filing")))
    assert "不予备案决定书" in text and "数字作品备案申请" in text and "数字作品备案专用章" in text
    assert "不予登记" not in text


def test_a_letter_embeds_what_it_is_and_no_proof_bundle(tmp_path: Path) -> None:
    found = attachments(document_pdf.render_letter(notice()), tmp_path)
    assert list(found) == [DOCUMENT_ATTACHMENT]
    assert json.loads(found[DOCUMENT_ATTACHMENT]) == {
        "format": "artrights-document/v1",
        "type": "correction_notice",
        "number": "20261130000001-BZ1",
        "issued_on": "2026-12-02",
        "issuer": ISSUER,
        "refers_to": "20261130000001",
    }


def test_a_short_letter_is_one_page_and_a_long_one_continues_with_page_numbers() -> None:
    assert pages_of(document_pdf.render_letter(receipt())) == 1
    assert pages_of(document_pdf.render_letter(notice())) == 1
    long = document_pdf.render_letter(notice("\n".join(f"{i}. 请补充第{i}项材料的清晰扫描件。" for i in range(1, 40))))
    text = text_of(long)
    assert pages_of(long) >= 2
    assert "39.请补充第39项材料的清晰扫描件。" in text and "20261130000001-BZ1第1页共" in text


def test_the_letter_qr_code_opens_the_verification_page(tmp_path: Path) -> None:
    import cv2

    (tmp_path / "n.pdf").write_bytes(document_pdf.render_letter(notice()))
    subprocess.run(
        [poppler("pdftoppm"), "-r", "150", "-png", "-singlefile", str(tmp_path / "n.pdf"), str(tmp_path / "page")],
        check=True,
    )
    page = cv2.imread(str(tmp_path / "page.png"))
    # OpenCV's detector misses some codes at some scales (a phone does not): try a few, as a camera would.
    decoded = {cv2.QRCodeDetector().detectAndDecode(cv2.resize(page, None, fx=f, fy=f))[0] for f in (1, 0.7, 0.5)}
    assert URL in decoded


# --- letters and `artrights verify` ----------------------------------------------------------------------------


def test_a_signed_letter_verifies_as_the_document_it_is_never_as_a_registration(kit: Kit) -> None:
    verdict = verify.verify_bytes(signed(kit, document_pdf.render_letter(refusal())), kit.trust)
    assert verdict.ok and verdict.passed == ["pdf_signature", "document"]
    assert verdict.number == "20261130000001-JD" and verdict.log_index is None
    summary = verdict.summary()
    assert summary.startswith(
        "签名有效 SIGNATURE VALID: 不予登记决定书 20261130000001-JD，广东省版权保护联合会 2026-12-05"
    )
    assert "not a registration" in summary and not summary.startswith("有效 VALID")


def test_the_command_prints_the_document_verdict_and_its_json(
    kit: Kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "trust.json").write_text(json.dumps(kit.trust.to_json()), encoding="utf-8")
    (tmp_path / "receipt.pdf").write_bytes(signed(kit, document_pdf.render_letter(receipt())))
    args = [str(tmp_path / "receipt.pdf"), "--trust", str(tmp_path / "trust.json")]
    assert verify.main(args) == 0
    assert capsys.readouterr().out.startswith("签名有效 SIGNATURE VALID: 受理通知书 20261130000001-SL")
    assert verify.main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] and report["type"] is None and report["log_index"] is None
    assert report["document"]["type"] == "acceptance_receipt" and report["document"]["issued_on"] == "2026-11-30"


def test_a_letter_with_one_changed_byte_is_refused(kit: Kit) -> None:
    pdf = bytearray(signed(kit, document_pdf.render_letter(receipt())))
    for where in (0.1, 0.5, 0.9):
        damaged = bytearray(pdf)
        damaged[int(len(pdf) * where)] ^= 0x01
        assert verify.verify_bytes(bytes(damaged), kit.trust).failed_check == "pdf_signature"


def test_a_letter_signed_by_a_stranger_is_refused(kit: Kit) -> None:
    verdict = verify.verify_bytes(signed(kit, document_pdf.render_letter(receipt()), Kit.new().signing), kit.trust)
    assert verdict.failed_check == "pdf_signature" and "trusted root" in verdict.message_en


def test_a_letter_is_refused_without_signing_roots_to_confirm_its_issuer(kit: Kit) -> None:
    trust = Trust(origin=kit.trust.origin, log_keys=kit.trust.log_keys, tsa_roots=kit.trust.tsa_roots)
    verdict = verify.verify_bytes(signed(kit, document_pdf.render_letter(receipt())), trust)
    assert verdict.failed_check == "pdf_signature" and "signing_roots" in verdict.message_en


def test_an_unsigned_letter_is_refused(kit: Kit) -> None:
    assert verify.verify_bytes(document_pdf.render_letter(receipt()), kit.trust).failed_check == "pdf_signature"


def test_a_signed_letter_of_an_unknown_kind_is_refused(kit: Kit) -> None:
    from artrights.registry.certificate_pdf import embed, new_pdf

    pdf = new_pdf("x", dt.date(2026, 12, 1))
    embed(
        pdf, b'{"format": "artrights-document/v1", "type": "licence"}', DOCUMENT_ATTACHMENT, "x", dt.date(2026, 12, 1)
    )
    verdict = verify.verify_bytes(signed(kit, bytes(pdf.output())), kit.trust)
    assert verdict.failed_check == "document" and "unknown document type" in verdict.message_en


# --- certificates of contract filings and pledges ---------------------------------------------------------------


def contract_bundle(kit: Kit) -> tuple[dict[str, Any], statements.Openings]:
    assignor = Opening.new({"name": "林画家", "id_type": "resident_id", "id_number": "11010519491231002X"})
    assignee = Opening.new({"name": "深圳市示例文创有限公司", "id_type": "uscc", "id_number": "914403001922038216"})
    statement = statements.check_statement(
        {
            "type": statements.StatementType.CONTRACT_FILING,
            "registry": kit.log.origin,
            "number": "粤合备字-2026-00000001",
            "registered_at": dt.datetime.now(dt.UTC).isoformat(),
            "contract_type": "exclusive_licence",
            "refers_to": ["粤作登字-2026-F-00000001"],
            "parties": [
                {"role": "assignor", "commitment": assignor.commitment},
                {"role": "assignee", "commitment": assignee.commitment},
            ],
        }
    )
    openings = statements.Openings(None, (assignor, assignee), ("assignor", "assignee"))
    return kit.register(statement, openings), openings


def proof(kit: Kit, bundle: dict[str, Any]) -> document_pdf.LoggedProof:
    return document_pdf.LoggedProof(URL, kit.log.origin, bundle["log"]["index"], dump_bundle(bundle))


def test_the_contract_filing_certificate_shows_the_contract_and_verifies_with_its_proof(
    kit: Kit, tmp_path: Path
) -> None:
    bundle, openings = contract_bundle(kit)
    data = document_pdf.ContractCertificate(
        number="粤合备字-2026-00000001",
        contract_type="专有许可合同",
        works=[("大芬村的早晨", "粤作登字-2026-F-00000001")],
        assignor="林画家",
        assignee="深圳市示例文创有限公司",
        rights=["复制权", "信息网络传播权"],
        territory="中国大陆",
        valid_from=dt.date(2026, 12, 1),
        valid_until=None,
        contract_sha256="ab" * 32,
        issuer=ISSUER,
        filed_on=dt.date(2026, 12, 1),
        proof=proof(kit, bundle),
    )
    pdf = signed(kit, document_pdf.render_contract_certificate(data))
    text = text_of(pdf)
    for expected in (
        "著作权合同备案证明",
        "备案号：粤合备字-2026-00000001",
        "合同类型专有许可合同",
        "作品《大芬村的早晨》粤作登字-2026-F-00000001",
        "转让方/许可方林画家",
        "受让方/被许可方深圳市示例文创有限公司",
        "权利种类复制权、信息网络传播权",
        "期限2026年12月1日至未约定终止日期",
        "SHA-256abababababababab…abababab",
        "经广东省版权保护联合会审核，予以备案。",
        "著作权合同备案专用章",
    ):
        assert expected in text, expected
    assert set(attachments(pdf, tmp_path)) == {CERTIFICATE_ATTACHMENT}
    assert b"914403001922038216" not in pdf and b"11010519491231002X" not in pdf
    verdict = verify.verify_bytes(pdf, kit.trust)
    assert verdict.ok and verdict.summary().startswith("有效 VALID: 合同备案 粤合备字-2026-00000001"), verdict.summary()
    opened = verify.verify_bytes(
        pdf, kit.trust, openings=json.dumps(openings_file(bundle["statement"], openings)).encode()
    )
    assert opened.ok and "受让方/被许可方 深圳市示例文创有限公司（uscc 914403001922038216）" in opened.summary()


def test_the_pledge_certificate_says_the_pledge_exists_from_its_registration(kit: Kit) -> None:
    bundle, _openings = contract_bundle(kit)
    data = document_pdf.PledgeCertificate(
        number="粤质登字-2026-00000001",
        works=[("大芬村的早晨", "粤作登字-2026-F-00000001")],
        pledgor="林画家",
        pledgee="示例银行股份有限公司深圳分行",
        rights=["复制权"],
        secured_amount="100,000.00 元",
        debt_term_end=dt.date(2030, 1, 1),
        issuer=ISSUER,
        registered_on=dt.date(2026, 12, 3),
        proof=proof(kit, bundle),
    )
    text = text_of(document_pdf.render_pledge_certificate(data))
    for expected in (
        "著作权质权登记证书",
        "质权登记号：粤质登字-2026-00000001",
        "出质人林画家",
        "质权人示例银行股份有限公司深圳分行",
        "出质权利复制权",
        "担保债权数额100,000.00元",
        "债务履行期限至2030年1月1日",
        "著作权质权自登记之日起设立。",
        "登记日期：2026年12月3日",
    ):
        assert expected in text, expected


# --- the registration certificate's picture -------------------------------------------------------------------


def picture(size: tuple[int, int]) -> bytes:
    image = Image.open(io.BytesIO(sample_image(21))).convert("RGB").resize(size)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def registered(kit: Kit) -> dict[str, Any]:
    statement, openings = kit.statement(image=sample_image(2), iscc="ISCC:EEA4GQZQTY6J5DTH")
    return kit.register(statement, openings)


@pytest.mark.parametrize("size", [(480, 360), (300, 600)])
def test_the_certificate_shows_the_work_beside_the_particulars_without_overlapping_them(
    kit: Kit, registered: dict[str, Any], size: tuple[int, int]
) -> None:
    pdf = render_certificate(
        certificate_data(
            kit,
            registered,
            picture=picture(size),
            title="大芬村的清晨：油画系列之一（布面油彩，一百二十厘米乘八十厘米）",
        )
    )
    listing = subprocess.run([poppler("pdfimages"), "-list", "-"], input=pdf, capture_output=True, check=True)
    widths = {int(line.split()[3]) for line in listing.stdout.decode().splitlines()[2:]}
    assert size[0] in widths  # the picture, beside the QR code
    html = subprocess.run([poppler("pdftotext"), "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    words = [
        (float(x1), float(y0), float(x2), text)
        for x1, y0, x2, text in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', html.stdout.decode()
        )
    ]
    caption = min(y0 for _x1, y0, _x2, text in words if "作品样图" in text)
    picture_left = 140 / 25.4 * 72
    beside = [text for x1, y0, x2, text in words if 76 / 25.4 * 72 < y0 < caption and x2 > picture_left]
    assert beside == [], beside  # nothing printed under the picture
    assert "作品样图" in text_of(pdf)


def test_a_certificate_without_a_picture_keeps_the_full_width_rows(kit: Kit, registered: dict[str, Any]) -> None:
    pdf = render_certificate(certificate_data(kit, registered))
    listing = subprocess.run([poppler("pdfimages"), "-list", "-"], input=pdf, capture_output=True, check=True)
    assert len(listing.stdout.decode().splitlines()[2:]) == 1  # the QR code only
    assert "作品样图" not in text_of(pdf)
