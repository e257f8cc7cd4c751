"""Pages of licensing: the public catalogue, offers, a work's title page and the exchange; the holder's and the
buyer's desk; a contract with its signatures and royalties; financing and the receivable pool."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, require
from artrights.core.errors import BilingualError
from artrights.core.messages import error_messages
from artrights.registry.models import Work

from . import selectors, services
from .forms import (
    AmendForm,
    BidForm,
    CatalogueForm,
    DeclineForm,
    DepositForm,
    DepositReturnForm,
    FinancingForm,
    ListingForm,
    OfferForm,
    PaymentForm,
    ProposalForm,
    RequestForm,
    RoyaltyReportForm,
    SublicenceOfferForm,
    TerminationForm,
    terms_of,
)
from .models import (
    Contract,
    ContractKind,
    Deposit,
    Exclusivity,
    Listing,
    Offer,
    ProposalStatus,
    RoyaltyModel,
    TerminationGround,
    TradingMethod,
)


def _refused(request: HttpRequest, form: Any, exc: Exception) -> None:
    for message in error_messages(exc):
        if form is not None:
            form.add_error(None, message)
        else:
            messages.error(request, message)


# --- public -------------------------------------------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    offers = selectors.catalogue(
        work_type=data.get("work_type", ""),
        right=data.get("right", ""),
        max_price=data.get("max_price"),
        query=data.get("q", ""),
    )[:100]
    return render(request, "licensing/catalogue.html", {"form": form, "offers": offers})


def offer(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.offer_for(request.user, pk)
    listed = selectors.is_offerable(found)
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if form.is_valid():
            try:
                contract = services.request_licence(
                    user=request.user,
                    offer=found,
                    valid_from=form.cleaned_data["valid_from"],
                    industry=form.cleaned_data["industry"],
                )
            except (ValidationError, BilingualError) as exc:
                _refused(request, form, exc)
            else:
                messages.success(request, _("已生成合同草稿，请核对条款后签署。"))
                return redirect("licensing:contract", number=contract.number)
    context = {
        "offer": found,
        "form": form,
        "listed": listed,
        "can_request": listed and request.user.is_authenticated and can(request.user, "request", found),
        "can_withdraw": request.user.is_authenticated and can(request.user, "withdraw", found),
    }
    return render(request, "licensing/offer.html", context)


def work_title(request: HttpRequest, number: str) -> HttpResponse:
    work = selectors.granted_work(number)
    chain, licences = selectors.title_chain(work)
    owners = selectors.current_owners(work) if work.is_granted else []
    context = {
        "work": work,
        "owners": [selectors.shown_name(p) for p in owners],
        "chain": chain,
        "licences": licences,
        "offers": selectors.catalogue().filter(work=work),
    }
    return render(request, "licensing/work.html", context)


def link_proof(request: HttpRequest, number: str, index: int) -> JsonResponse:
    """One link of a work's title as its log entry and an inclusion proof against the latest signed checkpoint."""
    from artrights.ledger import selectors as ledger_selectors
    from artrights.ledger import services as ledger_services

    work = selectors.granted_work(number)
    chain, licences = selectors.title_chain(work)
    if index not in {link.log_index for link in [*chain, *licences]}:
        raise Http404
    statement = ledger_selectors.statement_at(index)
    try:
        proof = ledger_services.tlog_proof(index=index)
    except ValidationError as exc:
        return JsonResponse({"index": index, "statement": statement, "detail": error_messages(exc)}, status=409)
    return JsonResponse(
        {"index": index, "statement": statement, "tlog_proof": proof},
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def exchange(request: HttpRequest) -> HttpResponse:
    form = None
    if request.user.is_authenticated and can(request.user, "create", Listing):
        works = selectors.works_held_by(request.user)
        form = ListingForm(request.POST or None, works=works)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_listing(
                    user=request.user,
                    work=get_object_or_404(Work, pk=data["work"]),
                    rights=data["rights"],
                    method=data["method"],
                    price=data["price"],
                    territory=data["territory"],
                    disclosure_until=data["disclosure_until"],
                    bidding_ends_at=data["bidding_ends_at"],
                    deposit=data["deposit"] or Decimal(0),
                    increment=data["increment"] or Decimal(0),
                )
            except (ValidationError, BilingualError) as exc:
                _refused(request, form, exc)
            else:
                return redirect("licensing:listing", number=created.number)
    elif request.method == "POST":
        return redirect(f"/accounts/login/?next={request.path}")
    context = {"listings": selectors.published_listings()[:100], "form": form}
    return render(request, "licensing/exchange.html", context)


def listing(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.listing(number)
    signed_in = request.user.is_authenticated
    can_close = signed_in and can(request.user, "close", found)
    context = {
        "listing": found,
        "bids": list(found.bids.all()[:20]),
        "bid_form": BidForm(),
        "deposit_form": DepositForm(initial={"paid_on": timezone.localdate()}),
        "can_buy": signed_in and can(request.user, "buy", found),
        "can_close": can_close,
        "trade": getattr(found, "trade", None),
        "is_auction": found.method == TradingMethod.AUCTION,
        "state": selectors.auction_state(found, request.user),
        "deposits": selectors.deposits_shown(
            found, request.user, seller=signed_in and found.seller_user_id == request.user.pk
        ),
        "can_return": signed_in and can(request.user, "return", Deposit),
        "return_form": DepositReturnForm(initial={"returned_on": timezone.localdate()}),
    }
    return render(request, "licensing/listing.html", context)


@login_required
@require_POST
def listing_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    found = selectors.listing(number)
    try:
        if action == "buy":
            trade = services.buy(user=request.user, listing=found)
            return redirect("licensing:contract", number=trade.contract.number)
        if action == "deposit":
            deposit_form = DepositForm(request.POST)
            if not deposit_form.is_valid():
                raise ValidationError(_("请填写交纳日期和付款凭证号。"))
            services.register_deposit(user=request.user, listing=found, **deposit_form.cleaned_data)
            messages.success(request, _("保证金已登记，信息披露期满后即可出价。"))
        elif action == "bid":
            form = BidForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请填写有效的出价。"))
            services.bid(user=request.user, listing=found, amount=form.cleaned_data["amount"])
            messages.success(request, _("出价已记录。"))
        elif action == "close":
            trade = services.close_auction(user=request.user, listing=found)
            return redirect("licensing:contract", number=trade.contract.number)
        elif action == "withdraw":
            services.withdraw_listing(user=request.user, listing=found)
            messages.success(request, _("已撤牌。"))
        elif action == "return-deposit":
            raw = request.POST.get("deposit", "")
            deposit = get_object_or_404(Deposit, listing=found, pk=int(raw) if raw.isdigit() else 0)
            return_form = DepositReturnForm(request.POST)
            if not return_form.is_valid():
                raise ValidationError(_("请填写退还日期和退款凭证号。"))
            services.return_deposit(user=request.user, deposit=deposit, **return_form.cleaned_data)
            messages.success(request, _("已登记保证金退还，竞买人已收到通知。"))
        else:
            raise Http404
    except (ValidationError, BilingualError) as exc:
        _refused(request, None, exc)
    return redirect("licensing:listing", number=found.number)


# --- the desk -----------------------------------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """A holder's and a buyer's licensing desk: offers, contracts to sign, royalties due, trades, financing."""
    works = selectors.works_held_by(request.user)
    form = OfferForm(request.POST or None, works=works) if can(request.user, "create", Offer) else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = terms_of(form.cleaned_data)
        work = get_object_or_404(Work, pk=data.pop("work"))
        try:
            services.create_offer(user=request.user, work=work, **data)
        except (ValidationError, BilingualError) as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, _("要约已发布到许可目录。"))
            return redirect("licensing:desk")
    contracts = selectors.contracts_for(request.user)
    context = {
        "form": form,
        "works": works,
        "offers": selectors.offers_of(request.user),
        "to_sign": selectors.awaiting_signature(request.user),
        "proposals_to_answer": selectors.termination_proposals_to_answer(request.user),
        "proposals_made": selectors.termination_proposals_made(request.user),
        "contracts": contracts[:50],
        "dues": selectors.dues(contracts),
        "trades": selectors.trades_of(request.user)[:20],
        "financings": selectors.financings_of(request.user),
        "has_party": selectors.acting_party(request.user) is not None,
    }
    return render(request, "licensing/desk.html", context)


@login_required
@require_POST
def withdraw_offer(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Offer, pk=pk)
    try:
        services.withdraw_offer(user=request.user, offer=found)
    except ValidationError as exc:
        _refused(request, None, exc)
    return redirect("licensing:desk")


def _terminable(user: Any, contract: Contract) -> bool:
    """Whether the page offers ``user`` the termination form: a side of a filed licence still in its term."""
    if not can(user, "terminate", contract):
        return False
    try:
        services.termination.check_terminable(contract, day=timezone.localdate())
    except ValidationError:
        return False
    return True


def _proposable(user: Any, contract: Contract, proposal: Any) -> bool:
    """Whether the page offers ``user`` the form to propose ending the licence by agreement: a side of a filed
    licence in its term without an open proposal."""
    return proposal is None and can(user, "propose_termination", contract) and _terminable(user, contract)


def _contract_context(request: HttpRequest, contract: Contract, **forms: Any) -> dict[str, Any]:
    periods = [p for p in selectors.periods(contract) if p.report is None]
    reports = list(contract.royalty_reports.prefetch_related("payments"))
    user = request.user
    initial = {k: getattr(contract, k) for k in services.contracts.TERM_FIELDS} | {"channels": contract.media}
    proposal = contract.open_termination_proposal() if contract.is_filed else None
    return {
        "contract": contract,
        "signatures": list(contract.signatures.select_related("party", "signer")),
        "missing": services.missing_signers(contract),
        "can_sign": can(user, "sign", contract) and selectors.acting_party(user) is not None,
        "can_amend": can(user, "amend", contract),
        "can_cancel": can(user, "cancel", contract),
        "can_report": can(user, "report_royalty", contract) and contract.takes_royalties and contract.is_running,
        "can_pay": can(user, "record_payment", contract) and contract.takes_royalties,
        "reports": reports,
        "payments": list(contract.payments.all()),
        "periods": periods,
        "report_form": forms.get("report_form") or RoyaltyReportForm(periods=periods),
        "payment_form": forms.get("payment_form") or PaymentForm(reports=reports),
        "amend_form": forms.get("amend_form") or AmendForm(initial=initial),
        "is_licence": contract.kind == ContractKind.LICENCE,
        "is_guaranteed": contract.royalty_model == RoyaltyModel.MINIMUM_GUARANTEE,
        "guarantee_share": selectors.guarantee_share(contract),
        "cut_short": selectors.cut_short_period(contract),
        "can_sublicense": can(user, "sublicense", contract) and contract.sublicensable and contract.is_filed,
        "sublicence_form": forms.get("sublicence_form")
        or SublicenceOfferForm(
            initial={
                "rights": contract.rights,
                "territory": contract.territory,
                "exclusivity": Exclusivity.NON_EXCLUSIVE,
                "royalty_model": RoyaltyModel.LUMP_SUM,
            }
        ),
        "sublicences": list(contract.sublicences.select_related("licensee"))
        if contract.is_filed or contract.terminated_on
        else [],
        "can_terminate": _terminable(user, contract),
        "proposal": proposal,
        "can_propose": _proposable(user, contract, proposal),
        "can_agree": proposal is not None and can(user, "agree_termination", contract),
        "can_withdraw_proposal": proposal is not None and can(user, "withdraw_termination", contract),
        "proposal_form": forms.get("proposal_form") or ProposalForm(initial={"on_date": timezone.localdate()}),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "agreed": contract.termination_proposals.filter(status=ProposalStatus.AGREED).first()
        if contract.termination_ground == TerminationGround.MUTUAL
        else None,
        "termination_form": forms.get("termination_form") or TerminationForm(initial={"on_date": timezone.localdate()}),
        "terminated_by_side": (
            contract.licensor.name if contract.terminated_by_id == contract.licensor_user_id else contract.licensee.name
        )
        if contract.terminated_by_id
        else "",
    }


@login_required
def contract(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.contract_for(request.user, number)
    return render(request, "licensing/contract.html", _contract_context(request, found))


@login_required
def contract_terms(request: HttpRequest, number: str) -> HttpResponse:
    """The exact bytes every signature's hash covers (RFC 8785 canonical JSON): the parties' own copy."""
    found = selectors.contract_for(request.user, number)
    response = HttpResponse(services.terms_bytes(found), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{found.number}-v{found.version}.json"'
    return response


def _terminate(request: HttpRequest, contract: Contract, forms: dict[str, Any]) -> None:
    form = forms["termination_form"] = TerminationForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("请填写终止日、终止事由和终止理由。"))
    services.terminate_contract(user=request.user, contract=contract, **form.cleaned_data)
    messages.success(request, _("合同已终止，对方当事人已收到通知。"))


ENDING = ("terminate", "propose-termination", "agree-termination", "decline-termination", "withdraw-termination")


def _end(request: HttpRequest, contract: Contract, action: str, forms: dict[str, Any]) -> None:
    """Ending a licence: alone on a ground that allows it, or by agreement (one side proposes, the other agrees or
    declines, the proposer may withdraw)."""
    user = request.user
    if action == "terminate":
        _terminate(request, contract, forms)
    elif action == "propose-termination":
        proposal_form = forms["proposal_form"] = ProposalForm(request.POST)
        if not proposal_form.is_valid():
            raise ValidationError(_("请填写提议的终止日和解除说明。"))
        services.propose_termination(user=user, contract=contract, **proposal_form.cleaned_data)
        messages.success(request, _("解除提议已提出，对方当事人已收到通知；对方同意前合同继续有效。"))
    elif action == "agree-termination":
        services.agree_termination(user=user, contract=contract)
        messages.success(request, _("您已同意解除，合同已终止，对方当事人已收到通知。"))
    elif action == "decline-termination":
        decline_form = forms["decline_form"] = DeclineForm(request.POST)
        if not decline_form.is_valid():
            raise ValidationError(_("说明不超过 %(max)s 个字符。") % {"max": 1000})
        services.decline_termination(user=user, contract=contract, **decline_form.cleaned_data)
        messages.success(request, _("您已拒绝解除提议，合同继续有效，对方当事人已收到通知。"))
    elif action == "withdraw-termination":
        services.withdraw_termination(user=user, contract=contract)
        messages.success(request, _("解除提议已撤回，对方当事人已收到通知。"))
    else:
        raise Http404


@login_required
@require_POST
def contract_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    found = selectors.contract_for(request.user, number)
    user = request.user
    forms: dict[str, Any] = {}
    try:
        if action == "sign":
            found = services.sign(user=user, contract=found, sha256=request.POST.get("sha256", ""))
            messages.success(request, _("已签署。") if not found.is_filed else _("各方已签署，合同已备案。"))
        elif action == "file":
            services.file(user=user, contract=found)
            messages.success(request, _("合同已备案。"))
        elif action == "cancel":
            services.cancel(user=user, contract=found)
            messages.success(request, _("合同已取消。"))
        elif action == "amend":
            amend_form = AmendForm(request.POST)
            forms["amend_form"] = amend_form
            if not amend_form.is_valid():
                raise ValidationError(_("请检查修改的条款。"))
            services.amend(user=user, contract=found, terms=terms_of(amend_form.cleaned_data))
            messages.success(request, _("条款已更新，原签署已失效，请各方重新签署。"))
        elif action == "report":
            periods = [p for p in selectors.periods(found) if p.report is None]
            report_form = RoyaltyReportForm(request.POST, periods=periods)
            forms["report_form"] = report_form
            start = request.POST.get("period_start", "")
            if not start:
                raise ValidationError(_("请选择报告期间。"))
            services.report_royalty(
                user=user,
                contract=found,
                period_start=dt.date.fromisoformat(start),
                revenue=Decimal(request.POST.get("revenue") or 0),
                units=int(request.POST.get("units") or 0),
            )
            messages.success(request, _("许可使用费报告已报送。"))
        elif action == "sublicense":
            sub_form = SublicenceOfferForm(request.POST)
            forms["sublicence_form"] = sub_form
            if not sub_form.is_valid():
                raise ValidationError(_("请检查转许可的条款。"))
            services.create_offer(user=user, parent=found, **terms_of(sub_form.cleaned_data))
            messages.success(request, _("转许可要约已发布到许可目录。"))
            return redirect("licensing:desk")
        elif action in ENDING:
            _end(request, found, action, forms)
        elif action == "pay":
            reports = list(found.royalty_reports.all())
            payment_form = PaymentForm(request.POST, reports=reports)
            forms["payment_form"] = payment_form
            if not payment_form.is_valid():
                raise ValidationError(_("请检查付款信息。"))
            data = payment_form.cleaned_data
            report = next((r for r in reports if str(r.pk) == data["report"]), None)
            services.record_payment(
                user=user,
                contract=found,
                amount=data["amount"],
                paid_on=data["paid_on"],
                report=report,
                reference=data["reference"],
            )
            messages.success(request, _("付款已记录。"))
        else:
            raise Http404
    except (ValidationError, BilingualError, ValueError, ArithmeticError) as exc:
        for message in error_messages(exc) if not isinstance(exc, ValueError | ArithmeticError) else [_("输入无效。")]:
            messages.error(request, message)
        found.refresh_from_db()
        context = _contract_context(request, found, **forms)
        return render(request, "licensing/contract.html", context, status=422)
    return redirect("licensing:contract", number=found.number)


# --- financing ----------------------------------------------------------------------------------------------


def _financeable(user: Any) -> list[Contract]:
    return [
        c
        for c in selectors.contracts_for(user).filter(kind=ContractKind.LICENCE, status="filed")
        if c.licensor_user_id == user.pk
    ]


@login_required
def financing(request: HttpRequest) -> HttpResponse:
    from .models import Financing

    form = None
    if can(request.user, "create", Financing):
        form = FinancingForm(
            request.POST or None, pledges=list(selectors.pledges_of(request.user)), contracts=_financeable(request.user)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            from artrights.registry.models import Pledge

            try:
                services.link_financing(
                    user=request.user,
                    pledge=get_object_or_404(Pledge, pk=data["pledge"]),
                    contracts=list(Contract.objects.filter(pk__in=data["contracts"])),
                    lender=data["lender"],
                    loan_amount=data["loan_amount"],
                )
            except (ValidationError, BilingualError) as exc:
                _refused(request, form, exc)
            else:
                messages.success(request, _("质押融资已关联许可收入。"))
                return redirect("licensing:financing")
    financings = list(selectors.financings_of(request.user))
    pool = selectors.receivable_pool(_financeable(request.user))
    return render(request, "licensing/financing.html", {"form": form, "financings": financings, "pool": pool})


def _pool_csv(pool: selectors.Pool, name: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["contract", "work", "obligor", "industry", "month", "amount_cny"])
    for row in pool.rows:
        writer.writerow(
            [row.contract.number, row.contract.work.number, row.obligor, row.industry, row.month, row.amount]
        )
    writer.writerow([])
    writer.writerow(["total_cny", pool.total])
    writer.writerow(["largest_obligor_share_pct", pool.top1_share])
    writer.writerow(["top5_obligors_share_pct", pool.top5_share])
    writer.writerow(["obligor_hhi", pool.hhi])
    writer.writerow(["weighted_remaining_term_months", pool.weighted_remaining_months])
    writer.writerow([])
    writer.writerow(["obligor", "amount_cny", "share_pct"])
    writer.writerows(pool.by_obligor)
    writer.writerow([])
    writer.writerow(["industry", "amount_cny", "share_pct"])
    writer.writerows(pool.by_industry)
    writer.writerow([])
    writer.writerow(["month", "amount_cny"])
    writer.writerows(pool.by_month)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def pool_csv(request: HttpRequest) -> HttpResponse:
    """The receivable pool of the user's own filed licences (as licensor)."""
    return _pool_csv(selectors.receivable_pool(_financeable(request.user)), "receivable-pool.csv")


@login_required
def financing_pool_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The receivable pool one pledge financing is secured by."""
    found = selectors.financing_for(request.user, pk)
    require(request.user, "view", found)
    return _pool_csv(selectors.receivable_pool(list(found.contracts.all())), f"financing-{found.pk}-pool.csv")


@login_required
def pool_pdf(request: HttpRequest) -> HttpResponse:
    """The user's receivable pool as a PDF."""
    from .pool_pdf import render_pool

    today = timezone.localdate()
    pool = selectors.receivable_pool(_financeable(request.user), cut_off=today)
    data = render_pool(pool, title=_("应收账款池"), cut_off=today)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="receivable-pool.pdf"'
    return response
