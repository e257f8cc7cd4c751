"""The readable page of the public log at /log/: what the public sees, page by page, and how to audit it."""

import re

import pytest
from django.urls import reverse

from artrights.ledger import keys, services
from artrights.ledger.models import LogEntry
from artrights.ledger.tests.factories import append_statements, published_log
from artrights.proofs.note import ALG_COSIGNATURE_V1, cosign_note, generate_key, new_signer, new_verifier
from artrights.registry import services as registry
from artrights.registry.tests.factories import OWNER, samples, work_fields

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_empty_log_says_so_and_still_explains_how_to_audit(client):
    response = client.get("/log/")
    assert response.status_code == 200
    page = _text(response)
    assert "公开日志" in page and "尚未发布检查点" in page and "日志中还没有记录" in page
    assert "如何审计这本日志" in page and "artrights log verify" in page
    assert keys.log_verifier_key() in page


def test_a_filed_work_appears_with_its_type_number_and_time_but_no_personal_data(client, artist):
    work = registry.file_digital_work(
        user=artist, fields=work_fields(title="梧桐山日出"), owners=[OWNER], files=samples(81), issue_now=False
    )
    services.publish_checkpoint()
    response = client.get("/log/")
    page = _text(response)
    number = str(work.number)
    assert "数字作品备案" in page and number in page
    assert f'href="{reverse("verify_number", args=[number])}"' in response.content.decode()
    assert "（北京时间）" in page
    # The statement holds hashes and commitments only: no title, name or ID number reaches the page.
    for private in ("梧桐山日出", OWNER.name, OWNER.id_number):
        assert private not in response.content.decode()


def test_the_latest_checkpoint_shows_its_size_root_time_and_witnesses(client):
    signer_key, vkey = generate_key("witness.example/w1", ALG_COSIGNATURE_V1)
    services.add_witness(name="见证方一", vkey=vkey)
    checkpoint = published_log(3)
    cosigned = cosign_note(checkpoint.signed_note(), [new_verifier(checkpoint.key)], new_signer(signer_key))
    services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=cosigned)
    response = client.get("/log/")
    html = response.content.decode()
    page = _text(response)
    root = checkpoint.body.splitlines()[2]  # origin, size, base64 root hash
    assert '<dd data-testid="checkpoint-size">3</dd>' in html
    assert root in page
    assert "1 个见证方：见证方一" in page
    assert "有（RFC 3161）" in page


def test_entries_after_the_latest_checkpoint_are_marked_as_waiting_for_the_next_one(client):
    published_log(2)
    append_statements(1, start=2)
    page = _text(client.get("/log/"))
    assert page.count("待签入检查点") == 1
    assert "其他声明" in page  # a statement type the page has no label for is still listed


def test_pages_go_from_the_newest_entry_to_the_oldest_and_bad_page_numbers_fall_back(client):
    published_log(120)

    def indexes(query: str) -> list[int]:
        return [int(i) for i in re.findall(r"序号 (\d+)", _text(client.get("/log/" + query)))]

    assert indexes("") == list(range(119, 69, -1))
    assert indexes("?page=3") == list(range(19, -1, -1))
    assert indexes("?page=abc") == indexes("")
    assert indexes("?page=999") == indexes("?page=3")
    assert "第 2 / 3 页" in _text(client.get("/log/?page=2"))


def test_a_page_reads_one_index_range_whatever_its_position(client, django_assert_max_num_queries):
    published_log(300)
    with django_assert_max_num_queries(8):
        response = client.get("/log/?page=6")
    assert response.status_code == 200
    assert LogEntry.objects.count() == 300


def test_the_page_is_in_english_for_english_readers(client, artist):
    registry.file_digital_work(user=artist, fields=work_fields(), owners=[OWNER], files=samples(82), issue_now=False)
    services.publish_checkpoint()
    client.cookies["django_language"] = "en"
    page = _text(client.get("/log/"))
    assert "Public log" in page and "Digital work filing" in page and "(Beijing time)" in page
    assert "How to audit this log" in page
    assert "数字作品备案" not in page


def test_the_audit_links_use_the_address_the_visitor_came_to_unless_one_is_configured(client, settings):
    settings.ARTRIGHTS_PUBLIC_URL = ""
    assert "http://testserver/log/checkpoint" in _text(client.get("/log/"))
    settings.ARTRIGHTS_PUBLIC_URL = "https://copyright.example.cn"
    assert "https://copyright.example.cn/log/checkpoint" in _text(client.get("/log/"))


def test_the_machine_endpoints_under_log_are_unchanged_beside_the_page(client):
    published_log(2)
    assert client.get("/log/checkpoint")["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get("/log/key").content.decode().strip() == keys.log_verifier_key()
    assert client.get("/log/tile/0/000.p/2").status_code == 200
    assert client.post("/log/").status_code == 405  # the page, like the endpoints, only answers reads
