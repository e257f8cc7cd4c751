"""The work's page: its timeline, and the certificate that appears by itself once the worker has made it."""

from __future__ import annotations

import pytest

from artrights.registry import services

from .factories import OWNER, samples, work_fields

pytestmark = pytest.mark.django_db


def test_the_timeline_lists_the_steps_and_shows_the_applicant_the_registrars_role_not_name(client, artist, registrar):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(81))
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    client.force_login(artist)
    page = client.get(f"/registry/works/{work.pk}/").content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert timeline.index("创建申请") < timeline.index("提交申请") < timeline.index("受理")
    assert "登记审核员" in timeline and registrar.display_name not in timeline
    client.force_login(registrar)
    staff_view = client.get(f"/registry/works/{work.pk}/").content.decode()
    assert registrar.display_name in staff_view[staff_view.index('data-testid="timeline"') :]


def test_the_certificate_panel_polls_until_the_certificate_exists_then_offers_the_downloads(client, artist):
    work = services.file_digital_work(
        user=artist, fields=work_fields(), owners=[OWNER], files=samples(82), issue_now=False
    )
    client.force_login(artist)
    waiting = client.get(f"/registry/works/{work.pk}/certificate/").content.decode()
    assert 'hx-trigger="every 3s"' in waiting and "下载证书PDF" not in waiting
    from artrights.registry.issuance import issue_certificate

    issue_certificate(work=work)
    ready = client.get(f"/registry/works/{work.pk}/certificate/").content.decode()
    assert "下载证书PDF" in ready and "hx-trigger" not in ready


def test_an_outsider_gets_no_certificate_panel(client, artist, outsider):
    work = services.file_digital_work(user=artist, fields=work_fields(), owners=[OWNER], files=samples(83))
    client.force_login(outsider)
    assert client.get(f"/registry/works/{work.pk}/certificate/").status_code == 404
