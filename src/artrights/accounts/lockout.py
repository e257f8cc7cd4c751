"""Login lockout by account *and* address (django-axes, with this handler in ``AXES_HANDLER``).

Wrong passwords lock the address they come from, never the account everywhere: ``AXES_FAILURE_LIMIT`` failures
for one username from one address stop that username from that address, and ``ARTRIGHTS_LOGIN_ADDRESS_FAILURE_LIMIT``
failures from one address over any usernames stop the address altogether (password spraying). A stranger who
knows a username can therefore lock only themself out; the owner signs in from anywhere else as usual, and hears
of the lockout (an essential notification). Both limits share ``AXES_COOLOFF_TIME``.

Axes compares every parameter set in ``AXES_LOCKOUT_PARAMETERS`` with the one failure limit; the address needs a
higher one (an office behind one address must not be stopped by a few colleagues' typos), hence this handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

ACCOUNT = "account"  # one username from one address
ADDRESS = "address"  # every username from one address


@dataclass(frozen=True)
class Failures:
    """Recent wrong passwords from the request's address: for the username tried, and for all usernames."""

    account: int
    address: int

    @property
    def locked(self) -> str | None:
        """Which lock holds, ADDRESS before ACCOUNT; None when neither."""
        if self.address >= settings.ARTRIGHTS_LOGIN_ADDRESS_FAILURE_LIMIT:
            return ADDRESS
        if self.account >= settings.AXES_FAILURE_LIMIT:
            return ACCOUNT
        return None


def failures(request: HttpRequest, credentials: dict[str, Any] | None = None) -> Failures:
    """The failures within the cool-off time that count against this request (axes has tagged it already)."""
    username = get_client_username(request, credentials)
    recent = AccessAttempt.objects.filter(
        ip_address=getattr(request, "axes_ip_address", None), attempt_time__gte=get_cool_off_threshold(request)
    )

    def total(rows: Any) -> int:
        return int(rows.aggregate(n=Sum("failures_since_start"))["n"] or 0)

    return Failures(account=total(recent.filter(username=username)), address=total(recent))


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler with the two limits above."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # Axes locks when this reaches AXES_FAILURE_LIMIT: the account count, raised to that limit once the
        # address as a whole is over its own.
        found = failures(request, credentials)
        if found.locked == ADDRESS:
            return max(found.account, int(settings.AXES_FAILURE_LIMIT))
        return found.account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # A successful login forgives that user's own typos from that address, not the failures others caused
        # there: axes would otherwise clear the address's count too, and a sprayer with one valid account could
        # reset it at will.
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=getattr(request, "axes_ip_address", None)
        ).delete()
        return int(count)
