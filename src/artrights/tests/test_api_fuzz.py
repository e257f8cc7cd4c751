"""Schemathesis against the platform's own OpenAPI document: generated input for every operation, as a
registrar's token and anonymously, never answered with a server error.

Bounded (a few examples per operation, a fixed seed, no example database) so that it runs on every CI build.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from artrights.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_connection():
    """Requests go through the WSGI application itself, whose request signals would close the database
    connection (and with it the test's transaction on PostgreSQL); Django's test client holds them off the same
    way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registrar_token(make_user, keep_connection):
    from artrights.accounts.services import issue_token

    user = make_user("fuzz-registrar", "registrar")
    return issue_token(user=user, name="fuzz", scopes=["read", "write"])[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_api_operation_answers_generated_input_with_a_server_error(case, registrar_token):
    for headers in ({"Authorization": f"Bearer {registrar_token}"}, {}):
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
