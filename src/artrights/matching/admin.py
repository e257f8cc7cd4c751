"""The back office for copy detection: reports and fingerprints are records, read-only; watched pages can be
paused by an administrator."""

from __future__ import annotations

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import MatchReport, MonitorHit, ReferenceFingerprint, UrlCheck, WatchedPage


@admin.register(MatchReport)
class MatchReportAdmin(ReadOnlyAdmin[MatchReport]):
    list_display = ["id", "created_at", "requester", "source_url", "evidence_log_index"]
    list_filter = ["created_at"]
    search_fields = ["source_url", "query_file__sha256"]
    date_hierarchy = "created_at"


@admin.register(ReferenceFingerprint)
class ReferenceFingerprintAdmin(ReadOnlyAdmin[ReferenceFingerprint]):
    list_display = ["id", "work", "engine", "vocab_version", "active", "created_at", "deactivated_at"]
    list_filter = ["active", "engine"]
    exclude = ["data"]


@admin.register(WatchedPage)
class WatchedPageAdmin(admin.ModelAdmin[WatchedPage]):
    list_display = ["url", "owner", "interval_minutes", "active", "last_checked_at"]
    list_filter = ["active"]
    search_fields = ["url"]
    readonly_fields = ["owner", "url", "created_at", "last_checked_at"]


@admin.register(MonitorHit)
class MonitorHitAdmin(ReadOnlyAdmin[MonitorHit]):
    list_display = ["first_seen_at", "page", "image_url", "work", "score"]


@admin.register(UrlCheck)
class UrlCheckAdmin(ReadOnlyAdmin[UrlCheck]):
    list_display = ["id", "created_at", "requester", "url", "status", "reason", "report"]
    list_filter = ["status", "reason"]
    search_fields = ["url"]
