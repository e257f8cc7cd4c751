"""Access rules for accounts: users see themselves, members their organisation, and each user their own tokens,
settings and notifications (the inbox is core's model; its rules live here, the lowest app with an access helper)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from artrights.core.models import Notification

from .access import rule, visible
from .models import ApiToken, Organisation, User


@rule(User, "view")
def _view_user(user: Any, obj: User) -> bool:
    return bool(obj.pk == user.pk)


@rule(User, "change_settings")
def _change_own_settings(user: Any, obj: User) -> bool:
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


@rule(Notification, "mark_read")
def _mark_own_notification_read(user: Any, obj: Notification) -> bool:
    return bool(obj.recipient_id == user.pk)


@visible(Notification)
def _own_notifications(user: Any, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    return qs.filter(recipient=user)
