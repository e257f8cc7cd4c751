from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_POST

from artrights.accounts import selectors
from artrights.accounts.access import get_visible_or_404
from artrights.accounts.models import ApiToken, TokenScope, User
from artrights.accounts.services import issue_token, mark_all_read, mark_read, revoke_token, update_settings
from artrights.core import notifying, sms
from artrights.core.messages import error_messages, form_error_messages
from artrights.core.models import AuditEvent
from artrights.licensing import selectors as licensing

from .dashboards import ROLE_CARDS
from .forms import AccountSettingsForm

INBOX_PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def guide(request: HttpRequest) -> HttpResponse:
    """办事指南: materials, time limits (the platform's own settings), fees, FAQ and contact, for everyone."""
    return render(
        request,
        "portal/guide.html",
        {
            "registry_name": settings.ARTRIGHTS_REGISTRY_NAME,
            "review_days": settings.ARTRIGHTS_REVIEW_WORKING_DAYS,
            "correction_days": settings.ARTRIGHTS_CORRECTION_DAYS,
            "contact": {
                "address": settings.ARTRIGHTS_CONTACT_ADDRESS,
                "phone": settings.ARTRIGHTS_CONTACT_PHONE,
                "email": settings.ARTRIGHTS_CONTACT_EMAIL,
            },
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    recent = AuditEvent.objects.filter(actor=user)[:10]
    return render(
        request,
        "portal/dashboard.html",
        {
            "cards": ROLE_CARDS.get(user.role, []),
            "recent": recent,
            # What waits on the user's answer comes before the cards; the contract page is where they answer.
            "proposals_to_answer": licensing.termination_proposals_to_answer(user),
            "proposals_made": licensing.termination_proposals_made(user),
        },
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


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.inbox_of(request.user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Opening a notification marks it read and goes where the recipient acts on it (the inbox if nowhere)."""
    notification = get_visible_or_404(request.user, selectors.inbox_of(request.user), pk=notification_id)
    mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("portal:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(user=request.user)
    text = ngettext("已将 %(count)d 条消息标为已读。", "已将 %(count)d 条消息标为已读。", count)
    messages.success(request, text % {"count": count})
    return redirect("portal:inbox")


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    optional = [kind.key for kind in notifying.declared() if not kind.essential]
    form = AccountSettingsForm(
        request.POST or None,
        initial={"language": user.language, "copies": [key for key in optional if user.wants_copies_of(key)]},
    )
    if request.method == "POST" and not form.is_valid():
        for message in form_error_messages(form):
            messages.error(request, message)
    elif request.method == "POST":
        try:
            update_settings(
                user=user, target=user, language=form.cleaned_data["language"], muted_kinds=form.muted_kinds()
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            translation.activate(user.language)  # the confirmation and the next page in the chosen language
            messages.success(request, _("设置已保存。"))
            return _remember_language(redirect("portal:account_settings"), user.language)
    essential = [kind for kind in notifying.declared() if kind.essential]
    return render(
        request,
        "portal/account_settings.html",
        {"form": form, "essential": essential, "sms_enabled": sms.configured()},
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch (Django's), which also becomes a signed-in user's language for e-mail and SMS."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        update_settings(user=request.user, target=request.user, language=language)
    return response


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Set the language cookie as Django's language switch does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# Error pages (handler403/404/500 in artrights/urls.py): the site's layout in the visitor's language with a way
# back; under /api/ the same answers as JSON, as the API's own errors are.
def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _way_back(request: HttpRequest) -> str | None:
    """The page the visitor came from on this site, if any (never an address on another host)."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    if not referer or urlsplit(referer).path == request.path:  # "back" to this very page would go nowhere
        return None
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return None


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = error_messages(exception)[0] if isinstance(exception, PermissionDenied) and str(exception) else ""
    if _is_api(request):
        return JsonResponse({"detail": detail or _("您没有权限执行此操作。")}, status=403)
    return render(request, "403.html", {"detail": detail, "back": _way_back(request)}, status=403)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The exception's text is never shown: "no such work" and "someone else's work" must read the same.
    if _is_api(request):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return render(request, "404.html", {"back": _way_back(request)}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A request Django refuses (an unknown Host, a malformed or suspicious request): the reason is never shown,
    # and, as for a server error, the page is rendered without the request, whose parts may be what is wrong.
    if _is_api(request):
        return JsonResponse({"detail": _("请求无效。")}, status=400)
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("服务器内部错误，请稍后再试。")}, status=500)
    # Rendered without the request's context processors: whatever failed (the database, a session) may fail again.
    return HttpResponseServerError(loader.render_to_string("500.html"))


# --- public statistics ----------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    from .statistics import this_year

    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return this_year()
    return year if 2000 <= year <= this_year() else this_year()


def statistics(request: HttpRequest) -> HttpResponse:
    """The registry's public statistics: every series of a year by month, drawn here as SVG, each with its table."""
    from django.utils.dates import MONTHS_AP

    from .charts import bar_chart, bar_chart_narrow
    from .statistics import categorical, yearly, years_shown

    year = _year(request)
    # Month names in the reader's language (一月 / Jan.): a bare 1-12 reads as a count beside the counts.
    months = [str(MONTHS_AP[m]) for m in range(1, 13)]
    panels = []
    for found in [*yearly(year), *categorical(year)]:
        labels = months if found.months else [c for c, _n in found.categories]
        values = list(found.months) if found.months else [n for _c, n in found.categories]
        chart = ""
        if found.available and values:  # the stylesheet shows the columns on a wide screen, the bars on a phone
            title = str(found.label)
            chart = bar_chart(labels, values, title=title) + bar_chart_narrow(labels, values, title=title)
        panels.append({"series": found, "chart": chart, "rows": list(zip(labels, values, strict=True))})
    context = {
        "year": year,
        "years": years_shown(),
        "panels": panels,
        "cache_minutes": max(settings.ARTRIGHTS_STATISTICS_CACHE_SECONDS // 60, 1),
    }
    return render(request, "portal/statistics.html", context)


def statistics_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One series as CSV (an absent capability exports its absence, not zeros)."""
    import csv
    import io

    from .statistics import series

    year = _year(request)
    found = series(year, key)
    if found is None:
        from django.http import Http404

        raise Http404
    out = io.StringIO()
    writer = csv.writer(out)
    if not found.available:
        writer.writerow(["series", "year", "status"])
        writer.writerow([found.key, year, "absent"])
    elif found.months:
        writer.writerow(["series", "year", "month", "count"])
        writer.writerows([found.key, year, m, n] for m, n in zip(range(1, 13), found.months, strict=True))
    else:
        writer.writerow(["series", "year", "category", "count"])
        writer.writerows([found.key, year, c, n] for c, n in found.categories)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.key}-{year}.csv"'
    return response


def yearly_report(request: HttpRequest, year: int) -> HttpResponse:
    """The year laid out like the founding document's figures: the headline counts first, then every series."""
    from .statistics import HEADLINE, this_year, yearly

    if not 2000 <= year <= this_year():
        from django.http import Http404

        raise Http404
    found = yearly(year)
    headline = [s for key in HEADLINE for s in found if s.key == key]
    others = [s for s in found if s.key not in HEADLINE]
    return render(request, "portal/yearly_report.html", {"year": year, "headline": headline, "others": others})
