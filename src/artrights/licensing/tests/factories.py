"""Test data for licensing: registered works, offers and contracts made through the apps' own services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from artrights.core.services import PartyInput
from artrights.licensing import services
from artrights.licensing.models import Contract, Listing, Offer
from artrights.registry import services as registry
from artrights.registry.models import Work
from artrights.registry.tests.factories import OTHER_OWNER, OWNER, samples, work_fields

PLEDGEE = PartyInput(name="示例银行深圳分行", id_type="uscc", id_number="91350100M000100Y43", kind="organisation")


def registered(
    artist: Any, registrar: Any, *, seed: int = 31, owners: list[PartyInput] | None = None, **fields: Any
) -> Work:
    """A work the artist applied for and a registrar registered."""
    work = registry.create_application(
        user=artist, fields=work_fields(**fields), owners=owners or [OWNER], files=samples(seed)
    )
    registry.submit(work=work, user=artist)
    registry.accept(work=work, registrar=registrar)
    registry.start_review(work=work, registrar=registrar)
    return registry.register(work=work, registrar=registrar)


def joint(artist: Any, registrar: Any, *, seed: int = 37) -> Work:
    """A joint work (合作作品) of the artist (林画家) and the outsider (吴路人)."""
    return registered(artist, registrar, seed=seed, owners=[OWNER, OTHER_OWNER], ownership_mode="joint")


def offer(artist: Any, work: Work, **overrides: Any) -> Offer:
    fields: dict[str, Any] = {
        "rights": ["reproduction", "network"],
        "exclusivity": "non_exclusive",
        "territory": "mainland",
        "royalty_model": "lump_sum",
        "price": Decimal("20000"),
        "term_months": 24,
        "media": "印刷品、电商平台",
    }
    fields.update(overrides)
    return services.create_offer(user=artist, work=work, **fields)


def contract(
    licensor: Any, licensee: Any, work: Work, *, kind: str = "licence", start: dt.date | None = None, **terms: Any
) -> Contract:
    """A draft contract made directly (as an offer's request or a trade makes one)."""
    start = start or dt.date(2026, 1, 1)
    values: dict[str, Any] = {
        "rights": ["reproduction"],
        "exclusivity": "non_exclusive",
        "territory": "mainland",
        "royalty_model": "lump_sum",
        "price": Decimal("10000"),
        "valid_from": start,
        "valid_until": start.replace(year=start.year + 2) - dt.timedelta(days=1),
    }
    industry = terms.pop("licensee_industry", "")
    values.update(terms)
    return services.create_contract(
        user=licensee,
        work=work,
        kind=kind,
        licensor_user=licensor,
        licensee_user=licensee,
        terms=values,
        licensee_industry=industry,
    )


def signed(contract: Contract, *users: Any) -> Contract:
    """Every given user signs the contract's current version, in turn."""
    for user in users:
        contract.refresh_from_db()
        contract = services.sign(user=user, contract=contract, sha256=contract.sha256)
    contract.refresh_from_db()
    return contract


def pledge(registrar: Any, work: Work, pledgee_user: Any, pledgor: PartyInput = OWNER) -> Any:
    return registry.register_pledge(
        registrar=registrar,
        works=[work],
        pledgor=pledgor,
        pledgee=PLEDGEE,
        rights=["reproduction", "distribution"],
        secured_amount=Decimal("300000"),
        debt_term_end=dt.date(2028, 1, 1),
        pledgee_user=pledgee_user,
    )


def disclosure_end() -> dt.date:
    """The last day of the shortest disclosure a listing made today gets."""
    from django.utils import timezone

    from artrights.licensing import selectors

    return selectors.disclosure_end(timezone.localdate())


def auction(seller: Any, work: Work, **overrides: Any) -> Listing:
    """An auction of the network right: bidding ends a week after the shortest disclosure, at five in the
    afternoon; start 50,000 yuan, deposit 5,000, increment 1,000."""
    from django.utils import timezone

    ends = disclosure_end() + dt.timedelta(days=7)
    fields: dict[str, Any] = {
        "rights": ["network"],
        "method": "auction",
        "price": Decimal("50000"),
        "deposit": Decimal("5000"),
        "increment": Decimal("1000"),
        "bidding_ends_at": timezone.make_aware(dt.datetime.combine(ends, dt.time(17))),
    }
    fields.update(overrides)
    return services.create_listing(user=seller, work=work, **fields)


def deposited(listing: Listing, *bidders: Any) -> Listing:
    """Each bidder records the deposit paid today."""
    from django.utils import timezone

    for n, bidder in enumerate(bidders):
        services.register_deposit(
            user=bidder, listing=listing, paid_on=timezone.localdate(), reference=f"BZJ-{listing.number}-{n}"
        )
    return listing
