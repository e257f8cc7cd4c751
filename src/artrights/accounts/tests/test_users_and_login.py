import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from artrights.accounts.models import Organisation, Role, User
from artrights.accounts.services import create_user
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


def test_five_wrong_passwords_lock_the_account_and_say_so(client, artist):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": artist.username, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": artist.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "账户已临时锁定" in page and "15 分钟" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_in_english_for_english_users(client, artist):
    client.cookies["django_language"] = "en"
    for _ in range(6):
        response = client.post("/accounts/login/", {"username": artist.username, "password": "wrong-password"})
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()


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
