"""Licensing's part of the demo data (``artrights demo``): offers in the catalogue, a running-royalty licence with
royalty reports (one paid, one unpaid, one period overdue), a licence request waiting for the artist's signature,
a minimum-guarantee licence whose first quarter fell short (the top-up due) and the licensee's sub-licence offer,
a trade on the exchange that ended in a filed transfer, an auction taking bids, an auction that ended without a
bid (流拍) whose deposit the registrar recorded as returned, a sub-licensable exhibition licence the artist
terminated for non-payment (its sub-licence offer closed with it, and the sub-licence a curator had been granted
under it ended on the same day), the agency's proposal to end the running-royalty licence by mutual agreement,
waiting for the artist's answer, and a pledge financed by licence income.

Everything goes through the services as the people would do it, so the signatures, the registry's contract
filings, the public log and the notifications are the real ones. The buyer is the demo agency's company, acting
for itself.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from artrights.accounts.models import Role
from artrights.accounts.services import complete_identity, create_user
from artrights.core.audit import context as audit_context
from artrights.core.identifiers import compose_uscc, resident_id_check_char
from artrights.core.services import PartyInput
from artrights.registry.models import Work
from artrights.registry.services import filings

from . import selectors, services
from .models import Contract, Listing

# The curator who took the sub-licence under the terminated exhibition licence: a person with a Futian resident ID.
_CURATOR_ID_BODY = "44030419880808202"
_CURATOR = PartyInput(
    name="黄策展", id_type="resident_id", id_number=_CURATOR_ID_BODY + resident_id_check_char(_CURATOR_ID_BODY)
)
_BANK = PartyInput(
    kind="organisation", name="示例银行深圳分行", id_type="uscc", id_number=compose_uscc("9", "1", "440300", "MA5D7K06")
)


def _signed(contract: Contract, *users: Any) -> Contract:
    for user in users:
        contract.refresh_from_db()
        with audit_context(actor=user, via="cli"):
            contract = services.sign(user=user, contract=contract, sha256=contract.sha256)
    contract.refresh_from_db()
    return contract


def load(users: Mapping[str, Any], works: Sequence[Work]) -> list[Contract]:
    """Create licensing's demo data on the registry's demo works (``works`` as registry.demo.load returned them)."""
    artist, buyer, registrar = users[Role.ARTIST], users[Role.AGENCY], users[Role.REGISTRAR]
    # The filed painting and the registered one, as stored now (the list holds them as they were created).
    dawn, dusk = (Work.objects.get(pk=w.pk) for w in works[:2])
    with audit_context(actor=artist, via="cli"):
        running_offer = services.create_offer(
            user=artist,
            work=dusk,
            rights=["reproduction", "network"],
            exclusivity="non_exclusive",
            territory="mainland",
            media="印刷品、电商平台、社交媒体",
            royalty_model="running_royalty",
            royalty_rate=Decimal("8"),
            reporting_months=3,
            term_months=24,
            note="文创衍生品（明信片、帆布袋、手机壳）按净销售额 8% 提成，每季度报告。",
        )
        sole_offer = services.create_offer(
            user=artist,
            work=dawn,
            rights=["exhibition"],
            exclusivity="sole",
            territory="worldwide",
            royalty_model="lump_sum",
            price=Decimal("50000"),
            term_months=36,
            note="巡回展览的独占许可。",
        )
        services.create_offer(
            user=artist,
            work=dawn,
            rights=["distribution"],
            exclusivity="exclusive",
            territory="mainland",
            royalty_model="per_unit",
            unit_fee=Decimal("3.50"),
            term_months=12,
            note="限量版画发行，每售出一幅 3.5 元。",
        )
    with audit_context(actor=buyer, via="cli"):
        running = services.request_licence(
            user=buyer, offer=running_offer, valid_from=dt.date(2026, 1, 1), industry="文创零售"
        )
    running = _signed(running, buyer, artist)
    with audit_context(actor=buyer, via="cli"):
        first = services.report_royalty(
            user=buyer, contract=running, period_start=dt.date(2026, 1, 1), revenue=Decimal("186500")
        )
        services.record_payment(
            user=buyer,
            contract=running,
            amount=first.amount_due,
            paid_on=dt.date(2026, 4, 28),
            report=first,
            reference="DEMO-2026-0428",
        )
        services.report_royalty(
            user=buyer, contract=running, period_start=dt.date(2026, 4, 1), revenue=Decimal("204300")
        )
        waiting = services.request_licence(
            user=buyer, offer=sole_offer, valid_from=dt.date(2027, 1, 1), industry="动画制作"
        )
    waiting = _signed(waiting, buyer)
    guaranteed = _guaranteed(artist, buyer, dusk)
    with audit_context(actor=artist, via="cli"):
        listing = _disclosed(
            services.create_listing(
                user=artist, work=dawn, rights=["reproduction"], method="agreement", price=Decimal("80000")
            )
        )
    with audit_context(actor=buyer, via="cli"):
        trade = services.buy(user=buyer, listing=listing)
    transfer = _signed(trade.contract, buyer, artist)
    _auction(artist, buyer, dawn)
    _unsold_auction(artist, buyer, registrar, dawn)
    terminated = _terminated(artist, buyer, dusk)
    with audit_context(actor=buyer, via="cli"):
        # The agency's shops close at the end of the year: it proposes ending the running-royalty licence by
        # agreement; the artist has not answered yet (the demo artist sees the box on the contract page).
        services.propose_termination(
            user=buyer,
            contract=running,
            on_date=timezone.localdate(),
            reason="我方文创门店将于年底整体关闭，提议自今日起协商解除本许可；已报送期间的许可使用费照常结清，"
            "库存商品于一个月内下架。",
        )
    with audit_context(actor=registrar, via="cli"):
        pledge = filings.register_pledge(
            registrar=registrar,
            works=[dusk],
            pledgor=filings.first_owner(dusk),
            pledgee=_BANK,
            rights=["reproduction", "distribution"],
            secured_amount=Decimal("300000"),
            debt_term_end=dt.date(2028, 6, 30),
        )
    with audit_context(actor=artist, via="cli"):
        services.link_financing(
            user=artist, pledge=pledge, contracts=[running], lender=_BANK.name, loan_amount=Decimal("300000")
        )
    return [running, waiting, guaranteed, transfer, terminated]


def _disclosed(listing: Listing) -> Listing:
    """The demo's listings were published a disclosure period ago (its ending is what lets them trade): move
    the listing's dates back by the disclosure's length, as if it had been listed then."""
    back = listing.disclosure_until - timezone.localdate() + dt.timedelta(days=1)
    Listing.objects.filter(pk=listing.pk).update(
        created_at=F("created_at") - back,
        disclosure_until=F("disclosure_until") - back,
        bidding_ends_at=F("bidding_ends_at") - back,
    )
    listing.refresh_from_db()
    return listing


def _guaranteed(artist: Any, buyer: Any, work: Work) -> Contract:
    """A sub-licensable minimum-guarantee licence whose first quarter fell short of the guarantee (the top-up
    is due), and the licensee's offer to sub-license part of it for six months."""
    with audit_context(actor=artist, via="cli"):
        offer = services.create_offer(
            user=artist,
            work=work,
            rights=["distribution"],
            exclusivity="exclusive",
            territory="mainland",
            sublicensable=True,
            royalty_model="minimum_guarantee",
            price=Decimal("20000"),
            royalty_rate=Decimal("8"),
            reporting_months=3,
            term_months=24,
            note="实体门店发行，按净销售额 8% 提成，两年保底 2 万元（每季度 2,500 元），可转许可。",
        )
    with audit_context(actor=buyer, via="cli"):
        contract = services.request_licence(
            user=buyer, offer=offer, valid_from=dt.date(2026, 1, 1), industry="文创零售"
        )
    contract = _signed(contract, buyer, artist)
    with audit_context(actor=buyer, via="cli"):
        services.report_royalty(
            user=buyer, contract=contract, period_start=dt.date(2026, 1, 1), revenue=Decimal("20000")
        )
        services.create_offer(
            user=buyer,
            parent=contract,
            rights=["distribution"],
            exclusivity="non_exclusive",
            territory="cn-44",
            royalty_model="lump_sum",
            price=Decimal("6000"),
            term_months=6,
            note="转许可：广东省内机场门店限时发行半年。",
        )
    return contract


