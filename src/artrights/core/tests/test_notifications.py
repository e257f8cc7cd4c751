"""Notifications: an inbox row in the sender's transaction, e-mail and SMS after the commit, text in the reader's
language, failures recorded and retried without losing the inbox row."""

from __future__ import annotations

import datetime as dt
import re
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape

from artrights.core import notifying, services, sms, tasks
from artrights.core.models import Channel, Delivery, DeliveryStatus, Notification
from artrights.core.notifying import Kind, Written
from artrights.core.services import notify
from artrights.testing import EXAMPLE_KIND as EXAMPLE
from artrights.testing import declare_example_kind

pytestmark = pytest.mark.django_db

TOKEN_PARAMS = {"name": "夜间同步", "prefix": "art_abcdefgh", "scopes": "read\nwrite"}


@pytest.fixture
def example_kind(monkeypatch):
    return declare_example_kind(monkeypatch)


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def reader(make_user):
    return make_user("reader-he", "artist", display_name="何读者", email="he@example.cn")


def _example(recipients, **overrides):
    arguments = {
        "recipients": recipients,
        "kind": EXAMPLE.key,
        "params": {"title": "梧桐山日出", "deadline": "2026-08-01"},
        "url": "/registry/works/7/",
        **overrides,
    }
    return notify(**arguments)


