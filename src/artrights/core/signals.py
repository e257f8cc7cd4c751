"""Questions a lower app asks that a higher app answers, without either importing the other.

- ``party_standing`` (sender=None, identifiers=<sorted list of USCCs and resident ID numbers>): asked wherever a
  party appears (registration review, an agency filing for its clients, later mediation and licensing). Each
  receiver returns a list of :class:`Standing`, one per list the party is on now. The credit app answers
  (``credit/receivers.py``); with no receiver connected every party is in good standing.

Ask through :func:`standing_of`, which normalises the identifiers and gathers the answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.dispatch import Signal

from .identifiers import normalise

party_standing = Signal()


@dataclass(frozen=True)
class Standing:
    """One list a party is on: which, since and until when, and what it bars on this platform."""

    identifier: str  # the USCC or ID number asked about
    list_type: str  # a stable code (e.g. "cnipa_dishonest")
    list_label: str  # what the list is called, in the language active when asked
    number: str  # the list entry's number
    since: dt.date
    until: dt.date | None  # None: until the obligation is met or the entry is removed
    bars_agency_filing: bool  # a listed agency may not file for clients while this holds
    url: str  # where the public reads the entry
    as_principal_of: str = ""  # set when the party is listed as a principal of the organisation named here


def standing_of(identifiers: Iterable[str]) -> list[Standing]:
    """Every list the parties with these identifiers are on now, as the connected receivers answer."""
    wanted = sorted({normalise(i) for i in identifiers if i and i.strip()})
    if not wanted:
        return []
    found: list[Standing] = []
    for _receiver, answer in party_standing.send(sender=None, identifiers=wanted):
        found.extend(cast("list[Standing]", answer) if answer else [])
    return found
