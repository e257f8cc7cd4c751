"""Access rules for accounts: users see themselves, members their organisation, and each user their own tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .access import rule, visible
from .models import ApiToken, Organisation, User


@rule(User, "view")
def _view_user(user: Any, obj: User) -> bool:
    return bool(obj.pk == user.pk)


@rule(Organisation, "view")
def _view_org(user: Any, obj: Organisation) -> bool:
    return bool(user.organisation_id == obj.pk)


@rule(ApiToken, "issue")
def _issue_token(user: Any, obj: None) -> bool:
    return True


@rule(ApiToken, "revoke")
def _revoke_token(user: Any, obj: ApiToken) -> bool:
    return bool(obj.user_id == user.pk)


@visible(ApiToken)
def _own_tokens(user: Any, qs: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    return qs.filter(user=user)


@visible(Organisation)
def _own_org(user: Any, qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.filter(pk=user.organisation_id)
