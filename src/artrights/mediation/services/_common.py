"""What every mediation write shares: the day, numbers, clocks, locks, refusals and who hears of a case."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from artrights.accounts.models import Role
from artrights.core.selectors import working_calendar
from artrights.core.services import notify
from artrights.core.validators import validate_plain_text

from ..models import Case, Counter

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

M = TypeVar("M", bound=models.Model)


def today() -> dt.date:
    return timezone.localdate()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start`` on the mainland calendar with the operator's overrides."""
    return working_calendar().add_working_days(start, days)


def calendar_due(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` calendar days counted from the day after ``start``; a last day that is
    a day off moves to the next working day (Civil Code Art. 203, CPL Art. 85)."""
    calendar = working_calendar()
    end = start + dt.timedelta(days=days)
    while not calendar.is_workday(end):
        end += dt.timedelta(days=1)
    return end


def next_number(kind: str) -> str:
    """The next number ``{kind}-{year}-{seq}``, from the counter row locked in the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("mediation numbers are allocated inside the writing transaction")
    year = today().year
    row, _created = Counter.objects.select_for_update().get_or_create(kind=kind, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return f"{kind}-{year}-{row.last:06d}"


def locked(obj: M) -> M:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def refused(code: str, message: _StrPromise, /, **params: Any) -> ValidationError:
    """A refusal rendered in whichever language reads it."""
    return ValidationError(message, code=code, params=params or None)


def clean_text(
    value: str, label: str | Promise, *, required: bool = True, limit: int = 2000, multiline: bool = True
) -> str:
    text = (value or "").strip()
    if required and not text:
        raise refused("required", _("请填写%(field)s。"), field=label)
    if len(text) > limit:
        raise refused("too_long", _("%(field)s不能超过 %(limit)s 个字符。"), field=label, limit=limit)
    try:
        validate_plain_text(text, multiline=multiline)
    except ValidationError as exc:
        raise refused("hidden_characters", _("%(field)s：%(reason)s"), field=label, reason=exc.messages[0]) from None
    return text


def admins_of(case: Case) -> QuerySet[Any]:
    return get_user_model()._default_manager.filter(
        role=Role.MEDIATION_ADMIN, organisation_id=case.organisation_id, is_active=True
    )


def party_people(case: Case, side: str | None = None) -> list[Any]:
    """The accounts that act for the parties (their own accounts and their agents)."""
    people: list[Any] = []
    for p in case.parties.select_related("party", "agent"):
        if side is not None and p.side != side:
            continue
        account = getattr(p.party, "account", None)
        people += [u for u in (account, p.agent) if u is not None]
        if p.party.id_type == "uscc":
            people += list(
                get_user_model()._default_manager.filter(organisation__uscc=p.party.id_number, is_active=True)
            )
    return people


def court_people(case: Case, court: str = "") -> list[Any]:
    """The liaison accounts of the court that sent the case (or of ``court``, asked for judicial confirmation)."""
    name = court or case.court
    if not name:
        return []
    return list(
        get_user_model()._default_manager.filter(
            role=Role.COURT, organisation__name=name, organisation__is_active=True, is_active=True
        )
    )


def mediator_people(case: Case) -> list[Any]:
    return [case.mediator.user] if case.mediator_id and case.mediator is not None else []


def case_url(case: Case) -> str:
    return reverse("mediation:case", args=[case.number])


def tell(case: Case, recipients: Any, kind: str, *, actor: Any, **params: Any) -> None:
    """Notify ``recipients`` of a step of ``case``, leaving out ``actor``, who took it.

    ``actor`` is required so that every step says who acted: ``None`` for what time did by itself, and for a call
    to act that the actor must answer like everyone else (the joint outcome of several people's acts)."""
    notify(
        recipients=recipients,
        kind=kind,
        subject=case,
        # What a person wrote keeps its mark (``Written``); a date or a number becomes its text.
        params={"number": case.number, **{k: v if isinstance(v, str) else str(v) for k, v in params.items()}},
        url=case_url(case),
        actor=actor,
    )
