"""Registered software through the register's other flows, as the work register has them: transfer and exclusive
licence contracts (R21), changes (R41), revocation (R42), withdrawal (R43) and reissued certificates (R45)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError

from artrights.accounts.models import User
from artrights.core.services import PartyInput
from artrights.ledger import selectors as ledger_selectors
from artrights.registry import services
from artrights.registry.models import Status, Work
from artrights.registry.verification import platform_trust
from artrights.testing import LIN
from artrights.verify import verify_bytes

from .factories import OWNER, software_application

pytestmark = pytest.mark.django_db
BUYER = PartyInput(name="深圳市示例软件有限公司", id_type="uscc", id_number="914403001922038216", kind="organisation")


@pytest.fixture(scope="module")
def registered_once(module_db, module_make_user) -> dict[str, int]:
    """The artist's software registered with its certificate, made once (deposit, screening, signing) for the
    module's tests, each of which files, changes or revokes it in its own rolled-back savepoint (``module_db``).
    A test that needs no registered software belongs in test_software.py: here one always exists."""
    artist = module_make_user("artist-lin", "artist", display_name="林画家", identity=LIN)
    registrar = module_make_user("registrar-chen", "registrar", display_name="陈审核")
    with module_db():
        work = software_application(artist, seed=31)
        services.submit(work=work, user=artist)
        services.accept(work=work, registrar=registrar)
        services.start_review(work=work, registrar=registrar)
        work = services.register(work=work, registrar=registrar, issue_now=True)
    return {"artist": artist.pk, "registrar": registrar.pk, "software": work.pk}


@pytest.fixture
def artist(registered_once: dict[str, int]) -> User:
    return User.objects.get(pk=registered_once["artist"])


@pytest.fixture
def registrar(registered_once: dict[str, int]) -> User:
    return User.objects.get(pk=registered_once["registrar"])


@pytest.fixture
def software(registered_once: dict[str, int]) -> Work:
    return Work.objects.get(pk=registered_once["software"])


def certificate_text(work: Work, tmp_path) -> str:
    path = tmp_path / "cert.pdf"
    with work.certificates.first().pdf.open("rb") as fh:
        path.write_bytes(fh.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("contract_type", ["transfer", "exclusive_licence"])
def test_a_software_transfer_or_exclusive_licence_is_filed_and_logged(artist, software, contract_type):
    filing = services.file_contract(
        user=artist,
        contract_type=contract_type,
        works=[software],
        rights=["reproduction", "distribution", "network"],
        territory="中国大陆",
        valid_from=dt.date(2026, 12, 1),
        valid_until=None,
        assignor=OWNER,
        assignee=BUYER,
        price_terms="一次性 200,000 元",
    )
    statement = ledger_selectors.statement_at(filing.log_index)
    assert statement["type"] == "artrights/contract-filing@v1"
    assert statement["refers_to"] == [software.number]


def test_moral_rights_of_software_cannot_be_transferred(artist, software):
    with pytest.raises(ValidationError):
        services.file_contract(
            user=artist,
            contract_type="transfer",
            works=[software],
            rights=["authorship"],
            territory="中国大陆",
            valid_from=dt.date(2026, 12, 1),
            valid_until=None,
            assignor=OWNER,
            assignee=BUYER,
        )


def test_a_change_of_the_softwares_particulars_is_logged_and_reissues_its_certificate(registrar, software, tmp_path):
    changed = services.change(
        work=software,
        registrar=registrar,
        fields={"short_name": "油画库存", "main_functions": "库存、定价、出入库、盘点。"},
        reason="简称登记有误",
        issue_now=True,
    )
    assert changed.version == 2 and changed.software.short_name == "油画库存"
    statement = ledger_selectors.statement_at(changed.log_index)
    assert statement["type"] == "artrights/change@v1" and statement["source_tree"]["sha256"]
    assert changed.certificates.count() == 2
    assert "油画库存" in certificate_text(changed, tmp_path)


def test_a_new_version_cannot_be_slipped_in_as_a_change(registrar, software):
    with pytest.raises(ValidationError, match="不能变更"):
        services.change(work=software, registrar=registrar, fields={"version": "V9.0"}, reason="升级")


def test_a_revoked_software_registration_is_logged_against_its_number(registrar, software):
    from artrights.ledger.models import LogEntry

    revoked = services.revoke(work=software, registrar=registrar, ground="facts_mismatch", reason="权利人不符。")
    assert revoked.status == Status.REVOKED
    last = LogEntry.objects.order_by("-index").first()
    statement = ledger_selectors.statement_at(last.index)
    assert statement["type"] == "artrights/revocation@v1" and statement["refers_to"] == [software.number]


def test_a_reissued_software_certificate_has_a_new_serial_and_still_verifies(artist, software, tmp_path):
    certificate = services.reissue_certificate(work=software, user=artist, reason="证书遗失")
    assert certificate.serial == 2
    with certificate.pdf.open("rb") as fh:
        verdict = verify_bytes(fh.read(), platform_trust())
    assert verdict.ok, verdict.summary()
    assert "第2版" in certificate_text(software, tmp_path)


def test_artrights_verify_checks_a_software_certificate_offline_and_names_the_register(software, tmp_path):
    import json
    import os
    import sys

    pdf = tmp_path / "software.pdf"
    with software.certificates.get().pdf.open("rb") as fh:
        pdf.write_bytes(fh.read())
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps(platform_trust().to_json()), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "artrights.cli", "verify", str(pdf), "--trust", str(trust)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert software.number in done.stdout and "计算机软件著作权登记" in done.stdout
    tampered = bytearray(pdf.read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    pdf.write_bytes(bytes(tampered))
    failed = subprocess.run(
        [sys.executable, "-m", "artrights.cli", "verify", str(pdf), "--trust", str(trust)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert failed.returncode != 0
