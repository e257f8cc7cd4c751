"""Copy detection inside the platform: registered works are fingerprinted and found in suspect images."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from artrights.core.models import Notification
from artrights.matching import selectors, services
from artrights.matching.fingerprint import engine_id
from artrights.matching.models import MonitorHit, ReferenceFingerprint
from artrights.matching.tests import factories
from artrights.matching.tests.factories import copy_of
from artrights.registry import services as registry
from artrights.registry.tests.factories import OTHER_OWNER, OWNER, artwork_png, samples, upload, work_fields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_index")]


def test_a_granted_work_is_fingerprinted_and_found_in_a_product_photo(register, outsider):
    work = register(61)
    assert ReferenceFingerprint.objects.filter(work=work, active=True).count() == 1
    register(62, title="另一幅")
    report = services.check_image(user=outsider, data=copy_of(61), name="product.jpg")
    assert [r["number"] for r in report.results] == [work.number]
    best = report.results[0]
    assert best["score"] >= services.threshold()
    xs = [x for x, _ in best["region"]]
    # The registered picture's corners mapped into the photo: pasted at x=90, scaled 1.5x, cropped 20 px.
    assert abs(min(xs) - 60) < 10 and abs(max(xs) - 540) < 10


def test_an_unrelated_image_finds_nothing(register, outsider):
    register(63)
    report = services.check_image(user=outsider, data=artwork_png(64), name="other.png")
    assert report.results == []


def test_a_revoked_work_is_no_longer_found(register, registrar, outsider, django_capture_on_commit_callbacks):
    work = register(65)
    services.reference_index()
    with django_capture_on_commit_callbacks(execute=True):
        registry.revoke(work=work, registrar=registrar, ground="judgment", reason="法院判决认定侵权。")
    assert services.check_image(user=outsider, data=copy_of(65)).results == []


def test_fingerprints_of_an_older_engine_are_extracted_again_and_the_work_is_still_found(register, outsider, capsys):
    work = register(72)
    old = ReferenceFingerprint.objects.get(work=work)
    ReferenceFingerprint.objects.filter(pk=old.pk).update(engine="e1.v1")  # as an earlier release left it
    assert str(old.pk) in services.reference_index()
    call_command("refingerprint", "--status")
    assert "待更新 / out of date: 1" in capsys.readouterr().out
    call_command("refingerprint", "--no-progress")
    assert "已更新 / renewed: 1" in capsys.readouterr().out
    old.refresh_from_db()
    new = ReferenceFingerprint.objects.get(work=work, active=True)
    assert not old.active and old.deactivated_at is not None and new.engine == engine_id()
    index = services.reference_index()
    assert str(new.pk) in index and str(old.pk) not in index
    assert [r["number"] for r in services.check_image(user=outsider, data=copy_of(72)).results] == [work.number]
    assert services.refingerprint_stale().renewed == 0  # nothing left to do


def test_refingerprinting_can_be_shared_between_processes_and_bounded(register):
    works = [register(seed, title=f"作品{seed}") for seed in (73, 74, 75)]
    ReferenceFingerprint.objects.update(engine="e1.v1")
    pks = sorted(ReferenceFingerprint.objects.values_list("pk", flat=True))
    first_half = services.refingerprint_stale(part=(0, 2))
    assert first_half.renewed == sum(1 for pk in pks if pk % 2 == 0) and first_half.remaining == 3 - first_half.renewed
    assert services.refingerprint_stale(limit=1).renewed == 1
    from artrights.matching.tasks import refingerprint_task

    assert refingerprint_task.call_local() == 3 - first_half.renewed - 1  # the worker's share of the job
    assert ReferenceFingerprint.objects.filter(active=True).count() == len(works)
    assert not selectors.stale_fingerprints().exists()


def test_the_refingerprint_command_refuses_a_nonsensical_share():
    with pytest.raises(CommandError, match="i/n"):
        call_command("refingerprint", "--part", "3/2")
    with pytest.raises(CommandError, match="正整数"):
        call_command("refingerprint", "--limit", "0")


def test_the_index_picks_up_a_fingerprint_whose_transaction_committed_after_a_later_one(register):
    first = register(76)
    services.reference_index()
    late = ReferenceFingerprint.objects.get(work=first)
    ReferenceFingerprint.objects.filter(pk=late.pk).update(active=False, deactivated_at=None)
    services._process_index.reset()
    services.reference_index()
    # The row becomes visible now, though the index has already read past its id.
    ReferenceFingerprint.objects.filter(pk=late.pk).update(active=True)
    services._process_index.loaded_upto = late.pk + 10
    assert str(late.pk) in services.reference_index()


def test_a_work_filed_after_a_rolled_back_filing_is_found_though_it_may_reuse_the_rolled_back_id(register, outsider):
    from django.db import transaction

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        register(77, title="未完成的登记")
        services.reference_index()  # read inside the transaction, which then rolls back
        raise Abandoned
    kept = register(78, title="真正登记的作品")
    report = services.check_image(user=outsider, data=copy_of(78), name="product.jpg")
    assert [r["number"] for r in report.results] == [kept.number]


def test_a_near_copy_application_warns_the_registrar(register, outsider):
    original = register(66)
    copy = registry.create_application(
        user=outsider,
        fields=work_fields(title="改头换面"),
        owners=[OTHER_OWNER],
        files=[registry.SampleInput(upload(copy_of(66), "copy.jpg", "image/jpeg"))],
    )
    warning = copy.duplicate_warnings.get()
    assert warning.earlier_id == original.pk and warning.method == "matcher" and not warning.same_owner


def test_the_registrar_sees_what_a_near_copy_finding_rests_on(register, outsider, registrar, client):
    register(69)
    copy = registry.create_application(
        user=outsider,
        fields=work_fields(title="换了背景"),
        owners=[OTHER_OWNER],
        files=[registry.SampleInput(upload(copy_of(69), "copy.jpg", "image/jpeg"))],
    )
    registry.submit(work=copy, user=outsider)  # in the registry's hands: its registrars review it
    why = copy.duplicate_warnings.get().why
    # the copy sits on a product photo: it covers part of the application's sample and most of the work
    assert why["inliers"] > 10 and 0 < why["regions"] <= why["textured_regions"]
    assert why["application_percent"] < 80 and why["earlier_percent"] > 70
    client.force_login(registrar)
    page = client.get(f"/registry/works/{copy.pk}/").content.decode()
    assert f"几何吻合的特征点 {why['inliers']} 个" in page
    assert f"匹配部分占本申请样本 {why['application_percent']}%" in page


def test_a_near_copy_of_a_pending_application_is_flagged_and_not_shown_to_the_public(
    artist, outsider, django_capture_on_commit_callbacks
):
    pending = registry.create_application(
        user=artist, fields=work_fields(title="尚在审查"), owners=[OWNER], files=samples(68)
    )
    registry.submit(work=pending, user=artist)  # screened on submission: it joins the index as a pending work
    copy = registry.create_application(
        user=outsider,
        fields=work_fields(title="抢先申请"),
        owners=[OTHER_OWNER],
        files=[registry.SampleInput(upload(copy_of(68), "copy.jpg", "image/jpeg"))],
    )
    warning = copy.duplicate_warnings.get()
    assert warning.earlier_id == pending.pk and warning.method == "matcher" and not warning.same_owner
    # A pending application is not a registered work: the public check does not report it.
    assert services.check_image(user=outsider, data=copy_of(68)).results == []
    with django_capture_on_commit_callbacks(execute=True):
        registry.withdraw(work=pending, user=artist)
    assert not ReferenceFingerprint.objects.filter(work=pending, active=True).exists()


def test_the_check_page_shows_the_match_and_fixes_evidence(
    client, register, outsider, django_capture_on_commit_callbacks
):
    work = register(67)
    client.force_login(outsider)
    response = client.post("/matching/", {"image": upload(copy_of(67), "shop.jpg", "image/jpeg")}, follow=True)
    page = response.content.decode()
    assert work.number in page and "<polygon" in page
    report_id = response.resolver_match.kwargs["pk"]
    assert client.get(f"/matching/reports/{report_id}/image").status_code == 200
    assert client.get(f"/registry/record/{work.number}/thumbnail.jpg").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evidence/from-report/{report_id}/", follow=True)
    number = response.resolver_match.kwargs["number"]
    assert number.startswith("EV-")
    assert "已封存" in client.get(f"/evidence/{number}/").content.decode()  # the worker sealed it
    # The report now points at its evidence record, and the record's package verifies offline.
    assert number in client.get(f"/matching/reports/{report_id}/").content.decode()
    from artrights.registry.verification import platform_trust
    from artrights.verify import verify_bytes

    package = client.get(f"/evidence/{number}/package.wacz").content
    verdict = verify_bytes(package, platform_trust())
    assert verdict.ok, verdict.summary()
    assert work.number in verdict.bundle["statement"]["refers_to"]


def test_a_non_image_upload_is_refused_with_a_message(client, outsider):
    client.force_login(outsider)
    response = client.post("/matching/", {"image": upload(b"GIF89a-broken", "x.gif", "image/gif")})
    assert "不是可用的图片" in response.content.decode()


def test_the_check_command_prints_matches(register, tmp_path, capsys):
    work = register(68)
    suspect = tmp_path / "suspect.jpg"
    suspect.write_bytes(copy_of(68))
    call_command("check", str(suspect))
    assert work.number in capsys.readouterr().out


def test_a_watched_page_reports_a_new_copy_once(register, outsider, tmp_path, serve_folder):
    work = register(69)
    (tmp_path / "shop.jpg").write_bytes(copy_of(69))
    (tmp_path / "logo.png").write_bytes(artwork_png(70, (64, 64)))
    (tmp_path / "index.html").write_text('<html><body><img src="shop.jpg"><img src="/logo.png"></body></html>')
    page = services.watch_page(user=outsider, url=f"{serve_folder}/index.html")
    first = services.check_page(page)
    assert first.ok and first.images_found == 2 and first.new_hits == 1
    assert MonitorHit.objects.get().work == work
    again = services.check_page(page)
    assert again.new_hits == 0
    [alert] = Notification.objects.filter(recipient=outsider, kind="matching.copies_found")  # once, not twice
    assert alert.params["count"] == 1 and work.number in alert.params["works"] and alert.url == "/matching/watch/"


def test_an_unreachable_page_is_recorded_as_failed_and_the_watcher_told_once(outsider):
    page = factories.watched_page(outsider, "http://127.0.0.1:9/nothing-here")  # watched while it still opened
    check = services.check_page(page)
    assert not check.ok and check.reason == "unreachable" and "无法连接网站 127.0.0.1" in check.failure()
    services.check_page(page)  # still down: no second message
    assert Notification.objects.filter(recipient=outsider, kind="matching.page_unreachable").count() == 1


def test_the_api_checks_an_uploaded_image_with_a_token(client, register, outsider):
    from artrights.accounts.services import issue_token
    from artrights.testing import bearer

    work = register(71)
    raw = issue_token(user=outsider, name="scanner", scopes=["read", "write"])[1]
    response = client.post("/api/matching/check", {"image": upload(copy_of(71), "p.jpg", "image/jpeg")}, **bearer(raw))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["matches"][0]["number"] == work.number and body["matches"][0]["score"] >= body["threshold"]
    assert client.get(f"/api/matching/reports/{body['id']}", **bearer(raw)).json()["id"] == body["id"]
    bad = client.post("/api/matching/check", {"image": upload(b"not an image", "x.png", "image/png")}, **bearer(raw))
    assert bad.status_code == 422 and "不是可用的图片" in bad.json()["detail"]
    assert client.post("/api/matching/check", {}, **bearer(raw)).status_code == 422
