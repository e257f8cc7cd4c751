"""The pages: the supervisor's desk and plan, the inspector's tasks, the public page; outsiders are turned away."""

from __future__ import annotations

import pytest
from django.utils import timezone

from artrights.inspections import services
from artrights.inspections.models import Assignment, Draw, Plan, Result
from artrights.inspections.tests import factories

pytestmark = pytest.mark.django_db


def test_a_supervisor_plans_commits_and_draws_from_the_pages(client, supervisor, world):
    client.force_login(supervisor)
    factories.item()
    page = client.get("/inspections/plans/new/")
    assert page.status_code == 200
    response = client.post(
        "/inspections/plans/new/",
        {
            "name": "著作权抽查",
            "year": 2026,
            "dept": "市场监管局",
            "items": [factories.item().pk],
            "recent_window_days": 365,
            "recent_weight": 500,
            "inspectors_per_target": 2,
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.number}/")
    client.post(f"/inspections/plans/{plan.number}/commit/", {})
    client.post(f"/inspections/plans/{plan.number}/draw/", {})
    found = Draw.objects.get()
    assert found.status == "drawn"
    page = client.get(f"/inspections/plans/{plan.number}/").content.decode()
    assert "下载抽取记录" in page and 'data-testid="drawn"' in page


def test_a_refused_draw_shows_its_reason_on_the_page(client, supervisor, world):
    plan = factories.plan(supervisor)
    services.commit(user=supervisor, plan=plan, keep_secret=True)
    client.force_login(supervisor)
    response = client.post(f"/inspections/plans/{plan.number}/draw/", {"secret": "ab" * 32}, follow=True)
    assert "随机秘密与事先公开的承诺值不符" in response.content.decode()
    assert Draw.objects.get().status == "committed"


def test_the_inspector_sees_their_tasks_and_enters_a_result(client, supervisor, world):
    found = factories.drawn(supervisor)
    assignment = Assignment.objects.filter(draw=found).select_related("inspector__user").first()
    client.force_login(assignment.inspector.user)
    page = client.get("/inspections/mine/").content.decode()
    assert "我的检查任务" in page and assignment.target.subject.name in page and "回避申报" in page
    client.post(
        f"/inspections/tasks/{assignment.pk}/result/",
        {"check_date": timezone.localdate().isoformat(), "outcome": "no_problem", "findings": "未发现问题。"},
    )
    assert Result.objects.get().entered_by == assignment.inspector.user


def test_the_public_page_lists_draws_and_published_results_and_serves_the_record(client, supervisor, world):
    found = factories.drawn(supervisor)
    assignment = Assignment.objects.filter(draw=found).select_related("inspector__user").first()
    result = services.enter_result(
        user=assignment.inspector.user,
        assignment=assignment,
        check_date=timezone.localdate(),
        outcome="no_problem",
        findings="未发现问题。",
    )
    services.review_result(user=supervisor, result=result, publish=True)
    page = client.get("/inspections/").content.decode()
    assert found.number in page and assignment.target.subject.name in page
    assert client.get(f"/inspections/draws/{found.pk}/").status_code == 200
    assert client.get(f"/inspections/draws/{found.pk}/record.json").json()["format"] == "artrights-draw/v1"


@pytest.mark.parametrize("role", ["artist", "agency", "registrar", "inspector", "partner"])
def test_outsiders_are_turned_away_from_the_supervisor_pages(client, people, supervisor, world, role):
    plan = factories.plan(supervisor)
    client.force_login(people[role])
    for url in ("/inspections/desk/", "/inspections/targets/", "/inspections/inspectors/", "/inspections/plans/new/"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/inspections/plans/{plan.number}/").status_code == 404
    assert client.post(f"/inspections/plans/{plan.number}/commit/", {}).status_code == 404
    assert not Draw.objects.exists()


def test_someone_outside_the_inspector_directory_has_no_task_page(client, people):
    client.force_login(people["artist"])
    assert client.get("/inspections/mine/").status_code == 403


def test_a_result_past_its_20_working_days_is_flagged_overdue_on_the_desk(client, supervisor, world):
    import datetime as dt

    found = factories.drawn(supervisor)
    assignment = Assignment.objects.filter(draw=found).select_related("inspector__user").first()
    result = services.enter_result(
        user=assignment.inspector.user,
        assignment=assignment,
        check_date=timezone.localdate(),
        outcome="no_problem",
        findings="未发现问题。",
    )
    client.force_login(supervisor)
    assert 'data-testid="overdue"' not in client.get("/inspections/desk/").content.decode()
    Result.objects.filter(pk=result.pk).update(publish_due=timezone.localdate() - dt.timedelta(days=1))
    page = client.get("/inspections/desk/").content.decode()
    assert 'data-testid="overdue"' in page and "已逾期" in page


def test_each_drawn_inspector_is_told_in_their_inbox(supervisor, world):
    from artrights.core.models import Notification

    found = factories.drawn(supervisor)
    told = set(Notification.objects.filter(kind="inspections.assigned").values_list("recipient", flat=True))
    assert told == set(Assignment.objects.filter(draw=found).values_list("inspector__user", flat=True))
