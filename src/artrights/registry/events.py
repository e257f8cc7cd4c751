"""What happened to a work, told once it is committed: the one hook for everything that follows a step.

Every workflow move of ``REGISTRATION_FLOW`` is announced under its transition's name (``submit``, ``accept``,
``request_correction``, ``correct``, ``hold``, ``release``, ``register``, ``file``, ``refuse``, ``withdraw``,
``deem_withdrawn``, ``revoke`` …), and so are the steps outside it listed in ``OTHER_EVENTS``. Receivers of
``signals.work_event`` (notifications to the people concerned, the documents the registry issues) run after the
commit, so they never act on a step that was rolled back and never hold up the transaction that took it.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from .models import REGISTRATION_FLOW, Work
from .signals import work_event

OTHER_EVENTS = (
    "change",  # a registration's particulars changed (Z61)
    "certificate_issued",  # a certificate (first or reissued) is ready
    "contract_filed",  # subject: the ContractFiling
    "pledge_registered",  # subject: the Pledge
    "pledge_consented",  # subject: the PledgeConsent
    "pledge_cancelled",  # subject: the Pledge
)
EVENTS = (*REGISTRATION_FLOW.transitions, *OTHER_EVENTS)


def announce(work: Work, event: str, *, actor: Any = None, subject: models.Model | None = None) -> None:
    """Send ``work_event`` for ``work`` after the current transaction commits (at once outside one)."""
    if event not in EVENTS:
        raise ValueError(f"unknown work event {event!r}")
    transaction.on_commit(lambda: work_event.send(sender=Work, work=work, event=event, actor=actor, subject=subject))
