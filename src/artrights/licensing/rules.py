"""Who may do what in licensing, by business verb (see accounts.access).

Offers and listings are public; a contract is its parties' (the licensor, the licensee and a joint work's
co-owners) and the registry staff's. Acting on a contract needs the party's own account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from artrights.accounts.access import rule, visible
from artrights.accounts.models import Role

from .models import (
    Contract,
    ContractKind,
    ContractStatus,
    Deposit,
    Financing,
    Listing,
    ListingStatus,
    Offer,
    OfferStatus,
)

# Who licenses, buys and sells: rights holders and (for their organisation) agencies.
TRADERS = (Role.ARTIST, Role.AGENCY)
STAFF = (Role.REGISTRAR, Role.SUPERVISOR)


def _party_id(user: Any) -> int | None:
    if user.party_id:
        return int(user.party_id)
    organisation = getattr(user, "organisation", None)
    return int(organisation.party_id) if organisation is not None and organisation.party_id else None


def _is_co_owner(user: Any, contract: Contract) -> bool:
    party_id = _party_id(user)
    return party_id is not None and contract.co_owners.filter(pk=party_id).exists()


def _is_side(user: Any, contract: Contract) -> bool:
    return user.pk in (contract.licensor_user_id, contract.licensee_user_id)


@rule(Offer, "create")
def _create_offer(user: Any, offer: None) -> bool:
    return user.role in TRADERS


@rule(Offer, "withdraw")
def _withdraw_offer(user: Any, offer: Offer) -> bool:
    return offer.offered_by_id == user.pk and offer.status == OfferStatus.OPEN


@rule(Offer, "view")
def _view_offer(user: Any, offer: Offer) -> bool:
    """An offer that left the catalogue (withdrawn, or closed with its licence) is read by its offerer and the
    staff, with why it left; the offers in the catalogue are public (``selectors.offerable``, one rule)."""
    return offer.offered_by_id == user.pk or user.role in STAFF


@rule(Offer, "request")
def _request(user: Any, offer: Offer) -> bool:
    """A buyer asks for a licence on the offer's terms: anyone who trades, but not the licensor."""
    return user.role in TRADERS and offer.offered_by_id != user.pk and offer.status == OfferStatus.OPEN


@rule(Contract, "view")
def _view(user: Any, contract: Contract) -> bool:
    return user.role in STAFF or _is_side(user, contract) or _is_co_owner(user, contract)


@rule(Contract, "sign")
def _sign(user: Any, contract: Contract) -> bool:
    return contract.status == ContractStatus.DRAFT and (_is_side(user, contract) or _is_co_owner(user, contract))


@rule(Contract, "amend")
def _amend(user: Any, contract: Contract) -> bool:
    return contract.status == ContractStatus.DRAFT and _is_side(user, contract)


@rule(Contract, "cancel")
def _cancel(user: Any, contract: Contract) -> bool:
    return bool(contract.status == ContractStatus.DRAFT and _is_side(user, contract) and not hasattr(contract, "trade"))


@rule(Contract, "report_royalty")
def _report(user: Any, contract: Contract) -> bool:
    return bool(contract.licensee_user_id == user.pk)


@rule(Contract, "sublicense")
def _sublicense(user: Any, contract: Contract) -> bool:
    """Only the licensee offers sub-licences under its licence (whether the licence allows it is a named rule)."""
    return bool(contract.licensee_user_id == user.pk and contract.kind == ContractKind.LICENCE and user.role in TRADERS)


@rule(Contract, "terminate")
def _terminate(user: Any, contract: Contract) -> bool:
    """Either side of a licence ends it early on a ground that gives it the right alone (breach, force majeure,
    another legal or agreed ground: Civil Code Art. 563); ending it by agreement is ``propose_termination``.
    The service says why a contract that is not a filed licence in its term cannot be terminated."""
    return _is_side(user, contract)


@rule(Contract, "propose_termination")
def _propose_termination(user: Any, contract: Contract) -> bool:
    """Either side proposes to end a licence by mutual agreement (Civil Code Art. 562); it ends only when the
    other side agrees. The service says why a contract that is not a filed licence in its term cannot be."""
    return _is_side(user, contract)


def _answers(user: Any, contract: Contract) -> bool:
    """The side that did not propose the open proposal: the one who agrees to it or declines it."""
    proposal = contract.open_termination_proposal() if contract.status == ContractStatus.FILED else None
    return proposal is not None and _is_side(user, contract) and proposal.proposed_by_id != user.pk


@rule(Contract, "agree_termination")
def _agree_termination(user: Any, contract: Contract) -> bool:
    """The other side agrees to the open proposal, and the licence is terminated on the proposed day; never the
    side that proposed it, nor the staff, who read the contract but do not make the parties' agreement."""
    return _answers(user, contract)


@rule(Contract, "decline_termination")
def _decline_termination(user: Any, contract: Contract) -> bool:
    return _answers(user, contract)


@rule(Contract, "withdraw_termination")
def _withdraw_termination(user: Any, contract: Contract) -> bool:
    """Only the side that proposed it withdraws an open proposal."""
    proposal = contract.open_termination_proposal() if contract.status == ContractStatus.FILED else None
    return proposal is not None and proposal.proposed_by_id == user.pk


@rule(Contract, "record_payment")
def _pay(user: Any, contract: Contract) -> bool:
    return _is_side(user, contract)


@visible(Contract)
def _visible_contracts(user: Any, qs: QuerySet[Contract]) -> QuerySet[Contract]:
    if user.role in STAFF:
        return qs
    mine = Q(licensor_user=user) | Q(licensee_user=user)
    party_id = _party_id(user)
    if party_id is not None:
        mine |= Q(co_owners=party_id)
    return qs.filter(mine).distinct()


@rule(Listing, "create")
def _list(user: Any, listing: None) -> bool:
    return user.role in TRADERS


@rule(Listing, "buy")
def _buy(user: Any, listing: Listing) -> bool:
    return user.role in TRADERS and listing.seller_user_id != user.pk and listing.status == ListingStatus.PUBLISHED


@rule(Listing, "close")
def _close(user: Any, listing: Listing) -> bool:
    """The seller ends an auction (to its highest bidder) or withdraws the listing."""
    return listing.seller_user_id == user.pk and listing.status == ListingStatus.PUBLISHED


@rule(Deposit, "return")
def _return_deposit(user: Any, deposit: Deposit | None) -> bool:
    """The exchange's staff, who hold the deposits paid in, record that one went back to its bidder (the
    service says why a deposit in another state cannot be returned)."""
    return user.role in STAFF


@rule(Financing, "create")
def _finance(user: Any, financing: None) -> bool:
    return user.role in TRADERS


@rule(Financing, "view")
def _view_financing(user: Any, financing: Financing) -> bool:
    if user.role in STAFF or financing.created_by_id == user.pk:
        return True
    return bool(financing.pledge.pledgee_user_id == user.pk)


@visible(Financing)
def _visible_financings(user: Any, qs: QuerySet[Financing]) -> QuerySet[Financing]:
    if user.role in STAFF:
        return qs
    return qs.filter(Q(created_by=user) | Q(pledge__pledgee_user=user))
