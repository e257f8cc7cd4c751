"""Contract filing, pledge registration, consent and reissue through the pages."""

import pytest

from artrights.core.services import PartyInput
from artrights.registry import services
from artrights.registry.models import ContractFiling, Pledge

from .factories import OWNER, samples, work_fields

pytestmark = pytest.mark.django_db
BANK = {
    "party_kind": "organisation",
    "party_name": "示例银行深圳分行",
    "party_id_type": "uscc",
    "party_id_number": "91350100M000100Y43",
}
LICENSEE = {
    "party_kind": "organisation",
    "party_name": "深圳市示例文创有限公司",
    "party_id_type": "uscc",
    "party_id_number": "914403001922038216",
}


@pytest.fixture
def filed(artist):
    return services.file_digital_work(
        user=artist, fields=work_fields(), owners=[OWNER], files=samples(81), issue_now=True
    )


def test_a_pledge_blocks_a_licence_until_the_bank_consents_in_its_page(client, artist, registrar, make_user, filed):
    bank = make_user("bank-user", "artist")
    client.force_login(registrar)
    client.post(
        f"/registry/works/{filed.pk}/pledges/",
        {
            **BANK,
            "rights": ["reproduction"],
            "secured_amount": "300000",
            "debt_term_end": "2028-01-01",
            "pledgee_username": "bank-user",
        },
    )
    pledge = Pledge.objects.get()
    assert pledge.pledgee_user == bank
    licence = {
        **LICENSEE,
        "contract_type": "exclusive_licence",
        "rights": ["reproduction", "network"],
        "territory": "中国大陆",
        "valid_from": "2026-12-01",
    }
    client.force_login(artist)
    page = client.post(f"/registry/works/{filed.pk}/contracts/", licence, follow=True).content.decode()
    assert "质权人对本次合同的同意" in page and not ContractFiling.objects.exists()
    client.force_login(bank)
    assert pledge.number in client.get("/registry/pledges/").content.decode()
    client.post(f"/registry/pledges/{pledge.pk}/consents/", {**LICENSEE, "contract_type": "exclusive_licence"})
    client.force_login(artist)
    page = client.post(f"/registry/works/{filed.pk}/contracts/", licence, follow=True).content.decode()
    filing = ContractFiling.objects.get()
    assert filing.number in page


def test_someone_else_cannot_record_the_banks_consent(client, artist, registrar, make_user, filed):
    pledge = _pledge(registrar, filed, make_user("bank-2", "artist"))
    client.force_login(artist)
    assert (
        client.post(f"/registry/pledges/{pledge.pk}/consents/", {**LICENSEE, "contract_type": "transfer"}).status_code
        == 404
    )


def test_a_lost_certificate_is_reissued_with_a_new_serial_that_still_verifies(client, artist, filed):
    client.force_login(artist)
    page = client.post(f"/registry/works/{filed.pk}/reissue/", {"reason": "证书遗失"}, follow=True).content.decode()
    assert "已签发新证书" in page
    first, second = sorted(filed.certificates.all(), key=lambda c: c.serial)
    assert (first.serial, second.serial) == (1, 2) and second.reason == "证书遗失"
    from artrights.registry.verification import platform_trust
    from artrights.verify import verify_bytes

    with second.pdf.open("rb") as fh:
        assert verify_bytes(fh.read(), platform_trust()).ok
    page = client.post(f"/registry/works/{filed.pk}/reissue/", {"reason": " "}, follow=True).content.decode()
    assert "请写明" in page


def test_the_api_files_a_licence_and_refuses_moral_rights(client, artist, filed):
    client.force_login(artist)
    body = {
        "contract_type": "non_exclusive_licence",
        "rights": ["network"],
        "territory": "全球",
        "valid_from": "2027-01-01",
        "assignee": {"name": LICENSEE["party_name"], "id_type": "uscc", "id_number": LICENSEE["party_id_number"]},
    }
    response = client.post(f"/api/registry/works/{filed.pk}/contracts", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["number"].startswith("粤合备字-")
    response = client.post(
        f"/api/registry/works/{filed.pk}/contracts", {**body, "rights": ["authorship"]}, content_type="application/json"
    )
    assert response.status_code == 422


def test_an_application_moves_through_the_api_and_a_wrong_move_is_a_conflict(client, artist, registrar):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(82))
    client.force_login(artist)

    def act(action, **body):
        return client.post(f"/api/registry/works/{work.pk}/actions/{action}", body, content_type="application/json")

    assert act("submit").json()["status"] == "submitted"
    response = act("submit")
    assert response.status_code == 409 and "accept" in response.json()["allowed"]
    assert "不能执行" in response.json()["detail"]
    client.force_login(registrar)
    assert act("accept").json()["review_due"]
    assert act("refuse", ground="not_protected").status_code == 422  # reasons are required


