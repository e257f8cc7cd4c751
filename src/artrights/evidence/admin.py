from __future__ import annotations

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import CustodyEvent, EvidenceArtifact, EvidenceRecord

# Evidence is never edited or deleted in the back office: it is what a court relies on.


@admin.register(EvidenceRecord)
class EvidenceRecordAdmin(ReadOnlyAdmin[EvidenceRecord]):
    list_display = ["number", "kind", "status", "requester_name", "source_url", "log_index", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "source_url", "manifest_sha256", "requester_name"]


@admin.register(EvidenceArtifact)
class EvidenceArtifactAdmin(ReadOnlyAdmin[EvidenceArtifact]):
    list_display = ["record", "path", "mime", "size", "sha256"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin[CustodyEvent]):
    list_display = ["record", "seq", "at", "actor_name", "action"]
