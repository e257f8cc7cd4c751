"""Data migrations keep what was recorded before them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_uscc_validator"), ("core", "0002_audit_append_only")]
AFTER = [("accounts", "0003_organisation_party"), ("core", "0003_remove_party_organisation")]


@pytest.mark.django_db(transaction=True)
def test_an_organisations_party_survives_the_move_of_the_link_to_accounts():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organisation = old.get_model("accounts", "Organisation").objects.create(
        kind="agency", name="深圳市示例版权代理有限公司", uscc="91440300MA5D7K0157"
    )
    party = old.get_model("core", "Party").objects.create(
        kind="organisation",
        name="深圳市示例版权代理有限公司",
        id_type="uscc",
        id_number="91440300MA5D7K0157",
        organisation_id=organisation.pk,
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        assert new.get_model("accounts", "Organisation").objects.get(pk=organisation.pk).party_id == party.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
