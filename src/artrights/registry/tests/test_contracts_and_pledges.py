import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from artrights.core.services import PartyInput
from artrights.registry import services
from artrights.registry.models import ContractFiling, PledgeStatus

from .factories import OTHER_OWNER, OWNER, samples, work_fields

pytestmark = pytest.mark.django_db
LICENSEE = PartyInput(
    name="深圳市示例文创有限公司", id_type="uscc", id_number="914403001922038216", kind="organisation"
)


@pytest.fixture
def registered(artist, registrar):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(21))
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    return services.register(work=work, registrar=registrar)


def _licence(artist, work, consents=None):
    return services.file_contract(
        user=artist,
        contract_type="exclusive_licence",
        works=[work],
        rights=["reproduction", "network"],
        territory="中国大陆",
        valid_from=dt.date(2026, 12, 1),
        valid_until=dt.date(2029, 11, 30),
        assignor=OWNER,
        assignee=LICENSEE,
        price_terms="一次性许可费 50,000 元",
        pledge_consents=consents,
    )


def _pledge(registrar, work, pledgee_user):
    return services.register_pledge(
        registrar=registrar,
        works=[work],
        pledgor=OWNER,
        pledgee=PartyInput(
            name="示例银行深圳分行", id_type="uscc", id_number="91350100M000100Y43", kind="organisation"
        ),
        rights=["reproduction", "distribution"],
        secured_amount=Decimal("300000"),
        debt_term_end=dt.date(2028, 1, 1),
        pledgee_user=pledgee_user,
    )


def test_an_owner_files_a_licence_contract_that_is_logged(artist, registered):
    filing = _licence(artist, registered)
    assert filing.number.startswith("粤合备字-")
    assert filing.log_index is not None


def test_moral_rights_cannot_be_licensed(artist, registered):
    with pytest.raises(ValidationError):
        services.file_contract(
            user=artist,
            contract_type="transfer",
            works=[registered],
            rights=["authorship"],
            territory="中国",
            valid_from=dt.date(2026, 12, 1),
            valid_until=None,
            assignor=OWNER,
            assignee=LICENSEE,
        )


def test_a_pledged_work_cannot_be_licensed_without_the_pledgees_recorded_consent(
    artist, registrar, registered, make_user
):
    bank = make_user("bank-officer", "artist")
    pledge = _pledge(registrar, registered, bank)
    with pytest.raises(ValidationError) as err:
        _licence(artist, registered)
    assert "质权人" in str(err.value)
    assert not ContractFiling.objects.exists()
    with pytest.raises(PermissionDenied):
        services.consent_to_contract(user=artist, pledge=pledge, contract_type="exclusive_licence", assignee=LICENSEE)
    consent = services.consent_to_contract(
        user=bank, pledge=pledge, contract_type="exclusive_licence", assignee=LICENSEE
    )
    filing = _licence(artist, registered, consents=[consent])
    assert list(filing.pledge_consents.all()) == [consent]
    with pytest.raises(ValidationError):  # one consent covers one contract
        _licence(artist, registered, consents=[consent])


def test_a_cancelled_pledge_no_longer_blocks_a_transfer(artist, registrar, registered, make_user):
    pledge = _pledge(registrar, registered, make_user("bank-2", "artist"))
    services.cancel_pledge(registrar=registrar, pledge=pledge)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED
    assert _licence(artist, registered).pk


def test_only_the_owner_can_pledge_the_work(registrar, registered):
    with pytest.raises(ValidationError):
        services.register_pledge(
            registrar=registrar,
            works=[registered],
            pledgor=OTHER_OWNER,
            pledgee=LICENSEE,
            rights=["reproduction"],
            secured_amount=Decimal("1"),
            debt_term_end=dt.date(2028, 1, 1),
        )


def test_contracts_need_registered_works(artist):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(22))
    with pytest.raises(ValidationError):
        _licence(artist, work)


def _told_of_filing(user):
    from artrights.core.models import Notification

    return Notification.objects.filter(recipient=user, kind="registry.contract_filed").count()


def test_an_applicant_who_files_a_contract_by_hand_is_not_told_of_their_own_filing(
    artist, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _licence(artist, registered)
    assert _told_of_filing(artist) == 0


def test_a_registrar_who_files_an_applicants_contract_by_hand_tells_the_applicant_and_not_themselves(
    artist, registrar, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _licence(registrar, registered)
    assert (_told_of_filing(artist), _told_of_filing(registrar)) == (1, 0)


def test_a_contract_the_platform_files_on_the_holders_behalf_tells_the_holder(
    artist, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.file_contract(
            user=artist,
            contract_type="non_exclusive_licence",
            works=[registered],
            rights=["reproduction"],
            territory="中国大陆",
            valid_from=dt.date(2026, 12, 1),
            valid_until=dt.date(2027, 11, 30),
            assignor=OWNER,
            assignee=LICENSEE,
            on_behalf=True,
        )
    assert _told_of_filing(artist) == 1
