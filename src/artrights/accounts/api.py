"""The accounts API, and how every API request is authenticated: a session (CSRF-checked) or a bearer token that
carries the scope the operation needs."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import HttpBearer, SessionAuth

from artrights.core.middleware import client_ip
from artrights.core.models import Notification

from . import selectors
from .access import get_visible_or_404
from .models import ApiToken, TokenScope, User
from .services import authenticate_token, issue_token, mark_all_read, mark_read, revoke_token

READING_METHODS = ("GET", "HEAD", "OPTIONS")


class BearerToken(HttpBearer):
    """A bearer token reaches an operation only with the scope the operation needs: the one the route declares
    (``auth=token_or_session(TokenScope.CREDIT_QUERY)``), otherwise ``read`` to read and ``write`` to change
    anything (``write`` includes ``read``). This is the one place token scopes are checked; an operation that
    declares nothing is still closed to a token without ``read``."""

    def __init__(self, scope: str | None = None) -> None:
        super().__init__()
        self.scope = scope

    def needed_scope(self, request: HttpRequest) -> str:
        if self.scope is not None:
            return self.scope
        return TokenScope.READ if request.method in READING_METHODS else TokenScope.WRITE

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = authenticate_token(token, ip=client_ip(request))
        if found is None:
            return None
        needed = self.needed_scope(request)
        if not found.allows(needed):
            if needed == TokenScope.WRITE:
                raise PermissionDenied(_("此令牌没有写入权限。"))
            raise PermissionDenied(_("此令牌缺少权限范围：%(scope)s") % {"scope": needed})
        request.user = found.user
        return found


def token_or_session(scope: str | None = None) -> list[Any]:
    """The authentication of an API operation: a token with ``scope`` (see :class:`BearerToken`) or a session,
    which the access rules alone govern. Routes that need a finer scope than read/write pass this as ``auth``."""
    return [BearerToken(scope), SessionAuth()]


def token_of(request: HttpRequest) -> ApiToken | None:
    """The token the request came with, or None for a browser session."""
    auth: Any = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    role_label: str
    organisation: str | None


class TokenIn(Schema):
    name: str
    scopes: list[str]
    expires_at: dt.datetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    parent_id: int | None = Field(description="The token that minted this one (revoking it revokes this one)")


class NewTokenOut(TokenOut):
    token: str


@router.get("/me", response=MeOut, summary="The current user")
def me(request: HttpRequest) -> MeOut:
    user = cast(User, request.user)
    return MeOut(
        username=user.username,
        display_name=str(user),
        role=user.role,
        role_label=str(user.get_role_display()),
        organisation=str(user.organisation) if user.organisation else None,
    )


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(selectors.tokens_of(request.user))


@router.post(
    "/tokens",
    response={201: NewTokenOut},
    summary="Create an API token (the value is shown once)",
    description="Made with a token, the new token holds only scopes that token holds, expires no later than it, "
    "and is revoked with it.",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[NewTokenOut]:
    token, raw = issue_token(
        user=request.user,
        name=payload.name,
        scopes=payload.scopes,
        expires_at=payload.expires_at,
        parent=token_of(request),
    )
    return Status(201, NewTokenOut(token=raw, **TokenOut.from_orm(token).dict()))


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke an API token and the tokens it made")
def revoke(request: HttpRequest, token_id: int) -> ApiToken:
    token = get_visible_or_404(request.user, ApiToken, pk=token_id)
    return revoke_token(user=request.user, token=token)


class NotificationOut(Schema):
    id: int
    kind: str
    title: str = Field(description="In the request's language (Accept-Language or the language cookie)")
    body: str
    url: str = Field(description="Path on this site where the recipient acts on it; empty when there is none")
    object_type: str
    object_id: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    count: int = Field(description="How many notifications match the filter")
    unread: int = Field(description="How many of the user's notifications are unread")


class NotificationFilter(Schema):
    unread: bool = Field(False, description="Only the unread ones")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=NotificationPage, summary="My notifications, newest first")
def list_notifications(request: HttpRequest, filters: Query[NotificationFilter]) -> NotificationPage:
    rows = selectors.inbox_of(request.user)
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    page = rows[filters.offset : filters.offset + filters.limit]
    return NotificationPage(
        items=[NotificationOut.from_orm(n) for n in page],
        count=rows.count(),
        unread=selectors.unread_count(request.user),
    )


@router.post("/notifications/read-all", response=MarkedOut, summary="Mark all my notifications read")
def read_all(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=mark_all_read(user=request.user))


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="Mark a notification read")
def read_one(request: HttpRequest, notification_id: int) -> Notification:
    notification = get_visible_or_404(request.user, selectors.inbox_of(request.user), pk=notification_id)
    return mark_read(user=request.user, notification=notification)
