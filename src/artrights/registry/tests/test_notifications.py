"""The people concerned hear of each step of a registration, in their inbox and by e-mail, once it is committed."""

from __future__ import annotations

import pytest
from django.core import mail

from artrights.core.models import Notification
from artrights.registry import services
from artrights.registry.models import RefusalGround

from .factories import OTHER_OWNER, OWNER, samples, work_fields

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a step as a committed request would: its after-commit work (notifications, e-mail) happens too."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return run


def test_the_applicant_hears_of_acceptance_a_correction_notice_and_the_grant(committed, artist, registrar):
    artist.email = "lin@example.cn"
    artist.save()
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(71))
    committed(services.submit, work=work, user=artist)
    committed(services.accept, work=work, registrar=registrar)
    committed(services.start_review, work=work, registrar=registrar)
    committed(services.request_correction, work=work, registrar=registrar, notice="请补充创作过程。")
    assert _kinds(artist) == ["registry.accepted", "registry.correction_requested"]
    notice = Notification.objects.get(kind="registry.correction_requested")
    assert notice.url == f"/registry/works/{work.pk}/" and "请补充创作过程" in notice.params["notice"]
    assert any("需要补正" in m.subject for m in mail.outbox)  # essential: the e-mail goes whatever the settings
    committed(services.correct, work=work, user=artist, note="已补充。")
    assert _kinds(registrar) == ["registry.corrected"]  # the registrar who asked hears of the answer
    committed(services.register, work=work, registrar=registrar)  # the worker makes the certificate after it
    assert _kinds(artist)[-2:] == ["registry.granted", "registry.certificate_ready"]


def test_nothing_is_sent_for_a_step_that_was_rolled_back(committed, artist, registrar, monkeypatch):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(72))
    committed(services.submit, work=work, user=artist)
    committed(services.accept, work=work, registrar=registrar)
    committed(services.start_review, work=work, registrar=registrar)
    from artrights.registry.services import review

    def broken(**kwargs):
        raise RuntimeError("disk full")

    # The notice's transition is written, then the step fails: everything it did is rolled back, the e-mail too.
    monkeypatch.setattr(review.Correction.objects, "create", broken)
    with pytest.raises(RuntimeError):
        committed(services.request_correction, work=work, registrar=registrar, notice="请补充。")
    assert "registry.correction_requested" not in _kinds(artist)
    work.refresh_from_db()
    assert work.status == "under_review"


def test_a_held_filing_reaches_the_registrars_and_a_refusal_the_applicant(committed, artist, outsider, registrar):
    committed(services.file_digital_work, user=artist, fields=work_fields(), owners=[OWNER], files=samples(73))
    copy = committed(
        services.file_digital_work,
        user=outsider,
        fields=work_fields(title="抄来的"),
        owners=[OTHER_OWNER],
        files=samples(73),
    )
    assert "registry.held" in _kinds(registrar) and "registry.held" in _kinds(outsider)
    committed(
        services.refuse, work=copy, registrar=registrar, ground=RefusalGround.NOT_OWNER, reason="与他人作品相同。"
    )
    refusal = Notification.objects.get(recipient=outsider, kind="registry.refused")
    assert refusal.params["reason"] == "与他人作品相同。" and "著作权人" in refusal.body


def test_an_outsider_hears_nothing_of_other_peoples_applications(committed, artist, outsider, registrar):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(74))
    committed(services.submit, work=work, user=artist)
    committed(services.accept, work=work, registrar=registrar)
    assert _kinds(outsider) == []
