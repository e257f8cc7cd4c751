from __future__ import annotations

import datetime as dt
from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema, Status

from . import selectors
from .access import get_visible_or_404
from .models import ApiToken, User
from .services import issue_token, revoke_token

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