class RefusingBackend(BaseEmailBackend):
    """A mail server that hangs up, as one does when it is down."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


# Rendering


def test_a_notification_reads_in_chinese_and_in_english_from_the_same_row(reader):
    (row,) = notify(recipients=[reader], kind="accounts.token_issued", params=TOKEN_PARAMS)
    with translation.override("zh-hans"):
        assert row.title == "您的账户创建了API令牌“夜间同步”"
        assert "如果不是您本人操作，请立即撤销该令牌并修改密码。" in row.body
    with translation.override("en"):
        assert row.title == 'An API token "夜间同步" was created for your account'
        assert "If this was not you, revoke the token at once and change your password." in row.body
    assert row.params == TOKEN_PARAMS  # the row keeps the parameters, not a text frozen in the sender's language


def test_a_notification_whose_kind_was_removed_still_shows_under_its_key(reader, example_kind, monkeypatch):
    (row,) = _example([reader])
    monkeypatch.delitem(notifying._kinds, EXAMPLE.key)
    assert Notification.objects.get(pk=row.pk).title == "tests.example"


def test_parameters_that_no_longer_fit_the_template_show_the_bare_title(reader, example_kind):
    (row,) = _example([reader])
    Notification.objects.filter(pk=row.pk).update(params={})
    assert Notification.objects.get(pk=row.pk).title == "《%(title)s》有新进展"


# Coded parameters: the sender stores a code, each reader sees its label in their own language

TO_SIGN = {"number": "LC-2026-000001", "title": "梧桐山日出", "kind": "licence"}


def test_a_coded_parameter_reads_as_its_label_in_each_readers_language_whatever_the_senders(reader):
    with translation.override("en"):  # an English-speaking sender
        (row,) = notify(recipients=[reader], kind="licensing.to_sign", params=TO_SIGN)
    assert row.params["kind"] == "licence"
    with translation.override("zh-hans"):
        assert row.body.startswith("作品《梧桐山日出》的许可合同，")
    with translation.override("en"):
        assert row.body.startswith("Licence contract for “梧桐山日出”:")


def test_a_choice_passed_as_its_enum_member_is_stored_as_the_plain_code(reader):
    from artrights.licensing.models import ContractKind

    (row,) = notify(recipients=[reader], kind="licensing.to_sign", params={**TO_SIGN, "kind": ContractKind.TRANSFER})
    assert type(row.params["kind"]) is str and Notification.objects.get(pk=row.pk).params["kind"] == "transfer"


def test_display_text_passed_for_a_code_is_refused_when_sending(reader):
    with translation.override("zh-hans"), pytest.raises(ValueError, match="not one of its codes"):
        notify(recipients=[reader], kind="licensing.to_sign", params={**TO_SIGN, "kind": "许可合同"})
    assert not Notification.objects.exists()


def test_a_row_stored_before_with_translated_text_still_shows_that_text(reader):
    (row,) = notify(recipients=[reader], kind="licensing.to_sign", params=TO_SIGN)
    Notification.objects.filter(pk=row.pk).update(params={**TO_SIGN, "kind": "许可合同"})
    with translation.override("en"):
        assert Notification.objects.get(pk=row.pk).body.startswith("许可合同 for “梧桐山日出”:")


COPIES = {"count": 2, "url": "https://shop.example/p/1", "works": "粤作登字-2026-F-00000001\n粤作登字-2026-F-00000002"}


def test_a_listed_parameter_is_joined_by_each_readers_own_list_separator(reader):
    (row,) = notify(recipients=[reader], kind="matching.copies_found", params=COPIES)
    with translation.override("zh-hans"):
        assert "已登记作品 粤作登字-2026-F-00000001、粤作登字-2026-F-00000002 相同" in row.body
    with translation.override("en"):
        assert "粤作登字-2026-F-00000001, 粤作登字-2026-F-00000002" in row.body and "、" not in row.body
    Notification.objects.filter(pk=row.pk).update(params={**COPIES, "works": "甲、乙"})  # a row stored before
    with translation.override("en"):
        assert "甲、乙" in Notification.objects.get(pk=row.pk).body


def test_a_step_phrase_fills_its_own_slots_and_a_written_note_shows_as_written(reader):
    step = {"number": 7, "station": "Studio", "note": "triaged", "handler": "Ma"}
    (row,) = notify(recipients=[reader], kind="onestop.status_changed", params=step)
    with translation.override("en"):
        assert row.body == "Studio: Accepted; handler: Ma"
    with translation.override("zh-hans"):
        assert row.body == "Studio：已受理，承办人：Ma"
    note = {**step, "note": Written("请补交授权书。")}
    (written,) = notify(recipients=[reader], kind="onestop.status_changed", params=note)
    with translation.override("en"):
        assert written.body == "Studio: 请补交授权书。"


def test_a_note_a_person_wrote_that_equals_a_step_code_shows_as_written_in_every_language(reader):
    note = {"number": 7, "station": "Studio", "note": Written("started")}
    (row,) = notify(recipients=[reader], kind="onestop.status_changed", params=note)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert Notification.objects.get(pk=row.pk).body.endswith("started")
    (step,) = notify(recipients=[reader], kind="onestop.status_changed", params={**note, "note": "started"})
    with translation.override("zh-hans"):
        assert step.body == "Studio：开始办理。"


def test_a_note_a_person_wrote_passed_without_its_mark_is_refused_when_sending(reader):
    with pytest.raises(ValueError, match="Written"):
        notify(recipients=[reader], kind="onestop.status_changed", params={"number": 7, "station": "S", "note": "好"})


def test_what_a_person_wrote_is_refused_for_a_parameter_that_only_takes_codes(reader):
    with pytest.raises(ValueError, match="what a person wrote"):
        notify(recipients=[reader], kind="licensing.to_sign", params={**TO_SIGN, "kind": Written("licence")})


def test_a_step_phrase_missing_a_slot_fails_when_sending(reader):
    with pytest.raises(ValueError, match="handler"):
        params = {"number": 7, "station": "S", "note": "triaged"}
        notify(recipients=[reader], kind="onestop.status_changed", params=params)


def _sample(spec: Kind, name: str, code: str) -> dict[str, str]:
    """ASCII values for every slot of ``spec``'s templates and labels; ``name`` holds ``code``, and each other coded
    parameter a code whose label shows ``name`` if one does (a reason shown inside an ending's phrase)."""
    templates = [spec.title, spec.body]
    for labels in spec.coded.values():
        templates += list(notifying._labels(labels).values())
    with translation.override("zh-hans"):
        slots = {slot for template in templates for slot in re.findall(r"%\((\w+)\)s", str(template))}
        others = {}
        for other, labels in spec.coded.items():
            mapping = notifying._labels(labels)
            showing = [value for value, label in mapping.items() if f"%({name})s" in str(label)]
            others[other] = showing[0] if showing else next(iter(mapping))
    return {**dict.fromkeys(slots, "X1"), **others, name: code}


CODES = [
    (kind.key, name, code)
    for kind in notifying.declared()
    for name, labels in kind.coded.items()
    for code in notifying._labels(labels)
]


def test_every_app_that_passes_choices_declares_them_coded():
    assert {key for key, _name, _code in CODES} >= {
        "licensing.to_sign",
        "funding.decided",
        "registry.refused",
        "registry.revoked",
        "mediation.case_received",
        "mediation.case_decided",
        "mediation.recusal_requested",
        "mediation.recusal_decided",
        "mediation.extension_decided",
        "mediation.case_ended",
        "mediation.overdue",
        "mediation.court_step",
        "onestop.status_changed",
    }


@pytest.mark.parametrize(("key", "name", "code"), CODES)
def test_each_code_of_each_kind_reads_wholly_in_english_for_an_english_reader(key, name, code):
    params = _sample(notifying.get(key), name, code)
    with translation.override("zh-hans"):  # the sender's language plays no part: nothing was rendered when sent
        stored = notifying.checked_params(notifying.get(key), params)
    english = notifying.render_in("en", key, stored)
    chinese = notifying.render_in("zh-hans", key, stored)
    assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", english.title + english.body), english
    assert re.search(r"[\u4e00-\u9fff]", chinese.title + chinese.body), chinese
    with translation.override("en"):
        label = str(notifying._labels(notifying.get(key).coded[name])[code])
    assert label.split("%(")[0] in english.title + english.body and "%(" not in english.body + chinese.body


CODED_KINDS = sorted({key for key, _name, _code in CODES})
HAN = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("key", CODED_KINDS)
@pytest.mark.parametrize(("sender", "reader_language"), [("zh-hans", "en"), ("en", "zh-hans")])
def test_a_coded_notice_sent_in_one_language_reads_wholly_in_the_readers_in_the_inbox_and_the_e_mail(
    client, make_user, key, sender, reader_language, django_capture_on_commit_callbacks
):
    # A reader with a Latin name, so any Chinese in the English e-mail can only come from the notice.
    reader = make_user("reader-ho", "artist", display_name="Ho Reader", email="ho@example.cn")
    spec = notifying.get(key)
    name = next(iter(spec.coded))
    params = _sample(spec, name, next(iter(notifying._labels(spec.coded[name]))))
    reader.language = reader_language
    reader.save()
    with translation.override(sender), django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipients=[reader], kind=key, params=params)
    client.force_login(reader)
    client.cookies["django_language"] = reader_language
    inbox = client.get("/inbox/").content.decode().split('data-testid="inbox"', 1)[1].split("</ul>", 1)[0]
    (message,) = mail.outbox
    read = notifying.render_in(reader_language, key, row.params)
    other = notifying.render_in(sender, key, row.params)
    for shown, sent in ((read.title, other.title), (read.body, other.body)):
        assert escape(shown) in inbox and shown in message.body
        assert shown == sent or (escape(sent) not in inbox and sent not in message.body)
    if reader_language == "en":  # every value is ASCII here: any Chinese would be the sender's
        assert not HAN.search(inbox + message.subject + message.body)