def test_a_registrar_changes_the_title_and_the_new_certificate_refers_to_the_old_entry(
    client, registrar, filed, django_capture_on_commit_callbacks
):
    old_index, old_number = filed.log_index, filed.number
    client.force_login(registrar)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"/registry/works/{filed.pk}/change/",
            {"title": "大芬村的早晨（修订）", "description": "补充说明", "reason": "申请人更正作品名称"},
            follow=True,
        ).content.decode()
    assert "变更已登记" in page
    filed.refresh_from_db()
    assert filed.title == "大芬村的早晨（修订）" and filed.version == 2 and filed.log_index > old_index
    newest = filed.certificates.first()
    assert newest.serial == 2
    assert newest.bundle["statement"]["type"] == "artrights/change@v1"
    assert newest.bundle["statement"]["refers_to"] == [old_number]
    response = client.post(
        f"/api/registry/works/{filed.pk}/change",
        {"fields": {"number": "x"}, "reason": "r"},
        content_type="application/json",
    )
    assert response.status_code == 422


def _pledge(registrar, filed, bank):
    """The work pledged to the bank, whose platform account is ``bank``."""
    return services.register_pledge(
        registrar=registrar,
        works=[filed],
        pledgor=OWNER,
        pledgee=PartyInput(
            name=BANK["party_name"], id_type="uscc", id_number=BANK["party_id_number"], kind="organisation"
        ),
        rights=["reproduction"],
        secured_amount=1000,
        debt_term_end="2028-01-01",
        pledgee_user=bank,
    )


def _pledge_with_consent(registrar, filed, bank, contract_type="non_exclusive_licence"):
    pledge = _pledge(registrar, filed, bank)
    assignee = PartyInput(
        name=LICENSEE["party_name"], id_type="uscc", id_number=LICENSEE["party_id_number"], kind="organisation"
    )
    consent = services.consent_to_contract(user=bank, pledge=pledge, contract_type=contract_type, assignee=assignee)
    return pledge, consent


API_LICENCE = {
    "contract_type": "non_exclusive_licence",
    "rights": ["network"],
    "territory": "全球",
    "valid_from": "2027-01-01",
    "assignee": {"name": LICENSEE["party_name"], "id_type": "uscc", "id_number": LICENSEE["party_id_number"]},
}


def test_a_contract_filed_through_the_api_leaves_the_consent_of_a_cancelled_pledge_unused(
    client, artist, registrar, make_user, filed
):
    pledge, consent = _pledge_with_consent(registrar, filed, make_user("bank-3", "artist"))
    services.cancel_pledge(registrar=registrar, pledge=pledge)
    client.force_login(artist)
    response = client.post(f"/api/registry/works/{filed.pk}/contracts", API_LICENCE, content_type="application/json")
    assert response.status_code == 201, response.content
    filing = ContractFiling.objects.get()
    # The consent answered a pledge that no longer exists; the filing neither needs nor consumes it.
    assert list(filing.pledge_consents.all()) == []
    assert not consent.used_by.exists()


def test_the_page_and_the_api_use_the_same_open_consents(client, artist, registrar, make_user, filed):
    from artrights.registry import selectors

    bank = make_user("bank-4", "artist")
    # An earlier contract without any consent must not hide the consents given later.
    client.force_login(artist)
    assert (
        client.post(
            f"/api/registry/works/{filed.pk}/contracts", API_LICENCE, content_type="application/json"
        ).status_code
        == 201
    )
    pledge, consent = _pledge_with_consent(registrar, filed, bank)
    assert list(selectors.open_consents(filed)) == [consent]
    licence = {**LICENSEE, "contract_type": "non_exclusive_licence", "rights": ["network"], "territory": "全球"}
    page = client.post(
        f"/registry/works/{filed.pk}/contracts/", {**licence, "valid_from": "2027-02-01"}, follow=True
    ).content.decode()
    filing = ContractFiling.objects.order_by("-pk").first()
    assert filing.number in page and list(filing.pledge_consents.all()) == [consent]
    assert list(selectors.open_consents(filed)) == []
    assert pledge.status == "registered"
