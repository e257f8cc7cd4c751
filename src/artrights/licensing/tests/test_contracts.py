"""Licence contracts: asked for from an offer, signed by both sides in the platform, filed with the registry and
entered in the public log; a change after the first signature drops the signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from artrights.ledger.models import LogEntry
from artrights.licensing import selectors, services
from artrights.licensing.models import Contract, ContractStatus
from artrights.licensing.tests import factories
from artrights.proofs.canonical import canonical
from artrights.registry.models import ContractFiling, ContractType

pytestmark = pytest.mark.django_db


def test_a_buyer_asks_for_a_licence_from_the_catalogue_and_both_signatures_file_it(artist, buyer, work):
    offer = factories.offer(artist, work)
    assert list(selectors.catalogue(right="network")) == [offer]
    contract = services.request_licence(user=buyer, offer=offer, valid_from=dt.date(2026, 12, 1), industry="出版")
    assert contract.status == ContractStatus.DRAFT and contract.valid_until == dt.date(2028, 11, 30)
    assert contract.licensor == artist.party and contract.licensee == buyer.party
    log_size = LogEntry.objects.count()
    factories.signed(contract, buyer)
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.DRAFT
    contract = factories.signed(contract, artist)
    assert contract.status == ContractStatus.FILED
    filing = contract.filing
    assert filing.contract_type == ContractType.NON_EXCLUSIVE_LICENCE
    assert filing.contract_sha256 == contract.sha256 == hashlib.sha256(canonical(contract.terms_document())).hexdigest()
    assert LogEntry.objects.count() == log_size + 1
    assert filing.log_index == LogEntry.objects.order_by("-index").first().index


def test_a_change_after_the_first_signature_drops_it_and_the_old_hash_cannot_sign(artist, buyer, work):
    contract = factories.contract(artist, buyer, work)
    old = contract.sha256
    factories.signed(contract, buyer)
    contract = services.amend(user=artist, contract=contract, terms={"price": Decimal("12000")})
    assert contract.version == 2 and contract.sha256 != old
    assert selectors.valid_signatures(contract).count() == 0
    assert contract.signatures.get().dropped_at is not None
    with pytest.raises(ValidationError):
        services.sign(user=artist, contract=contract, sha256=old)
    factories.signed(contract, artist)
    contract = factories.signed(contract, buyer)
    assert contract.status == ContractStatus.FILED and contract.filing.contract_sha256 == contract.sha256


def test_a_signature_binds_the_account_the_party_and_the_hash(artist, buyer, work):
    contract = factories.signed(factories.contract(artist, buyer, work), buyer)
    signature = contract.signatures.get()
    assert signature.signer == buyer and signature.party == buyer.party and signature.contract_sha256 == contract.sha256
    expected = services.contracts.signature_digest(
        contract_sha256=contract.sha256, user_id=buyer.pk, party=buyer.party, role="licensee", at=signature.signed_at
    )
    assert signature.digest == expected


def test_the_works_public_page_shows_the_new_owner_after_a_transfer_and_the_licences(client, artist, buyer, work):
    licence = factories.signed(factories.contract(artist, buyer, work), buyer, artist)
    transfer = factories.signed(
        factories.contract(artist, buyer, work, kind="transfer", rights=list(work.rights), valid_until=None),
        buyer,
        artist,
    )
    assert transfer.filing.contract_type == ContractType.TRANSFER
    assert [p.pk for p in selectors.current_owners(work)] == [buyer.party_id]
    page = client.get(f"/licensing/works/{work.number}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "吴**" in text and licence.filing.number in text and transfer.filing.number in text
    assert "吴路人" not in text  # a natural person is named by the family name only


def test_the_new_owner_licenses_the_work_it_bought_and_the_old_one_cannot(artist, buyer, work, make_user):
    from artrights.testing import give_identity

    factories.signed(
        factories.contract(artist, buyer, work, kind="transfer", rights=list(work.rights), valid_until=None),
        buyer,
        artist,
    )
    third = give_identity(
        make_user("third-zhou", "artist"), {"name": "周三", "id_type": "resident_id", "id_number": "110101199003070011"}
    )
    with pytest.raises(Exception, match="licensor_holds_rights"):
        factories.contract(artist, third, work)
    contract = factories.signed(factories.contract(buyer, third, work), third, buyer)
    assert contract.is_filed and ContractFiling.objects.filter(pk=contract.filing.pk, assignor=buyer.party).exists()


def test_the_holder_who_signs_last_is_still_told_that_the_registry_filed_the_contract(
    artist, buyer, work, django_capture_on_commit_callbacks
):
    from artrights.core.models import Notification

    contract = factories.contract(artist, buyer, work)
    factories.signed(contract, buyer)
    with django_capture_on_commit_callbacks(execute=True):
        factories.signed(contract, artist)  # the last signature files it with the registry, in the holder's name
    assert Notification.objects.filter(recipient=artist, kind="registry.contract_filed").count() == 1