# Refused at send time


def test_an_undeclared_kind_is_refused_and_nothing_is_written(reader):
    with pytest.raises(LookupError, match=r"tests\.nobody_declared"):
        notify(recipients=[reader], kind="tests.nobody_declared")
    assert not Notification.objects.exists()


def test_a_missing_parameter_fails_when_sending_not_when_reading(reader, example_kind):
    with pytest.raises(ValueError, match="deadline"):
        notify(recipients=[reader], kind=EXAMPLE.key, params={"title": "梧桐山日出"})
    assert not Notification.objects.exists()


def test_a_parameter_that_is_not_text_or_a_number_is_refused(reader, example_kind):
    with pytest.raises(ValueError, match="dates as ISO text"):
        _example([reader], params={"title": "梧桐山日出", "deadline": dt.date(2026, 8, 1)})


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "registry/works/7/", "/\\evil.example"])
def test_a_link_off_the_site_is_refused(reader, example_kind, url):
    with pytest.raises(ValueError, match="path on this site"):
        _example([reader], url=url)


def test_a_kind_key_must_name_its_app_and_cannot_be_declared_twice(example_kind):
    with pytest.raises(ValueError, match=r"<app>\.<event>"):
        notifying.register(Kind("Example", label="x", title="x"))
    with pytest.raises(ValueError, match="declared twice"):
        notifying.register(Kind(EXAMPLE.key, label="另一个", title="另一个"))
    assert notifying.register(EXAMPLE) is EXAMPLE  # the same declaration again (a module imported twice) is fine