def _at_five(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17)))


def _disclosed_auction(artist: Any, work: Work, right: str, price: Decimal) -> Listing:
    """An auction of one right whose disclosure has ended and whose bidding runs a week longer; the deposit is a
    tenth of the starting price."""
    with audit_context(actor=artist, via="cli"):
        listing = services.create_listing(
            user=artist,
            work=work,
            rights=[right],
            method="auction",
            price=price,
            deposit=price / 10,
            increment=Decimal("1000") if price >= Decimal("50000") else Decimal("500"),
            bidding_ends_at=_at_five(selectors.disclosure_end(timezone.localdate()) + dt.timedelta(days=7)),
        )
    return _disclosed(listing)


def _auction(artist: Any, buyer: Any, work: Work) -> Listing:
    """An auction of the network right, still open for bids: the agency paid the deposit and bid."""
    listing = _disclosed_auction(artist, work, "network", Decimal("60000"))
    with audit_context(actor=buyer, via="cli"):
        services.register_deposit(user=buyer, listing=listing, paid_on=timezone.localdate(), reference="BZJ-DEMO-0001")
        services.bid(user=buyer, listing=listing, amount=Decimal("61000"))
    return listing


def _unsold_auction(artist: Any, buyer: Any, registrar: Any, work: Work) -> Listing:
    """An auction of the exhibition right whose bidding ended yesterday without a bid: the agency's deposit was
    to be returned, and the registrar (for the exchange) recorded the refund with its bank reference."""
    listing = _disclosed_auction(artist, work, "exhibition", Decimal("30000"))
    with audit_context(actor=buyer, via="cli"):
        deposit = services.register_deposit(
            user=buyer, listing=listing, paid_on=timezone.localdate(), reference="BZJ-DEMO-0002"
        )
    # Nobody bid before the bidding closed, which the demo places yesterday afternoon.
    Listing.objects.filter(pk=listing.pk).update(bidding_ends_at=_at_five(timezone.localdate() - dt.timedelta(days=1)))
    with audit_context(actor=registrar, via="cli"):
        services.return_deposit(
            user=registrar, deposit=deposit, returned_on=timezone.localdate(), reference="TK-DEMO-0002"
        )
    listing.refresh_from_db()
    return listing


