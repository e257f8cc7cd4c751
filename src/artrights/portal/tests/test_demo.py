"""`artrights demo`: one account per role, and each app's data made through its services, loaded once.

Loading the demo takes tens of seconds, so it is loaded once for this module (``loaded_demo``, in the transaction
of ``module_db``) and each test reads it inside a savepoint rolled back after it: what one test changes, the next
does not see. The tests of every app's demo data live here for that reason.
"""

import io
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command

from artrights.accounts.models import Role, User
from artrights.portal.management.commands import demo

pytestmark = pytest.mark.django_db

SERVED = "http://127.0.0.1:8123"


@dataclass(frozen=True)
class Loaded:
    output: str  # what the first `artrights demo --url SERVED` printed
    accounts: str  # the accounts file it wrote (later runs rewrite the file, not the database)


@pytest.fixture(scope="module")
def loaded_demo(module_db):
    """The demo loaded by `artrights demo --url SERVED`; its data stays until the module's last test."""
    out = io.StringIO()
    with module_db():
        call_command("demo", url=SERVED, stdout=out)
    return Loaded(output=out.getvalue(), accounts=demo.accounts_file().read_text(encoding="utf-8"))


def test_the_demo_loads_one_account_per_role_once(loaded_demo, capsys):
    first = loaded_demo.output
    assert User.objects.filter(username__startswith="demo-").count() == len(Role)
    for role in Role:
        assert f"demo-{role.value}" in first
    call_command("demo")
    assert "已存在" in capsys.readouterr().out
    assert User.objects.filter(username__startswith="demo-").count() == len(Role)
    # The demo rights holder can file in their own name at once, and the registry has work at every step (the
    # draft is the one the Dafen workstation filled in with the artist, waiting for them to check and submit).
    assert User.objects.get(username="demo-artist").real_name_verified
    from artrights.registry.models import Work

    assert sorted(Work.objects.values_list("status", flat=True)) == sorted(
        ["filed", "registered", "correction_required", "submitted", "held", "registered", "draft"]
    )
    assert Work.objects.get(kind="software").software.certificate_number  # a registered computer software
    held = Work.objects.get(status="held")
    assert held.agent is not None and held.duplicate_warnings.get().same_owner is False


def test_the_demo_accounts_file_follows_the_address_served_now(loaded_demo, capsys):
    first = loaded_demo.accounts
    assert first.startswith(f"演示账户 / demo accounts ({SERVED}/accounts/login/)")
    call_command("demo", url="http://127.0.0.1:9001")
    again = demo.accounts_file().read_text(encoding="utf-8")
    assert again.startswith("演示账户 / demo accounts (http://127.0.0.1:9001/accounts/login/)")
    assert again.splitlines()[1:] == first.splitlines()[1:]  # the same accounts and passwords
    assert "http://127.0.0.1:9001/accounts/login/" in capsys.readouterr().out


def test_the_demo_has_listed_parties_graded_agencies_and_credit_cases_waiting(loaded_demo):
    from artrights.credit.models import Evaluation, ListEntry, Objection, PartnerQuery, Repair
    from artrights.registry.models import Work

    assert sorted(ListEntry.objects.filter(status="listed").values_list("list_type", flat=True)) == [
        "cnipa_dishonest",
        "gd_serious",
    ]
    grades = {e.subject.name: e.grade for e in Evaluation.objects.order_by("at", "pk")}
    assert "A+" in grades.values() and "C" in grades.values()
    assert Objection.objects.filter(status="under_review").exists()
    assert Repair.objects.filter(status="under_review").exists()
    assert PartnerQuery.objects.count() == 1
    # The copy screening held names an owner on a list: the registrar's review page flags it.
    from artrights.registry.selectors import credit_flags

    held = Work.objects.get(status="held")
    assert [f.standing.list_type for f in credit_flags(held)] == ["gd_serious"]


