"""Writes for licensing, one module per capability; import them from here."""

from .contracts import amend, cancel, create_contract, file, missing_signers, sign, terms_bytes
from .exchange import (
    bid,
    buy,
    close_auction,
    create_listing,
    lapse_unsold_auctions,
    register_deposit,
    return_deposit,
    withdraw_listing,
)
from .financing import link_financing
from .offers import close_ended_sublicence_offers, create_offer, request_licence, withdraw_offer
from .royalties import record_payment, report_royalty, send_reminders
from .termination import (
    agree_termination,
    decline_termination,
    lapse_ended_proposals,
    propose_termination,
    terminate_contract,
    withdraw_termination,
)

__all__ = [
    "agree_termination",
    "amend",
    "bid",
    "buy",
    "cancel",
    "close_auction",
    "close_ended_sublicence_offers",
    "create_contract",
    "create_listing",
    "create_offer",
    "decline_termination",
    "file",
    "lapse_ended_proposals",
    "lapse_unsold_auctions",
    "link_financing",
    "missing_signers",
    "propose_termination",
    "record_payment",
    "register_deposit",
    "report_royalty",
    "request_licence",
    "return_deposit",
    "send_reminders",
    "sign",
    "terminate_contract",
    "terms_bytes",
    "withdraw_listing",
    "withdraw_offer",
    "withdraw_termination",
]
