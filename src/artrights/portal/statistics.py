"""What the registry did in a year, counted from every app's own tables: the public statistics dashboard, its CSV
exports and the yearly report (page and ``artrights report YEAR``).

A capability whose app is not installed on a platform is *absent*, never 0: its series says so and
the pages show "—" with a note. Counts are per calendar month of the year, in the platform's time zone; each is
one scan of the year's rows with twelve range counts; a year's counts are reused for
``ARTRIGHTS_STATISTICS_CACHE_SECONDS`` (the pages say so), so a million registrations are counted once per period,
not once per visitor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MONTHS = list(range(1, 13))


@dataclass(frozen=True)
class Series:
    """One counted thing: by month (``months``, 12 counts) or by category (``categories``); absent when its app
    does not exist on this platform."""

    key: str
    label: Promise
    available: bool
    months: tuple[int, ...] = ()
    categories: tuple[tuple[str, int], ...] = ()

    @property
    def total(self) -> int | None:
        if not self.available:
            return None
        return sum(self.months) if self.months else sum(n for _c, n in self.categories)


def _bounds(year: int, *, dates: bool) -> list[dt.date] | list[dt.datetime]:
    """The first moments of the year's months and of the next year, in the platform's time zone."""
    if dates:
        return [dt.date(year, m, 1) for m in MONTHS] + [dt.date(year + 1, 1, 1)]
    zone = timezone.get_current_timezone()
    return [dt.datetime(year, m, 1, tzinfo=zone) for m in MONTHS] + [dt.datetime(year + 1, 1, 1, tzinfo=zone)]


def _by_month(queryset: QuerySet[Any], field: str, year: int) -> tuple[int, ...]:
    """Twelve counts in one scan of the year's rows: plain range comparisons the database does itself (no date
    function per row, which SQLite would call back into Python for)."""
    dates = not isinstance(queryset.model._meta.get_field(field), models.DateTimeField)
    bounds = _bounds(year, dates=dates)
    counts = {
        f"m{m}": Count("pk", filter=Q(**{f"{field}__gte": bounds[m - 1], f"{field}__lt": bounds[m]})) for m in MONTHS
    }
    found = queryset.filter(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[-1]}).aggregate(**counts)
    return tuple(int(found[f"m{m}"] or 0) for m in MONTHS)


def _installed(app: str) -> bool:
    return apps.is_installed(f"artrights.{app}")


def _monthly(key: str, label: Promise, app: str, build: Callable[[], tuple[QuerySet[Any], str]], year: int) -> Series:
    if not _installed(app):
        return Series(key, label, available=False)
    queryset, field = build()
    months = cache.get_or_set(
        f"artrights:statistics:{key}:{year}",
        lambda: _by_month(queryset, field, year),
        settings.ARTRIGHTS_STATISTICS_CACHE_SECONDS,
    )
    return Series(key, label, available=True, months=tuple(months or ()))


def _works(kind: str) -> Callable[[], tuple[QuerySet[Any], str]]:
    def build() -> tuple[QuerySet[Any], str]:
        from artrights.registry.models import Work

        return Work.objects.filter(kind=kind, registered_at__isnull=False), "registered_at"

    return build


def _model(label: str, field: str, **filters: object) -> Callable[[], tuple[QuerySet[Any], str]]:
    def build() -> tuple[QuerySet[Any], str]:
        model = apps.get_model(label)
        return model._default_manager.filter(**filters), field

    return build


def yearly(year: int) -> list[Series]:
    """Every monthly series of ``year``, in the order the dashboard shows them."""
    return [
        _monthly("registrations", _("作品登记"), "registry", _works("registration"), year),
        _monthly("software", _("计算机软件登记"), "registry", _works("software"), year),
        _monthly("digital_filings", _("数字作品备案"), "registry", _works("digital_filing"), year),
        _monthly("contract_filings", _("合同备案"), "registry", _model("registry.ContractFiling", "filed_at"), year),
        _monthly("pledges", _("质权登记"), "registry", _model("registry.Pledge", "registered_at"), year),
        _monthly(
            "evidence",
            _("电子证据固化"),
            "evidence",
            _model("evidence.EvidenceRecord", "sealed_at", sealed_at__isnull=False),
            year,
        ),
        _monthly(
            "mediation_cases", _("调解案件（受理申请）"), "mediation", _model("mediation.Case", "applied_on"), year
        ),
        _monthly(
            "credit_records",
            _("信用记录"),
            "credit",
            _model("credit.CreditRecord", "published_on", published_on__isnull=False),
            year,
        ),
        _monthly(
            "credit_listings",
            _("列入信用名单（次）"),
            "credit",
            _model("credit.ListEntry", "listed_on", listed_on__isnull=False),
            year,
        ),
        _monthly(
            "inspections",
            _("双随机抽查（抽取）"),
            "inspections",
            _model("inspections.Draw", "drawn_at", drawn_at__isnull=False),
            year,
        ),
        _monthly(
            "inspection_results",
            _("抽查结果公示"),
            "inspections",
            _model("inspections.Result", "published_at", published_at__isnull=False),
            year,
        ),
        _monthly(
            "licences",
            _("许可合同备案"),
            "licensing",
            _model("licensing.Contract", "filed_at", kind="licence", filed_at__isnull=False),
            year,
        ),
        _monthly(
            "trades",
            _("交易成交"),
            "licensing",
            _model("licensing.Trade", "settled_on", settled_on__isnull=False),
            year,
        ),
        _monthly("subsidies", _("资助拨付（笔）"), "funding", _model("funding.Payment", "paid_on"), year),
    ]


def registrations_by_type(year: int) -> Series:
    """Work registrations and digital filings of ``year`` by work type (DOMAIN.md §1.2)."""
    from artrights.registry.models import Work, WorkType

    labels = dict(WorkType.choices)
    bounds = _bounds(year, dates=False)

    def count() -> list[tuple[str, int]]:
        rows = (
            Work.objects.filter(
                registered_at__gte=bounds[0], registered_at__lt=bounds[-1], kind__in=["registration", "digital_filing"]
            )
            .values("work_type")
            .annotate(n=Count("pk"))
            .order_by("-n", "work_type")
        )
        return [(r["work_type"], r["n"]) for r in rows]

    rows = cache.get_or_set(f"artrights:statistics:by_type:{year}", count, settings.ARTRIGHTS_STATISTICS_CACHE_SECONDS)
    return Series(
        "by_type",
        _("作品登记和数字作品备案（按作品类别）"),
        available=True,
        categories=tuple((str(labels.get(code, code)), n) for code, n in rows or []),
    )


# Mediation cases that ended in the year, by outcome and by how long they took (DOMAIN.md §5): the states a case
# rests in once the mediation itself is over, and working-time buckets in calendar days from application.
DURATION_BUCKETS = ((15, _("15 日以内")), (30, _("16–30 日")), (60, _("31–60 日")), (None, _("60 日以上")))


def _ended_cases(year: int) -> QuerySet[Any]:
    from artrights.mediation.models import Case

    return Case.objects.filter(ended_on__gte=dt.date(year, 1, 1), ended_on__lt=dt.date(year + 1, 1, 1))


def mediation_by_outcome(year: int) -> Series:
    if not _installed("mediation"):
        return Series("mediation_outcomes", _("调解案件（按结果）"), available=False)
    from artrights.mediation.models import CaseStatus

    labels = dict(CaseStatus.choices)

    def count() -> list[tuple[str, int]]:
        rows = _ended_cases(year).values("status").annotate(n=Count("pk")).order_by("-n", "status")
        return [(r["status"], r["n"]) for r in rows]

    rows = cache.get_or_set(
        f"artrights:statistics:mediation_outcomes:{year}", count, settings.ARTRIGHTS_STATISTICS_CACHE_SECONDS
    )
    return Series(
        "mediation_outcomes",
        _("调解案件（按结果，当年结束的）"),
        available=True,
        categories=tuple((str(labels.get(code, code)), n) for code, n in rows or []),
    )


def mediation_by_duration(year: int) -> Series:
    if not _installed("mediation"):
        return Series("mediation_durations", _("调解案件（按办理天数）"), available=False)

    def count() -> list[int]:
        counts = [0] * len(DURATION_BUCKETS)
        for applied, ended in _ended_cases(year).values_list("applied_on", "ended_on"):
            days = (ended - applied).days
            index = next(i for i, (limit, _label) in enumerate(DURATION_BUCKETS) if limit is None or days <= limit)
            counts[index] += 1
        return counts

    counts = cache.get_or_set(
        f"artrights:statistics:mediation_durations:{year}", count, settings.ARTRIGHTS_STATISTICS_CACHE_SECONDS
    )
    return Series(
        "mediation_durations",
        _("调解案件（按办理天数，自申请至结束）"),
        available=True,
        categories=tuple((str(label), n) for (_limit, label), n in zip(DURATION_BUCKETS, counts or [], strict=False)),
    )


def categorical(year: int) -> list[Series]:
    """The series counted by category rather than by month."""
    return [registrations_by_type(year), mediation_by_outcome(year), mediation_by_duration(year)]


def series(year: int, key: str) -> Series | None:
    return next((s for s in [*yearly(year), *categorical(year)] if s.key == key), None)


# The founding document's figures (2020): what the yearly report lists first, in its order.
HEADLINE = ("registrations", "software", "evidence", "digital_filings")


def this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def years_shown(today: dt.date | None = None) -> list[int]:
    from django.utils import timezone

    now = (today or timezone.localdate()).year
    return list(range(now, now - 6, -1))
