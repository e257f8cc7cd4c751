"""The public verification page reads as a verdict for a member of the public: check names people understand, one
sentence in the page's language, and times in Beijing time; the offline verifier's own output is unchanged."""

import re
import zoneinfo
from html import unescape

import pytest

from artrights.registry import services
from artrights.registry.verification import platform_trust
from artrights.testing import LIN, fresh
from artrights.verify import verify_bytes

from .factories import OWNER, artwork_png, samples, upload, work_fields

pytestmark = pytest.mark.django_db
CHECK_IDS = ("pdf_signature", "file_hash", "statement", "inclusion_proof", "checkpoint_signature", "timestamp", "c2pa")


@pytest.fixture(scope="module")
def filed_once(module_db, module_make_user):
    """The artist and their filing with its certificate, made once for the module (``module_db``)."""
    artist = module_make_user("artist-lin", "artist", display_name="林画家", identity=LIN)
    with module_db():
        work = services.file_digital_work(
            user=artist, fields=work_fields(title="前海晨雾"), owners=[OWNER], files=samples(95), issue_now=True
        )
    return artist, work


@pytest.fixture
def artist(filed_once):
    return fresh(filed_once[0])


@pytest.fixture
def certificate_pdf(filed_once):
    work = fresh(filed_once[1])
    with work.certificates.get().pdf.open("rb") as fh:
        return work, fh.read()


def _verdict_text(response) -> str:
    """The verdict as a reader sees it: inline markup dropped, blocks separated by spaces."""
    html = response.content.decode()
    verdict = html.split('data-testid="verdict">')[1].split("</section>")[0]
    verdict = re.sub(r"</?(strong|span|a|code)\b[^>]*>", "", verdict)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", verdict)))


def _sentence(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"<[^>]+>", "", html.split('data-testid="verdict-sentence">')[1].split("</p>")[0]))


def test_a_valid_certificate_gets_one_chinese_sentence_with_the_time_in_beijing_time(client, certificate_pdf):
    work, pdf = certificate_pdf
    response = client.post("/verify/", {"file": upload(pdf, "cert.pdf", "application/pdf")})
    verdict = verify_bytes(pdf, platform_trust())
    beijing = verdict.timestamp.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert _sentence(response) == (
        f"数字作品备案 {work.number} 已记入公开日志（序号 {work.log_index}），可信时间戳为 {beijing}（北京时间）。"
    )
    text = _verdict_text(response)
    assert "验证通过" in text and "日志包含证明：通过" in text and "这条登记确实记在公开日志中" in text
    assert "VALID" not in text and " / " not in text  # not the offline tool's bilingual line
    assert not any(check_id in text for check_id in CHECK_IDS)
    assert not re.search(r"\d{2}:\d{2}:\d{2}Z", text)  # no UTC time beside the certificate's Beijing dates


def test_the_english_page_gives_the_verdict_in_english_only(client, certificate_pdf):
    work, pdf = certificate_pdf
    client.cookies["django_language"] = "en"
    response = client.post("/verify/", {"file": upload(pdf, "cert.pdf", "application/pdf")})
    sentence = _sentence(response)
    assert sentence.startswith(f"Digital work filing {work.number} is entry {work.log_index} of the public log")
    assert sentence.endswith("(Beijing time).")
    text = _verdict_text(response).replace(work.number, "")
    assert "Verification passed" in text and "Log inclusion proof: passed" in text
    assert not re.search(r"[\u4e00-\u9fff]", text)


def test_a_failed_check_is_named_in_words_with_its_reason_in_the_pages_language(client, certificate_pdf):
    response = client.post("/verify/", {"file": upload(artwork_png(5))})
    sentence = _sentence(response)
    assert sentence.startswith("这份文件未通过核验。“内容凭证（C2PA）”不符：")
    assert "验证未通过" in _verdict_text(response) and "其后的检查没有进行" in _verdict_text(response)
    client.cookies["django_language"] = "en"
    english = _sentence(client.post("/verify/", {"file": upload(artwork_png(5))}))
    assert english.startswith("This file did not pass verification. “Content credentials (C2PA)” failed:")
    assert not re.search(r"[\u4e00-\u9fff]", english)


def test_a_damaged_pdf_is_refused_in_a_sentence_not_a_code(client, certificate_pdf):
    _work, pdf = certificate_pdf
    damaged = pdf[:200] + b"X" + pdf[201:]
    text = _verdict_text(client.post("/verify/", {"file": upload(damaged, "cert.pdf", "application/pdf")}))
    assert "验证未通过" in text and "PDF 电子签名：未通过" in text
    assert "pdf_signature" not in text


def test_the_offline_verifier_still_prints_its_bilingual_line(certificate_pdf):
    _work, pdf = certificate_pdf
    assert verify_bytes(pdf, platform_trust()).summary().startswith("有效 VALID: 数字作品备案 ")


def _credentialed_image(artist, seed: int) -> bytes:
    work = services.file_digital_work(
        user=artist, fields=work_fields(title=f"作品 {seed}"), owners=[OWNER], files=samples(seed), issue_now=True
    )
    with work.certificates.get().credentialed_image.open("rb") as fh:
        return fh.read()


def test_an_image_whose_timestamp_was_swapped_names_the_content_credentials_timestamp_as_failed(client, artist):
    from .tampering import with_token_of

    image, other = _credentialed_image(artist, 96), _credentialed_image(artist, 97)
    assert verify_bytes(image, platform_trust()).passed[:2] == ["c2pa", "c2pa_timestamp"]

    response = client.post("/verify/", {"file": upload(with_token_of(image, other))})

    assert response.status_code == 200
    assert _sentence(response).startswith("这份文件未通过核验。“内容凭证签名时间戳”不符：")
    text = _verdict_text(response)
    assert "内容凭证（C2PA）：通过" in text and "内容凭证签名时间戳：未通过" in text


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_refused_in_a_sentence_in_the_pages_language(client, depth):
    deep = ('{"a":' * depth + "1" + "}" * depth).encode()

    response = client.post("/verify/", {"file": upload(deep, "certificate.json", "application/json")})

    assert response.status_code == 200
    assert _sentence(response).startswith(
        "这份文件未通过核验。“登记声明与承诺”不符：证明包无法读取：JSON 嵌套超过 32 层"
    )
    client.cookies["django_language"] = "en"
    english = _sentence(client.post("/verify/", {"file": upload(deep, "certificate.json", "application/json")}))
    assert "nests deeper than 32 levels" in english and not re.search(r"[\u4e00-\u9fff]", english)
