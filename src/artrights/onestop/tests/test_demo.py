"""The one-stop demo data: the Dafen workstation with its staff, and requests in several states."""

import pytest
from django.core.management import call_command

from artrights.onestop.models import ServiceRequest, TrainingEvent, Workstation

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_dafen_workstation_and_requests_new_in_progress_and_closed_with_a_rating(capsys):
    call_command("demo")
    assert "one-stop service requests: 5" in capsys.readouterr().out
    station = Workstation.objects.get()
    assert "大芬" in station.name and station.staff.filter(username="demo-mediation_admin").exists()
    assert sorted(ServiceRequest.objects.values_list("status", flat=True)) == [
        "closed",
        "in_progress",
        "new",
        "referred",
        "referred",
    ]
    referral = ServiceRequest.objects.get(type="mediation_referral")
    assert referral.case.source == "workstation" and referral.case.referring_body == station.name
    helped = ServiceRequest.objects.get(type="registration_assist", status="referred")
    assert helped.draft.status == "draft" and helped.draft.applicant == helped.requester
    assert ServiceRequest.objects.get(status="closed").rating == 5
    assert TrainingEvent.objects.get().taken == 1
