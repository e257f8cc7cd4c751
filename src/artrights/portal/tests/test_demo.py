"""`artrights demo`: one account per role, and each app's data made through its services, loaded once."""

import pytest
from django.core.management import call_command

from artrights.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_the_demo_loads_one_account_per_role_once(capsys):
    call_command("demo")
    first = capsys.readouterr().out
    assert User.objects.filter(username__startswith="demo-").count() == len(Role)
    for role in Role:
        assert f"demo-{role.value}" in first
    call_command("demo")
    assert "已存在" in capsys.readouterr().out
    assert User.objects.filter(username__startswith="demo-").count() == len(Role)
    # The demo rights holder can file in their own name at once, and the registry has work at every step (the
    # draft is the one the Dafen workstation filled in with the artist, waiting for them to check and submit).
    assert User.objects.get(username="demo-artist").real_name_verified
    from artrights.registry.models import Work

    assert sorted(Work.objects.values_list("status", flat=True)) == sorted(
        ["filed", "registered", "correction_required", "submitted", "held", "registered", "draft"]
    )
    assert Work.objects.get(kind="software").software.certificate_number  # a registered computer software
    held = Work.objects.get(status="held")
    assert held.agent is not None and held.duplicate_warnings.get().same_owner is False


def test_the_demo_has_listed_parties_graded_agencies_and_credit_cases_waiting():
    from artrights.credit.models import Evaluation, ListEntry, Objection, PartnerQuery, Repair
    from artrights.registry.models import Work

    call_command("demo")
    assert sorted(ListEntry.objects.filter(status="listed").values_list("list_type", flat=True)) == [
        "cnipa_dishonest",
        "gd_serious",
    ]
    grades = {e.subject.name: e.grade for e in Evaluation.objects.order_by("at", "pk")}
    assert "A+" in grades.values() and "C" in grades.values()
    assert Objection.objects.filter(status="under_review").exists()
    assert Repair.objects.filter(status="under_review").exists()
    assert PartnerQuery.objects.count() == 1
    # The copy screening held names an owner on a list: the registrar's review page flags it.
    from artrights.registry.selectors import credit_flags

    held = Work.objects.get(status="held")
    assert [f.standing.list_type for f in credit_flags(held)] == ["gd_serious"]