# The inbox row and the copies


def test_each_recipient_gets_one_inbox_row_about_the_subject(reader, artist, example_kind):
    rows = _example([reader, artist, reader, None], subject=artist)
    assert [r.recipient for r in rows] == [reader, artist]
    assert {(r.object_type, r.object_id, r.url, r.read_at) for r in rows} == {
        ("accounts.user", str(artist.pk), "/registry/works/7/", None)
    }


def test_the_person_who_acted_is_not_notified_of_their_own_step_but_everyone_else_is_with_their_copies(
    reader, make_user, example_kind, sms_outbox, django_capture_on_commit_callbacks
):
    other = make_user("reader-ma", "artist", display_name="马读者", email="ma@example.cn")
    for person, phone in ((reader, "13800138000"), (other, "13900139000")):
        person.phone = person.verified_phone = phone
        person.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = _example([reader, other], actor=reader)
    assert [r.recipient for r in rows] == [other]
    assert not Notification.objects.filter(recipient=reader).exists()
    assert not Delivery.objects.filter(notification__recipient=reader).exists()
    assert [m.to for m in mail.outbox] == [["ma@example.cn"]]
    assert [t.to for t in sms_outbox] == ["13900139000"]


def test_an_actor_who_is_not_among_the_recipients_changes_nothing(reader, registrar, example_kind):
    rows = _example([reader], actor=registrar)
    assert [r.recipient for r in rows] == [reader]


def test_without_an_actor_everyone_named_is_notified_and_gets_the_copies(
    reader, make_user, example_kind, django_capture_on_commit_callbacks
):
    other = make_user("reader-ma", "artist", display_name="马读者", email="ma@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        rows = _example([reader, other], actor=None)
    assert [r.recipient for r in rows] == [reader, other]
    assert sorted(m.to[0] for m in mail.outbox) == ["he@example.cn", "ma@example.cn"]


def test_e_mail_leaves_only_after_the_commit_in_the_recipients_language(reader, django_capture_on_commit_callbacks):
    reader.language = "en"
    reader.save()
    with django_capture_on_commit_callbacks() as callbacks:
        (row,) = notify(recipients=[reader], kind="accounts.token_issued", params=TOKEN_PARAMS, url="/account/tokens/")
        assert mail.outbox == []  # not while the transaction may still roll back
    assert Notification.objects.filter(pk=row.pk).exists()
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["he@example.cn"]
    assert message.subject == '[ArtRights] An API token "夜间同步" was created for your account'
    assert "Hello 何读者," in message.body
    assert f"http://127.0.0.1:8000/inbox/{row.pk}/" in message.body
    assert "http://127.0.0.1:8000/account/settings/" in message.body
    delivery = row.deliveries.get(channel=Channel.EMAIL)
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.SENT, 1, "")
    assert delivery.sent_at is not None


def test_a_rolled_back_transaction_sends_nothing_and_leaves_no_row(
    reader, example_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _example([reader])
            raise RuntimeError("the registrar's action failed after notifying")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_user_without_an_e_mail_address_gets_the_inbox_only(
    make_user, example_kind, django_capture_on_commit_callbacks
):
    no_address = make_user("no-mail-zhou", "artist")
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _example([no_address])
    assert mail.outbox == []
    assert row.deliveries.get(channel=Channel.EMAIL).status == DeliveryStatus.NO_ADDRESS
    assert Notification.objects.filter(recipient=no_address).count() == 1


def test_a_kind_turned_off_in_settings_stays_in_the_inbox_but_sends_no_copies(
    reader, example_kind, django_capture_on_commit_callbacks
):
    reader.muted_kinds = [EXAMPLE.key]
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _example([reader])
    assert mail.outbox == []
    assert row.deliveries.get(channel=Channel.EMAIL).status == DeliveryStatus.OPTED_OUT


def test_an_essential_kind_sends_its_e_mail_even_when_turned_off(reader, django_capture_on_commit_callbacks):
    reader.muted_kinds = ["accounts.token_issued"]  # not settable on the page; a stale setting must not win
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[reader], kind="accounts.token_issued", params=TOKEN_PARAMS)
    assert len(mail.outbox) == 1