def test_the_demo_has_offers_a_running_licence_with_reports_a_waiting_request_and_a_filed_trade(loaded_demo, client):
    from django.utils import timezone

    from artrights.licensing import selectors
    from artrights.licensing.models import Contract, Financing, Listing, Offer, RoyaltyReport, Trade

    assert selectors.catalogue().count() == 5
    guaranteed = Contract.objects.get(royalty_model="minimum_guarantee")
    short = guaranteed.royalty_reports.get()
    assert (short.royalty, short.top_up, short.amount_due) == (
        Decimal("1600.00"),
        Decimal("900.00"),
        Decimal("2500.00"),
    )
    sub_offer = Offer.objects.get(parent=guaranteed)
    assert (sub_offer.licensor, sub_offer.territory) == (guaranteed.licensee, "cn-44")
    running = Contract.objects.get(royalty_model="running_royalty")
    assert running.is_filed and running.filing is not None and running.filing.log_index is not None
    reports = list(RoyaltyReport.objects.filter(contract=running))
    assert [r.outstanding == 0 for r in reports] == [True, False]
    dues = selectors.dues(selectors.running_contracts())
    assert [p.start.isoformat() for c, p in dues.reports_overdue if c == running][:1] == ["2026-07-01"]
    assert Contract.objects.filter(status="draft", exclusivity="sole").count() == 1
    trade = Trade.objects.get()
    auction = Listing.objects.get(method="auction", status="published")
    assert auction.disclosure_until < timezone.localdate() < timezone.localtime(auction.bidding_ends_at).date()
    assert auction.highest_bid().amount == Decimal("61000") and auction.deposits.get().status == "held"
    unsold = Listing.objects.get(method="auction", status="unsold")
    assert (unsold.deposits.get().status, unsold.deposits.get().return_reference) == ("returned", "TK-DEMO-0002")
    assert trade.status == "filed" and trade.contract.filing.contract_type == "transfer"
    assert list(Financing.objects.get().contracts.all()) == [running]
    terminated = Contract.objects.get(status="terminated", parent__isnull=True)
    assert (terminated.termination_ground, terminated.terminated_by.role) == ("breach", "artist")
    closed = Offer.objects.get(parent=terminated)
    assert (closed.status, closed.closed_reason) == ("closed", "parent_ended")
    # The curator's sub-licence under it ended on the same day, and its page says so in the reader's language.
    ended = Contract.objects.get(parent=terminated)
    assert (ended.status, ended.termination_ground, ended.terminated_on) == (
        "terminated",
        "parent_terminated",
        terminated.terminated_on,
    )
    assert ended.filing is not None and ended.termination_log_index is not None
    # The agency proposed ending the running-royalty licence by agreement; the artist has not answered yet.
    proposal = running.open_termination_proposal()
    assert proposal is not None and proposal.proposed_by.role == "agency" and running.is_filed
    client.force_login(User.objects.get(username="demo-artist"))
    page = client.get(f"/licensing/contracts/{running.number}/").content.decode()
    assert 'data-testid="agree-termination"' in page and proposal.reason in page
    page = client.get(f"/licensing/contracts/{terminated.number}/").content.decode()
    assert ended.number in page
    page = client.get(f"/licensing/works/{trade.listing.work.number}/")
    assert trade.contract.filing.number in page.content.decode()


def test_the_demo_has_a_published_draw_that_verifies_and_the_demo_inspector_has_tasks(loaded_demo):
    from artrights.inspections.models import Draw, Result, Target
    from artrights.proofs import draw as drawing

    found = Draw.objects.get()
    assert found.status == "drawn" and drawing.verify_draw(found.record) == []
    assert found.pool_size == Target.objects.count() >= 12
    key = {t.draw_id for t in Target.objects.filter(pool="key").select_related("subject")}
    assert len(key) == 3 and key <= set(found.record["drawn"])  # the listed and recorded subjects are all drawn
    person = Target.objects.get(subject__code_kind="resident_id")
    assert person.draw_id in key and person.subject.code not in json.dumps(found.record)  # no ID number published
    assert found.assignments.filter(inspector__user__username="demo-inspector").exists()
    assert Result.objects.filter(status="published").count() == 1


def test_the_demo_has_cases_waiting_in_mediation_settled_referred_and_being_consulted(loaded_demo):
    from artrights.mediation.models import AgreementStatus, Case, CaseStatus, CreditReferral, Mediator

    # The one-stop demo forwards one more application from the Dafen workstation (waiting for acceptance too).
    states = sorted(Case.objects.values_list("status", flat=True))
    assert states == sorted(
        [
            CaseStatus.APPLIED,
            CaseStatus.APPLIED,
            CaseStatus.IN_MEDIATION,
            CaseStatus.AGREEMENT_EFFECTIVE,
            CaseStatus.TRANSFERRED_TO_COURT,
            CaseStatus.ACCEPTED,
        ]
    )
    settled = Case.objects.get(status=CaseStatus.AGREEMENT_EFFECTIVE)
    assert settled.agreement.status == AgreementStatus.EFFECTIVE and settled.agreement.log_index is not None
    assert CreditReferral.objects.filter(case=settled).exists()
    assert Case.objects.get(status=CaseStatus.TRANSFERRED_TO_COURT).referral_pdf
    assert Mediator.objects.get().court_rosters == ["深圳市龙岗区人民法院"]


def test_the_demo_has_programmes_and_applications_in_several_states_with_a_payment(loaded_demo):
    from artrights.funding import selectors
    from artrights.funding.models import Application, Payment

    assert "subsidy applications: 3" in loaded_demo.output
    assert sorted(Application.objects.values_list("status", flat=True)) == ["paid", "refused", "submitted"]
    payment = Payment.objects.get()
    assert payment.amount == Decimal("2000.00") and payment.rules["amount_rule"] == "per_class"
    assert sum(line.paid for line in selectors.budget()) == Decimal("2000.00")
    assert [due.application.status for due in selectors.review_queue()] == ["submitted"]


def test_the_demo_has_the_dafen_workstation_and_requests_new_in_progress_and_closed_with_a_rating(loaded_demo):
    from artrights.onestop.models import ServiceRequest, TrainingEvent, Workstation

    assert "one-stop service requests: 5" in loaded_demo.output
    station = Workstation.objects.get()
    assert "大芬" in station.name and station.staff.filter(username="demo-mediation_admin").exists()
    assert sorted(ServiceRequest.objects.values_list("status", flat=True)) == [
        "closed",
        "in_progress",
        "new",
        "referred",
        "referred",
    ]
    referral = ServiceRequest.objects.get(type="mediation_referral")
    assert referral.case.source == "workstation" and referral.case.referring_body == station.name
    helped = ServiceRequest.objects.get(type="registration_assist", status="referred")
    assert helped.draft.status == "draft" and helped.draft.applicant == helped.requester
    assert ServiceRequest.objects.get(status="closed").rating == 5
    assert TrainingEvent.objects.get().taken == 1
