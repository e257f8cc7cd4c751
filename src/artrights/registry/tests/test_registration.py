import datetime as dt
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from artrights.accounts.access import visible_to
from artrights.core.models import AuditEvent, StoredFile
from artrights.core.statemachine import TransitionNotAllowed
from artrights.ledger.models import LogEntry
from artrights.registry import screening, services
from artrights.registry.models import Status, Work

from .factories import OTHER_OWNER, OWNER, artwork_png, power_of_attorney, samples, upload, work_fields

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^粤作登字-\d{4}-F-\d{8}$")


def _apply(user, seed=1, owner=OWNER, **fields):
    """An application by ``user``: an agency sends the owner's power of attorney with the sample."""
    letter = [power_of_attorney()] if user.role == "agency" else []
    return services.create_application(
        user=user, fields=work_fields(**fields), owners=[owner], files=[*samples(seed), *letter]
    )


def _through_review(work, artist, registrar):
    services.submit(work=work, user=artist)
    services.accept(work=work, registrar=registrar)
    services.start_review(work=work, registrar=registrar)
    return Work.objects.get(pk=work.pk)


def test_an_artist_applies_and_a_registrar_registers_the_work_with_a_number_and_a_log_entry(artist, registrar):
    work = _apply(artist)
    assert work.status == Status.DRAFT
    work = _through_review(work, artist, registrar)
    assert work.flow_number and work.review_due
    assert work.review_due > dt.date.today()
    services.register(work=work, registrar=registrar)
    work.refresh_from_db()
    assert work.status == Status.REGISTERED
    assert NUMBER.match(work.number)
    entry = LogEntry.objects.get(index=work.log_index)
    assert work.number in bytes(entry.data).decode()
    assert "林画家" not in bytes(entry.data).decode()  # names only as salted commitments
    assert "大芬村的早晨" not in bytes(entry.data).decode()
    actions = list(AuditEvent.objects.filter(object_type="registry.work").values_list("action", flat=True))
    for action in ("registry.submit", "registry.accept", "registry.start_review", "registry.register"):
        assert action in actions


def test_numbers_are_consecutive_and_a_failed_registration_does_not_use_one_up(artist, registrar, monkeypatch):
    first = _through_review(_apply(artist, seed=1), artist, registrar)
    second = _through_review(_apply(artist, seed=2, title="第二幅"), artist, registrar)
    services.register(work=first, registrar=registrar)
    entries_before = LogEntry.objects.count()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as m:
        m.setattr(services.review, "_transition", crash)
        with pytest.raises(RuntimeError):
            services.register(work=second, registrar=registrar)
    second.refresh_from_db()
    assert second.status == Status.UNDER_REVIEW and second.number is None and second.log_index is None
    assert LogEntry.objects.count() == entries_before  # no log entry without its record
    services.register(work=second, registrar=registrar)
    first.refresh_from_db()
    second.refresh_from_db()
    assert int(second.number[-8:]) == int(first.number[-8:]) + 1


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(artist):
    with pytest.raises(ValidationError) as err:
        services.create_application(
            user=artist,
            fields=work_fields(),
            owners=[OWNER],
            files=[services.SampleInput(upload(b"%PDF-1.4 not an image", "a.png"))],
        )
    assert "不是可用的图片" in str(err.value)
    assert not Work.objects.exists() and not StoredFile.objects.exists()