def test_a_verified_phone_gets_a_text_message_in_the_users_language(
    reader, example_kind, sms_outbox, django_capture_on_commit_callbacks
):
    reader.phone = reader.verified_phone = "13800138000"
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipients=[reader], kind="accounts.token_revoked", params=TOKEN_PARAMS)
    (text,) = sms_outbox
    assert text.to == "13800138000"
    assert text.text == f"【ArtRights】您的API令牌“夜间同步”已撤销 http://127.0.0.1:8000/inbox/{row.pk}/"
    assert row.deliveries.get(channel=Channel.SMS).status == DeliveryStatus.SENT


def test_a_phone_changed_after_verification_gets_no_text_message(
    reader, example_kind, sms_outbox, django_capture_on_commit_callbacks
):
    reader.phone, reader.verified_phone = "13900139000", "13800138000"
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _example([reader])
    assert sms_outbox == []
    assert row.deliveries.get(channel=Channel.SMS).status == DeliveryStatus.NO_ADDRESS


def test_without_an_sms_backend_no_text_message_is_even_planned(
    reader, example_kind, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.ARTRIGHTS_SMS_BACKEND = ""
    reader.phone = reader.verified_phone = "13800138000"
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _example([reader])
    assert sms_outbox == []
    assert list(row.deliveries.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_the_console_sms_backend_prints_the_message(capsys):
    sms.ConsoleBackend().send(to="13800138000", text="【ArtRights】测试")
    assert capsys.readouterr().out == "[SMS to 13800138000] 【ArtRights】测试\n"


# Failures and retries


def test_a_failed_e_mail_is_recorded_with_its_reason_and_a_retry_sends_it(
    reader, example_kind, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "artrights.core.tests.test_notifications.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _example([reader])
    delivery = row.deliveries.get(channel=Channel.EMAIL)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert delivery.attempts == 1
    assert Notification.objects.filter(pk=row.pk, read_at=None).exists()  # the inbox has it all the same

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.deliver_task.call_local(delivery.pk) == DeliveryStatus.SENT  # what the worker's retry runs
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.SENT, 2, "")
    assert len(mail.outbox) == 1
    assert tasks.deliver_task.call_local(delivery.pk) == DeliveryStatus.SENT  # a late duplicate sends nothing
    assert len(mail.outbox) == 1


def test_a_copy_that_keeps_failing_stops_after_the_last_attempt(reader, example_kind, settings):
    settings.EMAIL_BACKEND = "artrights.core.tests.test_notifications.RefusingBackend"
    (row,) = _example([reader])
    delivery = row.deliveries.get(channel=Channel.EMAIL)
    for _attempt in range(services.DELIVERY_ATTEMPTS):
        with pytest.raises(SMTPServerDisconnected):
            services.deliver(delivery_id=delivery.pk)
    assert services.deliver(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.attempts == services.DELIVERY_ATTEMPTS


def test_the_sweep_sends_copies_the_queue_lost_and_frees_those_a_dead_worker_left(reader, make_user, example_kind):
    rows = _example([reader, make_user("late-ma", "artist", email="ma@example.cn")])
    lost, stuck = (
        row.deliveries.get(channel=Channel.EMAIL) for row in rows
    )  # committed, but never queued (no on_commit ran)
    long_ago = timezone.now() - dt.timedelta(hours=2)
    Delivery.objects.filter(pk=lost.pk).update(updated_at=long_ago)
    Delivery.objects.filter(pk=stuck.pk).update(status=DeliveryStatus.SENDING, attempts=1, updated_at=long_ago)

    services.requeue_stalled_deliveries()  # the stuck one becomes failed now, and is retried by a later sweep
    assert [m.to for m in mail.outbox] == [["he@example.cn"]]
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (DeliveryStatus.FAILED, "Interrupted: the worker stopped while sending")

    Delivery.objects.filter(pk=stuck.pk).update(updated_at=long_ago)
    assert services.requeue_stalled_deliveries() == 1
    assert [m.to for m in mail.outbox] == [["he@example.cn"], ["ma@example.cn"]]


def test_the_sweep_leaves_fresh_copies_to_the_queue(reader, example_kind):
    _example([reader])
    assert services.requeue_stalled_deliveries() == 0
    assert mail.outbox == []
