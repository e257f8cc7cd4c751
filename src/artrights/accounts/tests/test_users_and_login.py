import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from artrights.accounts.models import Organisation, Role, User
from artrights.accounts.services import create_user
from artrights.core import audit
from artrights.core.models import AuditEvent
from artrights.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_every_role_can_log_in_and_sees_its_own_dashboard(client, make_user):
    for role in Role:
        user = make_user(f"user-{role.value}", role.value)
        response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert f"{role.label}工作台" in page
        client.post("/accounts/logout/")


STRANGER = "203.0.113.9"  # documentation addresses (RFC 5737)
OWNER_HOME = "198.51.100.7"
OFFICE = "192.0.2.44"


def _login(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_stop_that_username_from_that_address_and_say_so(client, artist):
    for _ in range(5):
        _login(client, artist.username, "wrong-password", STRANGER)
    response = _login(client, artist.username, TEST_PASSWORD, STRANGER)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂停" in page and "15 分钟" in page and 'data-lock="account"' in page
    assert "从其他网络（例如手机网络）登录这个账户不受影响" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_in_english_for_english_users(client, artist):
    client.cookies["django_language"] = "en"
    for _ in range(6):
        response = _login(client, artist.username, "wrong-password", STRANGER)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Try again in 15 minutes" in page and "another network" in page


def test_a_stranger_cannot_lock_the_owner_out_of_their_account_from_elsewhere(client, artist):
    for _ in range(12):
        _login(client, artist.username, "wrong-password", STRANGER)
    assert _login(client, artist.username, TEST_PASSWORD, STRANGER).status_code == 429
    response = _login(client, artist.username, TEST_PASSWORD, OWNER_HOME)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(artist.pk)


def test_the_owner_hears_of_the_lock_and_it_is_logged_once(client, artist, caplog):
    from artrights.core.models import AuditEvent, Notification

    with caplog.at_level("WARNING", logger="artrights.accounts.lockout"):
        for _ in range(8):
            _login(client, artist.username, "wrong-password", STRANGER)
    notices = Notification.objects.filter(recipient=artist, kind="accounts.login_locked")
    assert notices.count() == 1
    assert STRANGER in notices.get().body
    events = AuditEvent.objects.filter(action="accounts.login_locked")
    assert events.count() == 1
    assert events.get().changes == {"lock": "account", "address": STRANGER, "failures": 5}
    assert events.get().object_id == str(artist.pk) and events.get().ip_address == STRANGER
    assert any("login locked by account" in r.getMessage() and STRANGER in r.getMessage() for r in caplog.records)


def test_many_usernames_tried_from_one_address_stop_the_whole_address(client, make_user, settings):
    settings.ARTRIGHTS_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    people = [make_user(f"sprayed-{n}", "artist") for n in range(5)]
    for person in people:  # two guesses each: no single username reaches its limit of five
        for _ in range(2):
            _login(client, person.username, "Summer2026!", STRANGER)
    response = _login(client, people[0].username, TEST_PASSWORD, STRANGER)
    assert response.status_code == 429 and 'data-lock="address"' in response.content.decode()
    assert _login(client, people[0].username, TEST_PASSWORD, OWNER_HOME).status_code == 302


def test_colleagues_typos_behind_one_office_address_do_not_stop_the_office(client, make_user):
    colleagues = [make_user(f"colleague-{n}", "registrar") for n in range(4)]
    for person in colleagues:
        for _ in range(2):
            _login(client, person.username, "typo-password", OFFICE)
        assert _login(client, person.username, TEST_PASSWORD, OFFICE).status_code == 302
        client.post("/accounts/logout/")


def test_a_successful_login_does_not_forgive_the_failures_others_caused_at_that_address(
    client, artist, make_user, settings
):
    settings.ARTRIGHTS_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    sprayer = make_user("sprayer", "artist")
    for victim in ("someone-1", "someone-2", "someone-3"):
        for _ in range(2):
            _login(client, victim, "guess-password", STRANGER)
    # The address is stopped; logging in to an account one holds does not reopen it.
    assert _login(client, sprayer.username, TEST_PASSWORD, STRANGER).status_code == 429
    assert _login(client, artist.username, TEST_PASSWORD, OWNER_HOME).status_code == 302


def test_a_forged_forwarded_for_header_neither_dodges_nor_moves_the_lock(client, artist):
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": artist.username, "password": "wrong-password"},
            REMOTE_ADDR=STRANGER,
            HTTP_X_FORWARDED_FOR=OWNER_HOME,
        )
    assert _login(client, artist.username, TEST_PASSWORD, OWNER_HOME).status_code == 302
    client.post("/accounts/logout/")
    forged = client.post(
        "/accounts/login/",
        {"username": artist.username, "password": TEST_PASSWORD},
        REMOTE_ADDR=STRANGER,
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert forged.status_code == 429


def test_a_wrong_password_alone_does_not_lock_the_account(client, artist):
    client.post("/accounts/login/", {"username": artist.username, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": artist.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.real_password_hashing
def test_a_user_changes_their_password(client, artist):
    client.force_login(artist)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-much-better-secret-77",
            "new_password2": "a-much-better-secret-77",
        },
    )
    assert response.status_code == 302
    artist.refresh_from_db()
    assert artist.check_password("a-much-better-secret-77")
    assert artist.password.startswith("argon2")


def test_creating_a_user_with_an_unknown_role_is_refused_and_creates_nothing():
    with pytest.raises(ValidationError) as err:
        create_user(username="x", role="king", password=TEST_PASSWORD)
    assert "未知角色" in str(err.value)
    assert not User.objects.filter(username="x").exists()


def test_a_weak_password_is_refused():
    with pytest.raises(ValidationError):
        create_user(username="weak", role="artist", password="123456")
    assert not User.objects.filter(username="weak").exists()


def test_an_organisation_with_a_wrong_credit_code_is_not_saved():
    org = Organisation(kind="agency", name="错码公司", uscc="91350100M000100Y4Z")
    with pytest.raises(ValidationError) as err:
        org.full_clean()
    assert "第18位校验码错误" in str(err.value)


def test_the_createuser_command_creates_a_user_with_the_role(capsys):
    call_command("createuser", "cli-mediator", role="mediator", password=TEST_PASSWORD)
    assert User.objects.get(username="cli-mediator").role == Role.MEDIATOR
    assert "cli-mediator" in capsys.readouterr().out


def _events_since(seq):
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _last_seq():
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_signing_in_writes_one_signed_in_row_and_no_changed_record_row(client, artist):
    before = _last_seq()
    response = client.post(
        "/accounts/login/", {"username": artist.username, "password": TEST_PASSWORD}, REMOTE_ADDR=OWNER_HOME
    )
    assert response.status_code == 302
    artist.refresh_from_db()
    assert artist.last_login is not None  # the sign-in did update the account...
    events = _events_since(before)
    # ...and the trail holds the sign-in alone, not a "changed a record" for last_login beside it.
    assert [(e.action, e.object_type, e.object_id, e.actor_id) for e in events] == [
        ("login", "accounts.user", str(artist.pk), artist.pk)
    ]
    assert events[0].ip_address == OWNER_HOME
    with translation.override("en"):
        assert audit.action_label(events[0].action) == "Signed in"


@pytest.mark.real_password_hashing
def test_signing_in_with_a_password_hashed_the_old_way_rehashes_it_without_a_second_row(client, artist, settings):
    # An account from before Argon2 gets its hash upgraded at sign-in: bookkeeping, not the user's act either.
    User.objects.filter(pk=artist.pk).update(password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256"))
    before = _last_seq()
    response = client.post("/accounts/login/", {"username": artist.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    artist.refresh_from_db()
    assert artist.password.startswith("argon2")
    assert [e.action for e in _events_since(before)] == ["login"]


def test_a_wrong_password_writes_one_failed_row_and_changes_nothing(client, artist):
    before = _last_seq()
    client.post("/accounts/login/", {"username": artist.username, "password": "wrong-password"})
    assert [(e.action, e.object_id) for e in _events_since(before)] == [("login_failed", artist.username)]
    artist.refresh_from_db()
    assert artist.last_login is None


def test_the_language_switch_after_signing_in_is_recorded_as_the_users_change_of_language(client, artist):
    client.post("/accounts/login/", {"username": artist.username, "password": TEST_PASSWORD})
    before = _last_seq()
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    events = _events_since(before)
    assert [(e.action, e.actor_id, e.changes) for e in events] == [
        ("update", artist.pk, {"language": ["zh-hans", "en"]})
    ]


def _admin_form_data(response):
    """What the back office's change form sends back when nothing is edited: every field as the page shows it."""
    data: dict[str, str | list[str]] = {}
    for bound in response.context["adminform"].form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = bound.field.widget.format_value(value) or ""
    return data


def test_an_administrator_changing_a_users_role_in_the_back_office_is_still_recorded(client, make_user, artist):
    admin = make_user("platform-admin", "admin")
    client.post("/accounts/login/", {"username": artist.username, "password": TEST_PASSWORD})
    signed_in_at = User.objects.get(pk=artist.pk).last_login
    client.force_login(admin)
    page = f"/admin/accounts/user/{artist.pk}/change/"
    data = _admin_form_data(client.get(page))
    data["role"] = "agency"
    before = _last_seq()
    response = client.post(page, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    artist.refresh_from_db()
    assert artist.role == "agency"
    assert artist.last_login == signed_in_at  # the back office shows the sign-in time, and leaves it alone
    changes = [e for e in _events_since(before) if e.action == "update" and e.object_type == "accounts.user"]
    assert len(changes) == 1
    assert changes[0].changes == {"role": ["artist", "agency"]}  # only what the administrator changed
    assert changes[0].actor_id == admin.pk
