from __future__ import annotations

import datetime as dt
from typing import cast

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from artrights.core.models import Notification

from . import selectors
from .access import get_visible_or_404
from .models import ApiToken, User
from .services import issue_token, mark_all_read, mark_read, revoke_token

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


@router.post("/tokens", response={201: NewTokenOut}, summary="Create an API token (the value is shown once)")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[NewTokenOut]:
    token, raw = issue_token(user=request.user, name=payload.name, scopes=payload.scopes, expires_at=payload.expires_at)
    return Status(201, NewTokenOut(token=raw, **TokenOut.from_orm(token).dict()))


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke an API token")
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
