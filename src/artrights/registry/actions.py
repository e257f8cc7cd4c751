"""The moves a person makes on an application, in one table the pages and the API both use.

Each entry names the workflow transition, the access verb that allows it and the service that performs it, so
a page offers exactly the buttons the API would accept, and neither can drift from the other. Answering a
correction notice carries fields and files, so it has its own form and API route (``services.correct``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from artrights.accounts.access import can

from . import services
from .models import REGISTRATION_FLOW, Kind, Work

Side = Literal["applicant", "registrar"]
Params = Mapping[str, Any]


@dataclass(frozen=True)
class WorkAction:
    name: str  # the REGISTRATION_FLOW transition
    verb: str  # the access verb (registry/rules.py)
    side: Side
    run: Callable[[Work, Any, Params], Work]
    kinds: tuple[str, ...] = ()  # the registers it applies to; empty: all of them


WORK_ACTIONS: dict[str, WorkAction] = {
    a.name: a
    for a in (
        WorkAction("submit", "submit", "applicant", lambda w, u, p: services.submit(work=w, user=u)),
        WorkAction("withdraw", "withdraw", "applicant", lambda w, u, p: services.withdraw(work=w, user=u)),
        WorkAction("accept", "review", "registrar", lambda w, u, p: services.accept(work=w, registrar=u)),
        WorkAction("start_review", "review", "registrar", lambda w, u, p: services.start_review(work=w, registrar=u)),
        WorkAction(
            "register",
            "review",
            "registrar",
            lambda w, u, p: services.register(work=w, registrar=u, screening_note=str(p.get("screening_note", ""))),
        ),
        WorkAction(
            "release",
            "review",
            "registrar",
            lambda w, u, p: services.release(work=w, registrar=u, screening_note=str(p.get("screening_note", ""))),
            (Kind.DIGITAL_FILING,),
        ),
        WorkAction(
            "clear_hold",
            "review",
            "registrar",
            lambda w, u, p: services.clear_hold(work=w, registrar=u, screening_note=str(p.get("screening_note", ""))),
            (Kind.SOFTWARE,),
        ),
        WorkAction(
            "request_correction",
            "review",
            "registrar",
            lambda w, u, p: services.request_correction(work=w, registrar=u, notice=str(p.get("notice", ""))),
        ),
        WorkAction(
            "refuse",
            "review",
            "registrar",
            lambda w, u, p: services.refuse(
                work=w, registrar=u, ground=str(p.get("ground", "")), reason=str(p.get("reason", ""))
            ),
        ),
        WorkAction(
            "revoke",
            "revoke",
            "registrar",
            lambda w, u, p: services.revoke(
                work=w, registrar=u, ground=str(p.get("ground", "")), reason=str(p.get("reason", ""))
            ),
        ),
    )
}


def offered(user: Any, work: Work, side: Side) -> list[str]:
    """The actions of ``side`` that the work's state allows and ``user`` may take, in the table's order."""
    allowed = REGISTRATION_FLOW.allowed(work.status)
    return [
        a.name
        for a in WORK_ACTIONS.values()
        if a.side == side and a.name in allowed and (not a.kinds or work.kind in a.kinds) and can(user, a.verb, work)
    ]


def perform(*, name: str, work: Work, user: Any, params: Params) -> Work:
    """Run action ``name`` (the service checks access and the workflow); unknown names are refused."""
    action = WORK_ACTIONS.get(name)
    if action is None:
        raise ValidationError(_("未知操作：%(action)s") % {"action": name}, code="unknown_action")
    return action.run(work, user, params)
