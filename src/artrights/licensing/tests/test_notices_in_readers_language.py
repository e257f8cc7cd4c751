"""The "contract to sign" notice names the kind of contract in its reader's language, whatever language the person
who asked for the licence was using: in the inbox and in the e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from artrights.core.models import Notification
from artrights.licensing import services
from artrights.licensing.tests import factories

pytestmark = pytest.mark.django_db

WORDS = {"zh-hans": "的许可合同，请核对条款和合同哈希后签署", "en": "Licence contract for"}
COOKIE = {"zh-hans": "zh-hans", "en": "en"}


@pytest.mark.parametrize(("sender", "reader"), [("zh-hans", "en"), ("en", "zh-hans")])
def test_the_holder_reads_the_contract_to_sign_wholly_in_their_own_language(
    client, artist, buyer, work, django_capture_on_commit_callbacks, sender, reader
):
    artist.email, artist.language = "lin@example.cn", reader
    artist.save()
    offer = factories.offer(artist, work)
    with translation.override(sender), django_capture_on_commit_callbacks(execute=True):
        contract = services.request_licence(user=buyer, offer=offer, valid_from=dt.date(2026, 12, 1), industry="出版")
    notice = Notification.objects.get(recipient=artist, kind="licensing.to_sign")
    assert notice.params["kind"] == "licence"

    client.force_login(artist)
    client.cookies["django_language"] = COOKIE[reader]
    inbox = client.get("/inbox/").content.decode()
    (message,) = [m for m in mail.outbox if contract.number in m.subject]
    for text in (inbox, message.body):
        assert WORDS[reader] in text and WORDS[sender] not in text
    if reader == "en":
        assert "许可合同" not in inbox and "许可合同" not in message.body
    else:
        assert "Licence contract" not in inbox and "Licence contract" not in message.body
