"""Screening: no copy of another owner's work is granted without a registrar's recorded conclusion."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from artrights.ledger.models import LogEntry
from artrights.registry import screening, services
from artrights.registry.models import RefusalGround, Resolution, Status, Work

from .factories import OTHER_OWNER, OWNER, samples, work_fields

pytestmark = pytest.mark.django_db


def _file(user, seed, owner=OWNER, title="大芬村的早晨"):
    return services.file_digital_work(user=user, fields=work_fields(title=title), owners=[owner], files=samples(seed))


def _apply(user, seed, owner=OWNER, title="大芬村的早晨"):
    return services.create_application(user=user, fields=work_fields(title=title), owners=[owner], files=samples(seed))


def test_a_digital_filing_of_another_owners_work_is_held_not_certified(artist, outsider):
    original = _file(artist, 51)
    entries = LogEntry.objects.count()
    copy = _file(outsider, 51, owner=OTHER_OWNER, title="抄来的")
    copy.refresh_from_db()
    assert copy.status == Status.HELD and copy.number is None and copy.log_index is None
    assert not copy.certificates.exists() and LogEntry.objects.count() == entries
    [warning] = screening.blocking(copy)
    assert warning.earlier == original and warning.method == "sha256"


def test_a_registrar_releases_a_held_filing_only_with_a_note_and_the_note_stays_on_record(artist, outsider, registrar):
    _file(artist, 52)
    copy = _file(outsider, 52, owner=OTHER_OWNER, title="授权使用")
    with pytest.raises(ValidationError):
        services.release(work=copy, registrar=registrar, screening_note=" ")
    copy.refresh_from_db()
    assert copy.status == Status.HELD and copy.number is None
    services.release(work=copy, registrar=registrar, screening_note="申请人提交了原作者的书面授权。", issue_now=True)
    copy.refresh_from_db()
    assert copy.status == Status.FILED and copy.number and copy.certificates.exists()
    warning = copy.duplicate_warnings.get()
    assert warning.resolution == Resolution.CLEARED and warning.resolved_by == registrar
    assert "书面授权" in warning.resolution_note


def test_refusing_a_held_copy_records_the_warning_as_upheld(artist, outsider, registrar):
    _file(artist, 53)
    copy = _file(outsider, 53, owner=OTHER_OWNER)
    services.refuse(work=copy, registrar=registrar, ground=RefusalGround.NOT_OWNER, reason="与他人已备案作品完全相同。")
    copy.refresh_from_db()
    assert copy.status == Status.REFUSED
    assert copy.duplicate_warnings.get().resolution == Resolution.UPHELD


def test_the_applicant_cannot_release_their_own_held_filing_through_the_api(client, artist, outsider):
    _file(artist, 54)
    copy = _file(outsider, 54, owner=OTHER_OWNER)
    client.force_login(outsider)
    response = client.post(
        f"/api/registry/works/{copy.pk}/actions/release",
        {"screening_note": "这是我的"},
        content_type="application/json",
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.release(work=copy, registrar=outsider, screening_note="这是我的")
    copy.refresh_from_db()
    assert copy.status == Status.HELD and copy.number is None


def test_a_registration_of_another_owners_work_needs_the_registrars_conclusion(artist, outsider, registrar):
    original = _file(artist, 55)
    copy = _apply(outsider, 55, owner=OTHER_OWNER)
    services.submit(work=copy, user=outsider)
    services.accept(work=copy, registrar=registrar)
    services.start_review(work=copy, registrar=registrar)
    entries = LogEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        services.register(work=copy, registrar=registrar)
    assert "核查说明" in str(err.value)
    copy.refresh_from_db()
    assert copy.status == Status.UNDER_REVIEW and copy.number is None and LogEntry.objects.count() == entries
    services.register(work=copy, registrar=registrar, screening_note="原作者已书面许可。")
    copy.refresh_from_db()
    assert copy.status == Status.REGISTERED
    assert copy.duplicate_warnings.get(earlier=original).resolution == Resolution.CLEARED


def test_the_same_file_in_two_pending_applications_is_flagged_both_ways(artist, outsider, registrar):
    first = _apply(artist, 56)
    services.submit(work=first, user=artist)
    second = _apply(outsider, 56, owner=OTHER_OWNER, title="另一份申请")
    assert second.duplicate_warnings.get().earlier == first  # found against a pending application
    services.submit(work=second, user=outsider)
    services.accept(work=first, registrar=registrar)  # screened again on acceptance: now it sees the second
    assert first.duplicate_warnings.get().earlier == second
    assert screening.blocking(first).exists() and screening.blocking(second).exists()


def test_a_withdrawn_application_no_longer_blocks_anyone(artist, outsider):
    first = _apply(artist, 57)
    services.submit(work=first, user=artist)
    second = _apply(outsider, 57, owner=OTHER_OWNER)
    assert screening.blocking(second).exists()
    services.withdraw(work=first, user=artist)
    assert not screening.blocking(second).exists()
    assert Work.objects.get(pk=first.pk).status == Status.WITHDRAWN
