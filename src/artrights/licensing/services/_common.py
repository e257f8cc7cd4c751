"""What every licensing write shares: numbers, parties as the registry names them, the credit flags, and the
rules about a work that every act checks first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.models import Role
from artrights.accounts.services import party_of
from artrights.core.models import Party
from artrights.core.services import PartyInput
from artrights.credit import selectors as credit
from artrights.registry.models import ECONOMIC_RIGHTS, Status, Work

from .. import integrity, selectors
from ..models import Counter

PREFIX = {"contract": "LC", "listing": "GP", "trade": "CJ"}


def today() -> dt.date:
    return timezone.localdate()


def next_number(series: str) -> str:
    """``{prefix}-{year}-{6-digit sequence}``, allocated in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("licensing numbers are allocated inside the writing transaction")
    year = today().year
    row, _created = Counter.objects.select_for_update().get_or_create(series=series, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return f"{PREFIX[series]}-{year}-{row.last:06d}"


def party_input(party: Party) -> PartyInput:
    return PartyInput(name=party.name, id_type=party.id_type, id_number=party.id_number, kind=party.kind)


def acting_party(user: Any) -> Party:
    """The party the user acts as: their real-name identity, else their organisation (linked on first use)."""
    party = selectors.acting_party(user)
    if party is None and getattr(user, "organisation", None) is not None and user.role == Role.AGENCY:
        party = party_of(user.organisation)
    if party is None:
        raise ValidationError(_("请先完成实名信息（或由所属机构以机构名义办理），才能订立许可、转让或交易。"))
    return party


def check_work(work: Work) -> None:
    """Nothing on a revoked work; only granted works are licensed, sold or financed."""
    if work.status == Status.REVOKED:
        raise integrity.RuleBroken(
            integrity.REVOKED, f"《{work.title}》的登记已撤销", f"the registration of “{work.title}” is revoked"
        )
    if not work.is_granted:
        raise ValidationError(_("作品“%(title)s”尚未登记，不能许可、转让或交易。") % {"title": work.title})


def check_rights(rights: list[str]) -> list[str]:
    bad = [r for r in rights if r not in ECONOMIC_RIGHTS]
    if not rights or bad:
        raise ValidationError(_("请选择可以许可、转让或出质的财产权利（著作权法第十条第五至十七项）。"))
    return sorted(set(rights))


def check_holder(work: Work, party: Party, rights: list[str]) -> None:
    if not selectors.holds(work, party, rights):
        raise integrity.RuleBroken(
            integrity.NOT_HOLDER,
            f"{party.name} 不持有《{work.title}》的全部所选权利",
            f"{party.name} does not hold every chosen right in “{work.title}”",
        )


def credit_flags(parties: list[Party]) -> list[dict[str, str]]:
    """The credit lists the parties are on now, as credit's selectors tell: flagged, never refused here."""
    flags = []
    codes = {p.id_number: p for p in parties}
    for entry in credit.live_entries().filter(subject__code__in=list(codes)):
        party = codes[entry.subject.code]
        flags.append({"party": party.name, "list": str(entry.get_list_type_display()), "number": entry.number})
    return flags
