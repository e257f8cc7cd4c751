"""Text messages, through the one backend the operator names in ``ARTRIGHTS_SMS_BACKEND`` (empty: no SMS).

The interface is one class, built without arguments, with one method: ``send(*, to, text)`` delivers one
message to a mainland mobile number or raises (any exception: the delivery is recorded as failed with the
exception's text and retried). An operator plugs in a carrier's or the government SMS platform's gateway by
writing such a class and naming it in the setting; the platform ships the two below and calls no external
service itself.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Deliver ``text`` to the phone number ``to``, or raise."""
        ...


@dataclass(frozen=True)
class TextMessage:
    to: str
    text: str


# What LocmemBackend has sent, for tests to read (like django.core.mail.outbox).
outbox: list[TextMessage] = []
_outbox_lock = threading.Lock()


class ConsoleBackend:
    """Development: writes each message to the worker's standard output, like Django's console e-mail backend."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {to}] {text}\n")
        sys.stdout.flush()


class LocmemBackend:
    """Tests: keeps each message in :data:`outbox`."""

    def send(self, *, to: str, text: str) -> None:
        with _outbox_lock:
            outbox.append(TextMessage(to, text))


def configured() -> bool:
    """Whether the platform sends text messages at all."""
    return bool(settings.ARTRIGHTS_SMS_BACKEND)


def backend() -> SmsBackend:
    """An instance of the configured backend (only asked when :func:`configured`)."""
    cls: type[SmsBackend] = import_string(settings.ARTRIGHTS_SMS_BACKEND)
    return cls()
