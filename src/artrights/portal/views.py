from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts import selectors
from artrights.accounts.access import get_visible_or_404
from artrights.accounts.models import ApiToken, TokenScope, User
from artrights.accounts.services import issue_token, revoke_token
from artrights.core.models import AuditEvent

from .dashboards import ROLE_CARDS


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    recent = AuditEvent.objects.filter(actor=user)[:10]
    return render(
        request,
        "portal/dashboard.html",
        {"cards": ROLE_CARDS.get(user.role, []), "recent": recent},
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        try:
            _token, new_token = issue_token(
                user=request.user,
                name=request.POST.get("name", ""),
                scopes=request.POST.getlist("scopes"),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return render(
        request,
        "portal/tokens.html",
        {
            "tokens": selectors.tokens_of(request.user),
            "scopes": TokenScope.choices,
            "new_token": new_token,
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_visible_or_404(request.user, ApiToken, pk=token_id)
    revoke_token(user=request.user, token=token)
    messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
    return redirect("portal:tokens")
