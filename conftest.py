"""Shared test setup: an isolated data directory, eager background tasks, and one user per role."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from artrights.testing import TEST_PASSWORD

# The environment (data directory, eager tasks) is set by the artrights.pytest_env plugin, which pytest loads
# before pytest-django reads the settings.

REPO_ROOT = Path(__file__).resolve().parent
VECTORS = Path(os.environ.get("ARTRIGHTS_VECTORS", REPO_ROOT.parent / "shared" / "vectors"))


_FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # argon2 is slow on purpose; tests need not be


def _make_user(username: str, role: str = "artist", *, identity=None, **extra):  # type: ignore[no-untyped-def]
    """A user; ``identity`` (a dict of PartyInput fields, e.g. testing.LIN) makes them a verified owner."""
    from artrights.accounts.services import create_user
    from artrights.testing import give_identity

    user = create_user(username=username, role=role, password=TEST_PASSWORD, **extra)
    return give_identity(user, identity) if identity else user


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    return _make_user


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """One transaction around a module's tests, for data that is slow to make and that every test only reads.

    Module-scoped fixtures write it inside ``with module_db():`` and hand the tests primary keys (not instances one
    test could change in memory for the next). Each test (marked ``django_db``) runs in a savepoint rolled back after
    it, as Django's ``TestCase.setUpTestData`` shares data, so what one test writes the next does not see; the whole
    transaction is rolled back after the module's last test. Files written to storage stay, as in any test.
    """
    from django.db import connections, transaction

    outer = {alias: transaction.atomic(using=alias) for alias in connections}
    with django_db_blocker.unblock():
        for atomic in outer.values():
            atomic.__enter__()
    yield django_db_blocker.unblock
    with django_db_blocker.unblock():
        for alias, atomic in reversed(outer.items()):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_make_user(module_db):  # type: ignore[no-untyped-def]
    """``make_user`` for module-scoped fixtures (see ``module_db``)."""
    from django.test import override_settings

    def make(username: str, role: str = "artist", **kwargs):  # type: ignore[no-untyped-def]
        with module_db(), override_settings(PASSWORD_HASHERS=_FAST_HASHERS):
            return _make_user(username, role, **kwargs)

    return make


@pytest.fixture
def artist(make_user):  # type: ignore[no-untyped-def]
    """A rights holder with a verified real-name identity (林画家), who files in their own name."""
    from artrights.testing import LIN

    return make_user("artist-lin", "artist", display_name="林画家", identity=LIN)


@pytest.fixture
def outsider(make_user):  # type: ignore[no-untyped-def]
    """Another verified rights holder (吴路人), party to nothing of the artist's."""
    from artrights.testing import WU

    return make_user("outsider-wu", "artist", display_name="吴路人", identity=WU)


@pytest.fixture
def registrar(make_user):  # type: ignore[no-untyped-def]
    return make_user("registrar-chen", "registrar", display_name="陈审核")


@pytest.fixture
def people(make_user):  # type: ignore[no-untyped-def]
    """One active user per role (the artist is no party to anything), plus the anonymous visitor: the actors
    of every app's role x verb access table."""
    from artrights.testing import make_people

    return make_people(make_user)


@pytest.fixture
def artist_client(client, artist):  # type: ignore[no-untyped-def]
    client.force_login(artist)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if "real_password_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = _FAST_HASHERS


_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Mark every test that touches the database, so `make test` can rerun exactly those on PostgreSQL; not one
    that brings its own (``own_database``: a SQLite file of its own), which would only repeat itself there."""
    for item in items:
        if item.get_closest_marker("own_database"):
            continue
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & _DB_FIXTURES or "make_user" in fixtures:
            item.add_marker(pytest.mark.uses_db)


class _XdistGroups:
    """``--dist loadgroup`` sends the tests of one ``xdist_group`` to one worker by a ``@group`` suffix that
    pytest-xdist (3.8) adds to each test's id by writing ``item._nodeid``, which pytest 9.2 no longer reads (it
    keeps the id in ``item._id``): without the suffix each test went to any worker, and the phone-tables module
    loaded the demo on both (two minutes each). This adds the suffix where xdist's did not take."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):  # type: ignore[no-untyped-def]
        if not getattr(config.option, "loadgroup", False):  # set on xdist workers only
            return
        for item in items:
            marks = item.iter_markers("xdist_group")
            names = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks}
            suffix = "@" + "_".join(sorted(names))
            if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
                item._id = type(item._id).parse(item.nodeid + suffix)


def pytest_configure(config):  # type: ignore[no-untyped-def]
    config.pluginmanager.register(_XdistGroups(), "artrights-xdist-groups")


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the platform's default language (zh-Hans), whatever an earlier request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Each test starts with an empty cache: the public statistics keep their figures for five minutes in the
    process's memory, so a test that opened the statistics page left its counts to the next test on that worker
    (which then saw no chart for works it had just registered)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def connections(monkeypatch):  # type: ignore[no-untyped-def]
    """Every address a socket connected to (or tried to) during the test. A connection off the loopback network
    is refused and recorded, so a test of the URL fetcher never sends a packet to 169.254.169.254 or 10.x, even
    when the fetcher is broken."""
    import ipaddress
    import socket

    made: list[str] = []
    real = socket.socket.connect

    def guarded(sock, address):  # type: ignore[no-untyped-def]
        host = str(address[0])
        made.append(host)
        if not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            raise ConnectionRefusedError(f"test guard: no connection to {host}")
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return made


_MIGRATE = "import django; django.setup(); from django.core.management import call_command; call_command('migrate')"


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory, worker_id):  # type: ignore[no-untyped-def]
    """A data folder whose SQLite database has every migration applied, made once per run and shared by the xdist
    workers. Tests that start `artrights` processes on a folder of their own copy it (``copy_migrated``) rather
    than migrating a new database each (a dozen CPU seconds); their processes still run `migrate`, which then
    finds nothing to do."""
    import fcntl

    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    template = shared / "migrated-data"
    with open(shared / "migrated-data.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "artrights.sqlite3").exists():
            building = shared / "migrated-data.building"
            shutil.rmtree(building, ignore_errors=True)
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update({"ARTRIGHTS_DATA_DIR": str(building), "DJANGO_SETTINGS_MODULE": "artrights.settings"})
            done = subprocess.run(
                [sys.executable, "-c", _MIGRATE], env=env, capture_output=True, text=True, timeout=600
            )
            assert done.returncode == 0, done.stderr
            building.rename(template)
    return template


@pytest.fixture
def copy_migrated(migrated_data_dir):  # type: ignore[no-untyped-def]
    """``copy_migrated(folder)`` fills ``folder`` with a copy of the migrated data folder and returns it."""

    def copy(folder: Path) -> Path:
        shutil.copytree(migrated_data_dir, folder, dirs_exist_ok=True)
        return folder

    return copy
