import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from artrights.core import audit
from artrights.core.models import AuditEvent, Party
from artrights.core.tests import factories

pytestmark = pytest.mark.django_db


def test_creating_a_party_records_who_did_it_and_from_where(registrar):
    with audit.context(actor=registrar, ip_address="203.0.113.7", via="web", request_path="/parties/"):
        party = factories.party()
    event = AuditEvent.objects.get(object_type="core.party", object_id=str(party.pk))
    assert event.action == "create"
    assert event.actor == registrar
    assert event.ip_address == "203.0.113.7"
    assert event.request_path == "/parties/"
    assert event.changes["new"]["name"] == "林画家"


def test_an_update_records_only_the_changed_fields_with_old_and_new_values(registrar):
    party = factories.party()
    party.address = "深圳市龙岗区大芬村"
    party.save()
    event = AuditEvent.objects.filter(object_type="core.party", action="update").get()
    assert event.changes == {"address": ["", "深圳市龙岗区大芬村"]}


def test_passwords_never_reach_the_audit_log(make_user):
    user = make_user("someone")
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk), action="create")
    assert event.changes["new"]["password"] == "••••"


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(registrar):
    event = audit.record("test.action", registrar)
    event.action = "forged"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_to_rewrite_an_audit_event(registrar):
    event = audit.record("test.action", registrar)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action"


def test_a_party_with_a_bad_id_number_is_refused_and_nothing_is_recorded():
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        factories.party(name="错号", id_number="110105194912310021")
    assert "第18位校验码错误" in str(err.value)
    assert not Party.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_organisation_with_a_bad_credit_code_is_refused_in_english_too(settings):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as err:
        factories.party(kind="organisation", name="Bad Co", id_type="uscc", id_number="91350100M000100Y4Z")
    assert "Check character 18 is wrong: expected '3'" in str(err.value)
    assert not Party.objects.exists()