def _curator(buyer: Any) -> Any:
    """The curator's account (not a demo login: its password is not kept), with a verified identity."""
    user = create_user(
        username=f"curator-{buyer.username}",
        role=Role.ARTIST,
        password=secrets.token_urlsafe(12),
        display_name=_CURATOR.name,
        check_password=False,
    )
    return complete_identity(user=user, identity=_CURATOR)


def _terminated(artist: Any, buyer: Any, work: Work) -> Contract:
    """An exclusive, sub-licensable exhibition licence begun five months ago, under which the agency offered a
    sub-licence, and a curator took it for a pop-up show forty days ago; the agency never paid the licence fee,
    and the artist terminated it three days ago: the sub-licence offer closed with it (the agency's desk shows
    why) and the curator's sub-licence ended on the same day."""
    start = timezone.localdate() - dt.timedelta(days=150)
    with audit_context(actor=buyer, via="cli"):
        contract = services.create_contract(
            user=buyer,
            work=work,
            kind="licence",
            licensor_user=artist,
            licensee_user=buyer,
            terms={
                "rights": ["exhibition"],
                "exclusivity": "exclusive",
                "territory": "mainland",
                "sublicensable": True,
                "royalty_model": "lump_sum",
                "price": Decimal("30000"),
                "valid_from": start,
                "valid_until": selectors.add_months(start, 12) - dt.timedelta(days=1),
                "media": "美术馆、商业综合体巡回展",
            },
            licensee_industry="展览策划",
        )
    contract = _signed(contract, buyer, artist)
    with audit_context(actor=buyer, via="cli"):
        offer = services.create_offer(
            user=buyer,
            parent=contract,
            rights=["exhibition"],
            exclusivity="non_exclusive",
            territory="cn-44",
            royalty_model="lump_sum",
            price=Decimal("8000"),
            term_months=3,
            note="转许可：广东省内商场快闪展三个月。",
        )
    curator = _curator(buyer)
    with audit_context(actor=curator, via="cli"):
        sub = services.request_licence(
            user=curator, offer=offer, valid_from=timezone.localdate() - dt.timedelta(days=40), industry="展览策划"
        )
    _signed(sub, curator, buyer)
    due = start + dt.timedelta(days=30)
    with audit_context(actor=artist, via="cli"):
        return services.terminate_contract(
            user=artist,
            contract=contract,
            on_date=timezone.localdate() - dt.timedelta(days=3),
            ground="breach",
            reason=f"被许可方未按约定于 {due.isoformat()} 前支付许可费 30,000 元，经两次书面催告仍未支付，"
            "许可方依合同第八条解除合同。",
        )