def test_a_truncated_image_is_refused(artist):
    data = artwork_png(3)
    with pytest.raises(ValidationError):
        services.create_application(
            user=artist,
            fields=work_fields(),
            owners=[OWNER],
            files=[services.SampleInput(upload(data[: len(data) // 2]))],
        )
    assert not Work.objects.exists()


def test_an_image_with_more_pixels_than_allowed_is_refused_before_decoding(artist, settings):
    settings.ARTRIGHTS_MAX_IMAGE_PIXELS = 10_000
    with pytest.raises(ValidationError) as err:
        _apply(artist)
    assert "像素" in str(err.value)
    assert not Work.objects.exists()


def test_a_later_failure_removes_the_files_already_written(artist, monkeypatch):
    def boom(work):
        raise RuntimeError("crash after storing files")

    monkeypatch.setattr(services.applications, "_check_duplicates", boom)
    digest = hashlib.sha256(artwork_png(99)).hexdigest()
    with pytest.raises(RuntimeError):
        _apply(artist, seed=99)
    assert not Work.objects.exists() and not StoredFile.objects.exists()
    folder = f"files/{digest[:2]}/{digest}"
    assert not default_storage.exists(folder) or default_storage.listdir(folder) == ([], [])


def test_the_registrar_is_warned_when_the_sample_is_someone_elses_registered_work(artist, outsider, registrar):
    original = _through_review(_apply(artist, seed=7), artist, registrar)
    services.register(work=original, registrar=registrar)
    copy = _apply(outsider, seed=7, owner=OTHER_OWNER, title="抄来的")
    warning = copy.duplicate_warnings.get()
    assert warning.earlier_id == original.pk
    assert warning.method == "sha256" and warning.score == 1.0
    assert warning.same_owner is False


def test_the_same_owner_registering_again_through_an_agency_is_flagged_as_same_owner(artist, registrar, make_user):
    original = _through_review(_apply(artist, seed=8), artist, registrar)
    services.register(work=original, registrar=registrar)
    agency_user = make_user("agent-of-lin", "agency")
    again = _apply(agency_user, seed=8, title="同一幅")
    assert again.duplicate_warnings.get().same_owner is True
    assert not screening.blocking(again).exists()


def test_a_second_identical_submission_by_the_same_applicant_is_refused_and_nothing_is_kept(artist, registrar):
    original = _through_review(_apply(artist, seed=9), artist, registrar)
    with pytest.raises(ValidationError) as err:
        _apply(artist, seed=9, title="再交一次")
    assert "请勿重复提交" in str(err.value) and original.flow_number in str(err.value)
    assert Work.objects.count() == 1


def test_a_correction_notice_sets_a_deadline_and_an_unanswered_one_is_deemed_withdrawn(artist, registrar):
    work = _through_review(_apply(artist), artist, registrar)
    services.request_correction(work=work, registrar=registrar, notice="请补充作品说明书中的创作过程。")
    work.refresh_from_db()
    assert work.status == Status.CORRECTION_REQUIRED
    assert work.correction_due == dt.date.today() + dt.timedelta(days=60)
    assert services.deem_overdue_corrections(today=work.correction_due) == 0
    assert services.deem_overdue_corrections(today=work.correction_due + dt.timedelta(days=1)) == 1
    work.refresh_from_db()
    assert work.status == Status.WITHDRAWN_DEEMED


def test_answering_a_correction_restarts_review(artist, registrar):
    work = _through_review(_apply(artist), artist, registrar)
    services.request_correction(work=work, registrar=registrar, notice="作品名称有误")
    services.correct(work=work, user=artist, fields={"title": "大芬村的清晨"})
    work.refresh_from_db()
    assert work.status == Status.UNDER_REVIEW and work.title == "大芬村的清晨"
    with pytest.raises(ValidationError):
        services.correct(work=work, user=artist, fields={"number": "x"})


def test_a_refusal_needs_a_legal_ground_and_reasons(artist, registrar):
    work = _through_review(_apply(artist), artist, registrar)
    with pytest.raises(ValidationError):
        services.refuse(work=work, registrar=registrar, ground="not_protected", reason=" ")
    services.refuse(work=work, registrar=registrar, ground="not_protected", reason="属于单纯事实消息。")
    work.refresh_from_db()
    assert work.status == Status.REFUSED and work.decision_ground == "not_protected"


def test_an_artist_cannot_register_their_own_work_and_cannot_skip_review(artist, registrar):
    work = _apply(artist)
    services.submit(work=work, user=artist)
    with pytest.raises(PermissionDenied):
        services.register(work=work, registrar=artist)
    with pytest.raises(TransitionNotAllowed):
        services.register(work=work, registrar=registrar)


def test_other_artists_do_not_see_the_application_and_registrars_only_once_submitted(artist, outsider, registrar):
    work = _apply(artist)
    assert not visible_to(outsider, Work.objects.all()).filter(pk=work.pk).exists()
    assert not visible_to(registrar, Work.objects.all()).filter(pk=work.pk).exists()
    services.submit(work=work, user=artist)
    assert not visible_to(outsider, Work.objects.all()).filter(pk=work.pk).exists()
    assert visible_to(registrar, Work.objects.all()).filter(pk=work.pk).exists()


def test_a_type_without_a_configured_class_letter_gets_a_clear_error_and_keeps_its_place(artist, registrar):
    work = _through_review(_apply(artist, work_type="MUSIC", title="渔舟唱晚"), artist, registrar)
    with pytest.raises(ValidationError) as err:
        services.register(work=work, registrar=registrar)
    assert "尚未配置分类号" in str(err.value)
    work.refresh_from_db()
    assert work.status == Status.UNDER_REVIEW and work.number is None


def test_a_digital_filing_gets_its_number_at_once(artist):
    work = services.file_digital_work(
        user=artist, fields=work_fields(), owners=[OWNER], files=samples(11), issue_now=False
    )
    assert work.status == Status.FILED
    assert re.match(r"^粤数备字-\d{4}-\d{8}$", work.number)
    assert work.log_index is not None


def test_a_revocation_is_logged_and_shown_on_the_public_record(client, artist, registrar):
    work = _through_review(_apply(artist), artist, registrar)
    services.register(work=work, registrar=registrar)
    before = LogEntry.objects.count()
    with pytest.raises(ValidationError):
        services.revoke(work=work, registrar=registrar, ground="duplicate", reason="")
    services.revoke(work=work, registrar=registrar, ground="duplicate", reason="与在先登记重复。")
    assert LogEntry.objects.count() == before + 1
    work.refresh_from_db()
    page = client.get(f"/verify/{work.number}").content.decode()
    assert "已撤销" in page
