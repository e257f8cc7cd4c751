"""The demo data of `make run` includes a published draw that re-runs offline, and a published result."""

import json

import pytest
from django.core.management import call_command

from artrights.inspections.models import Draw, Result, Target
from artrights.proofs import draw as drawing

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_draw_that_verifies_and_the_demo_inspector_has_tasks():
    call_command("demo")
    found = Draw.objects.get()
    assert found.status == "drawn" and drawing.verify_draw(found.record) == []
    assert found.pool_size == Target.objects.count() >= 12
    key = {t.draw_id for t in Target.objects.filter(pool="key").select_related("subject")}
    assert len(key) == 3 and key <= set(found.record["drawn"])  # the listed and recorded subjects are all drawn
    person = Target.objects.get(subject__code_kind="resident_id")
    assert person.draw_id in key and person.subject.code not in json.dumps(found.record)  # no ID number published
    assert found.assignments.filter(inspector__user__username="demo-inspector").exists()
    assert Result.objects.filter(status="published").count() == 1
