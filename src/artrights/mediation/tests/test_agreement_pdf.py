"""The signed agreement is a PAdES-signed PDF in Chinese with its text and a public-log statement, checked offline by
``artrights verify`` like a certificate; the referral of a failed mediation is a signed document too."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest

from artrights.mediation import services
from artrights.mediation.tests import factories
from artrights.mediation.tests.test_walk import agree
from artrights.registry.verification import platform_trust
from artrights.verify import verify_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    agreement = agree(case, applicant, respondent, admin, mediator)
    return services.issue_pdf(agreement_id=agreement.pk)


def test_the_effective_agreement_pdf_verifies_offline_with_its_text_and_log_entry(signed):
    data = signed.pdf.read()
    assert hashlib.sha256(data).hexdigest() == signed.pdf_sha256
    verdict = verify_pdf(data, platform_trust())
    assert verdict.ok, verdict.summary()
    assert verdict.passed[0] == "pdf_signature" and verdict.passed[-1] == "agreement"
    assert verdict.number == signed.number and verdict.log_index == signed.log_index
    assert "调解协议" in verdict.summary()
    statement = verdict.bundle["statement"]
    assert statement["agreement"]["sha256"] == signed.sha256
    assert [s["capacity"] for s in statement["agreement"]["signatures"]] == [
        "party",
        "party",
        "mediator",
        "organisation",
    ]
    assert "吴路人" not in json.dumps(statement, ensure_ascii=False)  # parties only as commitments


def test_issuing_twice_gives_the_same_pdf(signed):
    assert services.issue_pdf(agreement_id=signed.pk).pdf_sha256 == signed.pdf_sha256


def test_a_changed_byte_in_the_agreement_pdf_fails_verification(signed):
    data = bytearray(signed.pdf.read())
    at = data.index(b"/Title")
    data[at + 8] ^= 0x01
    verdict = verify_pdf(bytes(data), platform_trust())
    assert not verdict.ok and verdict.failed_check == "pdf_signature"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_agreement_reads_in_chinese_with_parties_terms_and_signatures(signed, tmp_path):
    path = tmp_path / "agreement.pdf"
    path.write_bytes(signed.pdf.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("调解协议书", "林画家", "吴路人", "被申请人停止销售并赔偿 8000 元", "李调解", "电子签名"):
        assert expected in text


def _failed_delegated_case(respondent, admin, mediator):
    from artrights.mediation.models import Source

    case = factories.registered(admin, Source.COURT_DELEGATED)
    case = services.decide_acceptance(user=admin, case=case, accept=True)
    case = services.answer(user=respondent, case=case, consent=True)
    case = services.appoint(user=admin, case=case, mediator=mediator)
    case = services.confirm(user=mediator.user, case=case, accept=True)
    case = services.fail(user=mediator.user, case=case, reason="big_gap", cost_conduct="被申请人两次无故缺席")
    return case


def test_the_referral_of_a_failed_delegated_case_is_a_signed_document(respondent, admin, mediator):
    case = _failed_delegated_case(respondent, admin, mediator)
    case = services.record_court_step(user=admin, case=case, step="transfer_to_court")
    verdict = verify_pdf(case.referral_pdf.read(), platform_trust())
    assert verdict.ok, verdict.summary()
    assert verdict.document is not None and verdict.document.refers_to == case.number


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_referral_reads_in_chinese_when_the_court_liaison_works_in_english(respondent, admin, mediator, tmp_path):
    from django.utils import translation

    case = _failed_delegated_case(respondent, admin, mediator)
    with translation.override("en"):
        case = services.record_court_step(user=admin, case=case, step="transfer_to_court")
    path = tmp_path / "referral.pdf"
    path.write_bytes(case.referral_pdf.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for expected in ("法院委派（立案前）", "双方分歧较大，难以达成协议", "被申请人两次无故缺席"):
        assert expected in flat
    assert "The parties" not in text and "Court-delegated" not in text


def test_a_pdf_signed_with_other_agreement_text_than_the_log_recorded_fails_the_agreement_check(signed):
    """Even a PDF the platform's key signed fails when its agreement text does not hash to the logged digest."""
    import dataclasses

    from django.conf import settings
    from django.utils import timezone

    from artrights.core import public_url
    from artrights.ledger import flows
    from artrights.ledger.keys import log_origin
    from artrights.mediation.agreement_pdf import AgreementDocument, render_agreement
    from artrights.proofs.bundle import dump_bundle
    from artrights.proofs.canonical import canonical
    from artrights.proofs.statements import Openings
    from artrights.registry.certificate_pdf import sign_pdf
    from artrights.registry.keys import signing_identity
    from artrights.timestamps import services as timestamps

    text = json.loads(signed.content_json)
    text["terms"] = "被申请人赔偿 1 元。"
    doc = AgreementDocument(
        number=signed.number,
        case_number=signed.case.number,
        organisation="x",
        mediator="x",
        source="x",
        court="",
        parties=[],
        facts="x",
        terms=text["terms"],
        obligations=[],
        signatures=[],
        effective_on=timezone.localdate(),
        sha256=signed.sha256,
        content_json=canonical(text),
        verify_url=public_url.absolute("/verify/"),
        log_origin=log_origin(),
        log_index=signed.log_index,
        bundle_json=dump_bundle(flows.issue_bundle(index=signed.log_index, openings=Openings(None, ()))),
    )
    identity = signing_identity()
    forged = sign_pdf(
        render_agreement(doc, font=settings.ARTRIGHTS_CJK_FONT), identity.key, identity.chain, timestamps.answer
    )
    verdict = verify_pdf(forged, platform_trust())
    assert not verdict.ok and verdict.failed_check == "agreement"
    assert "pdf_signature" in verdict.passed and "timestamp" in verdict.passed
    honest = verify_pdf(
        *render_and_sign(dataclasses.replace(doc, content_json=canonical(json.loads(signed.content_json))))
    )
    assert honest.ok, honest.summary()


def render_and_sign(doc):
    from django.conf import settings

    from artrights.mediation.agreement_pdf import render_agreement
    from artrights.registry.certificate_pdf import sign_pdf
    from artrights.registry.keys import signing_identity
    from artrights.timestamps import services as timestamps

    identity = signing_identity()
    return sign_pdf(
        render_agreement(doc, font=settings.ARTRIGHTS_CJK_FONT), identity.key, identity.chain, timestamps.answer
    ), platform_trust()
