"""Small helpers shared by tests across apps (kept importable, unlike conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from artrights.core.notifying import Kind

# The password every test user gets (long enough for the password policy).
TEST_PASSWORD = "correct-horse-battery-staple-42"

# A kind of notification only tests declare (core.notifying), in plain text: one parameter in the title, one in the
# body; `declare_example_kind(monkeypatch)` declares it for one test.
EXAMPLE_KIND = Kind("tests.example", label="测试通知", title="《%(title)s》有新进展", body="请在 %(deadline)s 前处理。")


def declare_example_kind(monkeypatch: Any) -> Kind:
    from artrights.core import notifying

    monkeypatch.setitem(notifying._kinds, EXAMPLE_KIND.key, EXAMPLE_KIND)
    return EXAMPLE_KIND


# Two people with valid resident ID numbers (GB 11643 check digits): the identities behind the test artists.
LIN = {"name": "林画家", "id_type": "resident_id", "id_number": "11010519491231002X"}
WU = {"name": "吴路人", "id_type": "resident_id", "id_number": "440304198801010015"}


def give_identity(user: Any, identity: Mapping[str, str], *, email: str = "") -> Any:
    """Make ``user`` a verified rights holder: the real-name identity stated, an e-mail address proved."""
    from django.utils import timezone

    from artrights.accounts.services import complete_identity
    from artrights.core.services import PartyInput

    account = complete_identity(user=user, identity=PartyInput(**identity))
    account.email = email or account.email or f"{account.username}@example.test"
    account.email_verified_at = timezone.now()
    account.save(update_fields=["email", "email_verified_at"])
    return account


# The key of an access table that lists who sees the object in `visible_to` (lists, search, get_visible_or_404).
SEES = "sees"


def bearer(raw_token: str) -> dict[str, str]:
    """Test-client keyword arguments that send a bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}


def anonymous() -> AnonymousUser:
    return AnonymousUser()


def make_people(make_user: Callable[..., Any]) -> dict[str, Any]:
    """One active user per role (the artist is no party to anything), plus the anonymous visitor: the actors
    of every app's role x verb access table (the ``people`` fixture). ``make_user`` is the fixture of that name."""
    from artrights.accounts.models import OrganisationKind, Role
    from artrights.accounts.tests.factories import organisation

    department = organisation(OrganisationKind.DEPARTMENT, "示例部门")
    agency = organisation(OrganisationKind.AGENCY, "示例代理")
    found: dict[str, Any] = {}
    for role in Role:
        organisation_of = agency if role == Role.AGENCY else department if role != Role.ARTIST else None
        found[role.value] = make_user(f"role-{role.value}", role.value, organisation=organisation_of)
    found["anonymous"] = anonymous()
    return found


def fresh(instance: Any) -> Any:
    """``instance`` read again from the database when it is a saved model instance, else itself: a test gets its
    own copy of an object a module-scoped fixture made, not one an earlier test changed in memory."""
    if isinstance(instance, models.Model) and instance.pk is not None:
        return type(instance)._default_manager.get(pk=instance.pk)
    return instance


def access_mismatches(
    table: Mapping[str, Collection[str]],
    *,
    actors: Mapping[str, Any],
    target: models.Model,
    model_verbs: Collection[str] = (),
) -> list[str]:
    """Every way the access rules disagree with ``table`` (verb -> names of the actors allowed).

    Each verb declared for the target's model must be in the table and each table verb must be declared, so a new
    verb or a changed rule fails the app's role x verb test until the table says who may do it. Verbs in
    ``model_verbs`` are asked of the model class (``apply``, ``check``: there is no object yet); the ``SEES`` row
    is compared with ``visible_to``.
    """
    from artrights.accounts.access import can, verbs, visible_to

    model = type(target)
    problems = [f"verb {v!r} has no row in the table" for v in sorted(verbs(model) - set(table))]
    problems += [f"row {v!r} names no declared verb" for v in sorted(set(table) - verbs(model) - {SEES})]
    unknown = {name for allowed in table.values() for name in allowed} - set(actors)
    problems += [f"the table names unknown actors {sorted(unknown)}"] if unknown else []
    for verb, allowed in table.items():
        for name, user in actors.items():
            if verb == SEES:
                got = visible_to(user, model._default_manager.filter(pk=target.pk)).exists()
            elif verb in verbs(model):
                got = can(user, verb, model if verb in model_verbs else target)
            else:
                continue
            if got != (name in allowed):
                problems.append(f"{name} {'may' if got else 'may not'} {verb}, the table says the opposite")
    return problems


def allow_fetching(settings: Any, *ports: int) -> None:
    """Let URL fetches reach the loopback server a test started on each of ``ports`` (and nothing else on the
    machine): ``settings`` is pytest-django's fixture, which restores the platform's policy after the test."""
    settings.ARTRIGHTS_FETCH_LOOPBACK_PORTS = frozenset(settings.ARTRIGHTS_FETCH_LOOPBACK_PORTS) | set(ports)


# Playing an attacker with the database owner's rights: lift a table's append-only triggers, then use raw SQL.


def raw_sql(statement: str, params: Any = ()) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def drop_append_only_guard(table: str) -> None:
    """Drop the triggers that keep ``table`` append-only (what someone owning the database can do)."""
    from django.db import connection

    from artrights.core.append_only import trigger_names

    for name in trigger_names(connection.vendor, table):
        raw_sql(f"DROP TRIGGER {name} ON {table}" if connection.vendor == "postgresql" else f"DROP TRIGGER {name}")
