"""Background work for licensing, as thin wrappers: reminders of overdue royalty reports and payments; lapsing
auctions without bids, closing sub-licence offers whose licence ended and lapsing proposals to end a licence by
agreement once it ended otherwise."""

from __future__ import annotations

from huey import crontab

from artrights.core import audit
from artrights.core.background import db_periodic_task


@db_periodic_task(crontab(hour="9", minute="5"))
def royalty_reminders_task() -> int:
    """Every morning: remind licensees (copying licensors) of reports and payments that fell overdue."""
    from .services import send_reminders

    with audit.context(via="worker"):
        return send_reminders()


@db_periodic_task(crontab(minute="*/10"))
def ended_auctions_and_licences_task() -> tuple[int, int, int]:
    """Every ten minutes: auctions whose bidding ended without a bid lapse (their deposits are to be returned),
    sub-licence offers whose licence expired or ended leave the catalogue, and proposals to end such a licence by
    agreement lapse."""
    from .services import close_ended_sublicence_offers, lapse_ended_proposals, lapse_unsold_auctions

    with audit.context(via="worker"):
        return lapse_unsold_auctions(), close_ended_sublicence_offers(), lapse_ended_proposals()
