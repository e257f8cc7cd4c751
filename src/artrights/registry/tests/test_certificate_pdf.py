"""The PDF certificate: Chinese text with an embedded font, the attached bundle, QR code, PAdES B-T."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from artrights.core.errors import BilingualError
from artrights.proofs.bundle import dump_bundle
from artrights.proofs.tests.proofkit import Kit, sample_image
from artrights.registry.certificate_pdf import (
    CERTIFICATE_ATTACHMENT,
    CertificateData,
    FontMissingError,
    find_cjk_font,
    render_certificate,
    sign_pdf,
)

NUMBER = "粤作登字-2026-F-00000001"
VERIFY_URL = f"https://registry.artrights.test/verify/{NUMBER}"


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is missing: apt-get install poppler-utils")
    return path


def certificate_data(kit: Kit, bundle: dict[str, Any], **overrides: Any) -> CertificateData:
    fields: dict[str, Any] = {
        "number": NUMBER,
        "title": "大芬村的清晨",
        "work_type": "美术",
        "authors": ["李明"],
        "owners": ["深圳市大芬油画艺术有限公司"],
        "applicant": "深圳市大芬油画艺术有限公司",
        "issuer": "广东省版权保护联合会",
        "registered_on": dt.date(2026, 11, 26),
        "verify_url": VERIFY_URL,
        "log_origin": kit.log.origin,
        "log_index": bundle["log"]["index"],
        "bundle_json": dump_bundle(bundle),
        "created_on": dt.date(2025, 3, 1),
        "iscc": "ISCC:EEA4GQZQTY6J5DTH",
    }
    fields.update(overrides)
    return CertificateData(**fields)


@pytest.fixture(scope="module")
def kit() -> Kit:
    return Kit.new()


@pytest.fixture(scope="module")
def registered(kit: Kit) -> dict[str, Any]:
    statement, openings = kit.statement(image=sample_image(2), iscc="ISCC:EEA4GQZQTY6J5DTH")
    return kit.register(statement, openings)


@pytest.fixture(scope="module")
def unsigned(kit: Kit, registered: dict[str, Any]) -> bytes:
    return render_certificate(certificate_data(kit, registered))


@pytest.fixture(scope="module")
def signed_path(kit: Kit, unsigned: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cert") / "certificate.pdf"
    path.write_bytes(sign_pdf(unsigned, kit.signing.key, kit.signing.chain, kit.timestamper))
    return path


def test_the_certificate_shows_its_fields_in_chinese(signed_path: Path) -> None:
    text = subprocess.run(
        [poppler("pdftotext"), "-layout", str(signed_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for expected in (
        "作品登记证书",
        f"登记号：{NUMBER}",
        "作品名称大芬村的清晨",
        "作品类别美术",
        "作者李明",
        "著作权人深圳市大芬油画艺术有限公司",
        "创作完成日期2025年3月1日",
        "首次发表日期未发表",
        "上述事项，由深圳市大芬油画艺术有限公司申请，经广东省版权保护联合会审核",
        "根据《作品自愿登记试行办法》规定，予以登记。",
        "登记日期：2026年11月26日",
        "ISCC:EEA4GQZQTY6J5DTH",
    ):
        assert expected in flat, expected


def test_the_cjk_font_is_embedded_as_a_subset(signed_path: Path) -> None:
    out = subprocess.run([poppler("pdffonts"), str(signed_path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for row in rows:
        # name … emb sub uni object ID: every font is embedded and subset.
        assert row[-5:-2] == ["yes", "yes", "yes"], out
    assert any("CJK" in row[0] for row in rows), out


def test_the_page_is_a4(signed_path: Path) -> None:
    out = subprocess.run([poppler("pdfinfo"), str(signed_path)], capture_output=True, text=True, check=True).stdout
    assert "595.28 x 841.89 pts (A4)" in out


def test_the_proof_bundle_is_attached_as_certificate_json(
    signed_path: Path, registered: dict[str, Any], tmp_path: Path
) -> None:
    listing = subprocess.run(
        [poppler("pdfdetach"), "-list", str(signed_path)], capture_output=True, text=True, check=True
    ).stdout
    assert CERTIFICATE_ATTACHMENT in listing
    target = tmp_path / "out.json"
    subprocess.run(
        [poppler("pdfdetach"), "-save", "1", "-o", str(target), str(signed_path)], check=True, capture_output=True
    )
    assert json.loads(target.read_text(encoding="utf-8")) == registered


def test_the_qr_code_opens_the_public_verification_page(signed_path: Path, tmp_path: Path) -> None:
    import cv2

    subprocess.run(
        [poppler("pdftoppm"), "-r", "150", "-png", "-singlefile", str(signed_path), str(tmp_path / "page")],
        check=True,
    )
    image = cv2.imread(str(tmp_path / "page.png"))
    assert image is not None
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert decoded == VERIFY_URL


def test_the_signature_is_pades_b_t_over_the_whole_file(kit: Kit, signed_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from artrights.core.asyncrun import run_sync
    from artrights.verify import _asn1_certs

    with signed_path.open("rb") as fh:
        reader = PdfFileReader(fh)
        [sig] = reader.embedded_signatures
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        status = run_sync(
            async_validate_pdf_signature(
                sig,
                signer_validation_context=ValidationContext(trust_roots=_asn1_certs([kit.signing.root])),
                ts_validation_context=ValidationContext(trust_roots=_asn1_certs([kit.tsa.root_certificate])),
            )
        )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted


def test_the_digital_filing_variant_has_its_own_title_and_sentence(kit: Kit, registered: dict[str, Any]) -> None:
    pdf = render_certificate(certificate_data(kit, registered, kind="digital_filing"))
    text = subprocess.run([poppler("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert "数字作品备案证书" in flat and "备案号" in flat and "予以备案" in flat
    assert "作品登记证书" not in flat


def test_rendering_the_same_data_twice_gives_the_same_bytes(
    kit: Kit, registered: dict[str, Any], unsigned: bytes
) -> None:
    assert render_certificate(certificate_data(kit, registered)) == unsigned


def test_the_font_parsed_once_for_every_document_writes_the_bytes_fpdf_writes_when_it_parses_the_font_afresh(
    kit: Kit, registered: dict[str, Any], unsigned: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from artrights.registry import certificate_pdf

    def add_font_afresh(pdf: Any, face: Any, *, style: str = "") -> None:
        pdf.add_font("cjk", style=style, fname=str(face.path), collection_font_number=face.index)
        pdf.fonts["cjk" + style].ttfont.recalcBBoxes = False  # the one thing add_cjk_font does differently

    monkeypatch.setattr(certificate_pdf, "add_cjk_font", add_font_afresh)
    afresh = render_certificate(certificate_data(kit, registered, title="大芬村的黄昏"))
    monkeypatch.undo()
    assert render_certificate(certificate_data(kit, registered, title="大芬村的黄昏")) == afresh
    assert render_certificate(certificate_data(kit, registered)) == unsigned  # nothing of one document in the next


def test_a_missing_font_is_reported_in_chinese_and_english_with_the_install_command(
    kit: Kit, registered: dict[str, Any]
) -> None:
    with pytest.raises(FontMissingError) as caught:
        render_certificate(certificate_data(kit, registered), font="/nonexistent/font.ttc")
    message = str(caught.value)
    assert "找不到中文字体" in message and "No CJK font found" in message
    assert "apt-get install fonts-noto-cjk" in message


def test_without_system_fonts_the_certificate_uses_the_font_the_python_dependencies_ship(
    kit: Kit, registered: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from artrights.registry import certificate_pdf

    monkeypatch.setattr(certificate_pdf, "_FONT_DIRS", (str(tmp_path),))  # a machine without fonts-noto-cjk
    face = find_cjk_font("bold")
    assert face.path.name == "NotoSerifSC-Regular.otf" and "pylopdf_fonts_zh_cn" in str(face.path)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(render_certificate(certificate_data(kit, registered)))
    fonts = subprocess.run([poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifSC" in fonts
    text = subprocess.run([poppler("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "作品登记证书" in text and "大芬村的清晨" in text


def test_the_system_font_is_the_simplified_chinese_face() -> None:
    from fontTools.ttLib import TTCollection

    face = find_cjk_font()
    if face.path.suffix != ".ttc":
        pytest.skip("ARTRIGHTS_CJK_FONT points at a single font")
    collection = TTCollection(str(face.path), lazy=True)
    name = collection.fonts[face.index]["name"].getDebugName(1)
    assert name is not None and name.endswith("SC")


def test_signing_needs_a_certificate_chain(kit: Kit, unsigned: bytes) -> None:
    with pytest.raises(ValueError, match="empty"):
        sign_pdf(unsigned, kit.signing.key, [], kit.timestamper)


def test_signing_appends_to_the_rendered_certificate(unsigned: bytes, signed_path: Path) -> None:
    # An incremental update: the rendered bytes stay a prefix, so the signature adds and changes nothing.
    signed = signed_path.read_bytes()
    assert signed.startswith(unsigned)
    assert len(signed) < len(unsigned) + 64 * 1024


def test_a_long_title_and_many_authors_shrink_the_text_instead_of_running_into_the_seal(
    kit: Kit, registered: dict[str, Any]
) -> None:
    import re

    data = certificate_data(
        kit,
        registered,
        title="大芬村的清晨：油画系列之一（布面油彩，一百二十厘米乘八十厘米），献给在大芬油画村工作了三十年的画工与画家们",
        authors=["李明", "王小红", "张伟", "陈静", "刘洋", "赵磊", "欧阳建国", "司马相如", "诸葛明"],
        owners=["深圳市大芬油画艺术有限公司", "深圳市龙岗区大芬美术产业协会", "李明", "王小红"],
    )
    html = subprocess.run(
        [poppler("pdftotext"), "-bbox", "-", "-"], input=render_certificate(data), capture_output=True, check=True
    ).stdout.decode()
    words = [
        (float(y_min), float(y_max), text)
        for y_min, y_max, text in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<', html)
    ]
    sentence_bottom = max(y_max for _, y_max, text in words if "予以登记" in text)
    date_top = min(y_min for y_min, _, text in words if "登记日期" in text)
    seal_top = date_top - 21.5 / 25.4 * 72  # the seal (r = 21 mm) reaches 21.5 mm above the date line
    assert sentence_bottom < seal_top
    assert any("欧阳建国" in text for *_, text in words)


def test_the_longest_title_and_names_the_registry_accepts_fit_on_the_certificate_with_its_picture(
    kit: Kit, registered: dict[str, Any]
) -> None:
    from artrights.registry.models import MAX_NAME, MAX_NAMES_TEXT, MAX_TITLE

    longest = "繁" * MAX_NAME
    names = [longest, "鑫" * (MAX_NAMES_TEXT - MAX_NAME - 1)]
    data = certificate_data(
        kit,
        registered,
        title="龘" * MAX_TITLE,
        authors=names,
        owners=names,
        applicant="龘" * MAX_NAMES_TEXT,
        picture=sample_image(3),
    )
    assert render_certificate(data).startswith(b"%PDF-")
    # Beyond the limits the certificate refuses to print rather than run text off the page.
    with pytest.raises(BilingualError) as refused:
        render_certificate(certificate_data(kit, registered, authors=["龘" * 400], owners=["龘" * 400]))
    assert refused.value.code == "certificate_overflow"
