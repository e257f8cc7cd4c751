"""Signing up in one's real name, proving the e-mail address and the phone, and what the identity allows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from artrights.accounts import services
from artrights.accounts.models import PhoneChallenge, Role, User
from artrights.core import sms
from artrights.core.models import Party
from artrights.core.services import PartyInput
from artrights.testing import LIN, TEST_PASSWORD, WU

pytestmark = pytest.mark.django_db


def _sign_up_form(**overrides: str) -> dict[str, str]:
    data = {
        "username": "lin-huajia",
        "real_name": LIN["name"],
        "id_type": "resident_id",
        "id_number": LIN["id_number"],
        "email": "lin@example.test",
        "phone": "",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        "truthful": "on",
    }
    data.update(overrides)
    return data


def _link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+/accounts/verify-email/\S+/", message.body)
    assert found, message.body
    return found.group(0).split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def _code_in(outbox: list[sms.TextMessage]) -> str:
    found = re.search(r"\d{6}", outbox[-1].text)
    assert found
    return found.group(0)


def test_a_rights_holder_signs_up_in_their_real_name_and_proves_the_address_with_the_mailed_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", _sign_up_form(), follow=True)
    page = response.content.decode()
    assert "我们向 lin@example.test 发送了验证邮件" in page
    user = User.objects.get(username="lin-huajia")
    assert user.role == Role.ARTIST and user.party is not None
    assert (user.party.name, user.party.id_number) == (LIN["name"], LIN["id_number"])
    assert not user.real_name_verified
    assert 'data-testid="needs-contact"' in page
    [message] = mail.outbox
    assert message.to == ["lin@example.test"]
    page = client.get("/" + _link_in(message), follow=True).content.decode()
    assert "电子邮箱 lin@example.test 已验证。" in page
    user.refresh_from_db()
    assert user.email_verified and user.real_name_verified
    assert 'data-testid="can-file"' in page


def test_a_wrong_check_digit_in_the_id_number_is_refused_and_nothing_is_created(client):
    response = client.post("/accounts/signup/", _sign_up_form(id_number="110105194912310021"))
    assert response.status_code == 200
    assert "第18位校验码错误" in response.content.decode()
    assert not User.objects.filter(username="lin-huajia").exists()
    assert not Party.objects.exists()


def test_an_id_number_that_already_has_an_account_cannot_open_a_second_one(client, artist):
    response = client.post("/accounts/signup/", _sign_up_form(username="impostor", email="x@example.test"))
    page = response.content.decode()
    assert "已经实名注册过账户" in page
    assert not User.objects.filter(username="impostor").exists()


def test_a_name_that_differs_from_the_one_recorded_for_the_id_number_is_refused(client, artist):
    form = _sign_up_form(username="other", email="o@example.test", real_name="林某")
    page = client.post("/accounts/signup/", form).content.decode()
    assert "与填写的姓名/名称不一致" in page
    assert not User.objects.filter(username="other").exists()


def test_sign_up_asks_for_the_truthfulness_promise_and_matching_passwords(client):
    page = client.post("/accounts/signup/", _sign_up_form(truthful="", password2="something-else-1")).content
    text = page.decode()
    assert "两次输入的密码不一致。" in text
    assert not User.objects.exists()


def test_an_e_mail_address_already_used_by_an_account_is_refused(client, make_user):
    make_user("someone", "artist", email="lin@example.test")
    page = client.post("/accounts/signup/", _sign_up_form()).content.decode()
    assert "这个电子邮箱已经注册过账户。" in page
    assert not User.objects.filter(username="lin-huajia").exists()


def test_a_forged_expired_or_outdated_verification_link_does_not_verify(client, make_user):
    user = make_user("lin", "artist", email="lin@example.test")
    forged = signing.dumps({"user": user.pk, "email": user.email}, salt="someone-else")
    response = client.get(f"/accounts/verify-email/{forged}/")
    assert response.status_code == 400 and "验证链接无效。" in response.content.decode()
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=services.EMAIL_TOKEN_SALT)
    with pytest.raises(ValidationError) as err:
        later = timezone.now() + dt.timedelta(days=services.EMAIL_TOKEN_DAYS + 1)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
            services.verify_email(token=token)
    assert err.value.code == "expired"
    user.email = "new@example.test"
    user.save()
    assert "与账户当前的邮箱不符" in client.get(f"/accounts/verify-email/{token}/").content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_an_existing_account_states_its_identity_once(client, make_user):
    user = make_user("old-account", "artist", email="old@example.test")
    client.force_login(user)
    form = {"real_name": WU["name"], "id_type": "resident_id", "id_number": WU["id_number"], "truthful": "on"}
    page = client.post("/accounts/identity/", form, follow=True).content.decode()
    assert "实名信息已登记。" in page and WU["id_number"] in page
    user.refresh_from_db()
    assert user.party is not None and user.party.name == WU["name"]
    with pytest.raises(ValidationError) as err:
        services.complete_identity(user=user, identity=PartyInput(**LIN))
    assert err.value.code == "identity_set"
    assert 'data-testid="identity-form"' not in client.get("/accounts/identity/").content.decode()


def test_the_phone_is_proved_with_a_texted_code_and_a_wrong_code_is_counted(
    client, make_user, sms_outbox, django_capture_on_commit_callbacks
):
    user = make_user("lin", "artist", identity=None)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/identity/phone-code/", {"phone": "13800138000"})
    assert sms_outbox[-1].to == "13800138000"
    code = _code_in(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    page = client.post("/accounts/identity/verify-phone/", {"code": wrong}, follow=True).content.decode()
    assert "验证码不正确。" in page
    assert PhoneChallenge.objects.get().attempts == 1
    page = client.post("/accounts/identity/verify-phone/", {"code": code}, follow=True).content.decode()
    assert "手机号码 13800138000 已验证。" in page
    user.refresh_from_db()
    assert user.sms_number == "13800138000"
    # A used code does not work twice.
    with pytest.raises(ValidationError):
        services.verify_phone(user=user, code=code)


def test_five_wrong_codes_end_the_code(make_user, sms_outbox, django_capture_on_commit_callbacks):
    user = make_user("lin", "artist")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_phone_code(user=user, phone="13800138000")
    code = _code_in(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(services.PHONE_CODE_TRIES):
        with pytest.raises(ValidationError):
            services.verify_phone(user=user, code=wrong)
    with pytest.raises(ValidationError) as err:
        services.verify_phone(user=user, code=code)
    assert err.value.code == "expired"
    user.refresh_from_db()
    assert user.verified_phone == ""


def test_codes_cannot_be_sent_more_than_once_a_minute_or_a_few_times_a_day(make_user, sms_outbox):
    user = make_user("lin", "artist")
    services.send_phone_code(user=user, phone="13800138000")
    with pytest.raises(ValidationError) as err:
        services.send_phone_code(user=user, phone="13800138000")
    assert err.value.code == "too_soon"
    PhoneChallenge.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    for _sent in range(services.PHONE_CODES_PER_DAY - 1):
        services.send_phone_code(user=user, phone="13800138000")
        PhoneChallenge.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ValidationError) as err:
        services.send_phone_code(user=user, phone="13800138000")
    assert err.value.code == "too_many"


def test_a_phone_number_that_is_not_a_mainland_mobile_is_refused(make_user):
    with pytest.raises(ValidationError) as err:
        services.send_phone_code(user=make_user("lin", "artist"), phone="0755-1234567")
    assert "11 位中国大陆手机号" in err.value.messages[0]
    assert not PhoneChallenge.objects.exists()


def test_a_code_sent_to_one_account_does_not_verify_another(make_user, sms_outbox, django_capture_on_commit_callbacks):
    target = make_user("lin", "artist")
    intruder = make_user("wu", "artist")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_phone_code(user=target, phone="13800138000")
    with pytest.raises(ValidationError):
        services.verify_phone(user=intruder, code=_code_in(sms_outbox))
    intruder.refresh_from_db()
    assert intruder.verified_phone == ""


def test_the_identity_pages_need_a_login(client):
    assert client.get("/accounts/identity/")["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/identity/verify-phone/", {"code": "1"})["Location"].startswith("/accounts/login/")


def test_a_signed_in_user_opening_sign_up_goes_to_the_dashboard(client, artist):
    client.force_login(artist)
    assert client.get("/accounts/signup/")["Location"] == "/dashboard/"
