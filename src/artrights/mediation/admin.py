"""The back office for mediation: the roster, cases and what they produced (signatures and answers read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Agreement, Case, Conflict, CreditReferral, JudicialConfirmation, Mediator, Signature


@admin.register(Mediator)
class MediatorAdmin(admin.ModelAdmin[Mediator]):
    list_display = ("name", "organisation", "status", "level")
    list_filter = ("status", "organisation")
    search_fields = ("name",)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = ("number", "source", "status", "mediator", "applied_on", "mediation_due")
    list_filter = ("status", "source")
    search_fields = ("number",)
    readonly_fields = ("number", "status", "source")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ("number", "case", "status", "version", "effective_at")
    readonly_fields = ("sha256", "log_index", "pdf_sha256", "content_json")


class ReadOnly(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Signature, ReadOnly)
admin.site.register(Conflict, ReadOnly)
admin.site.register(JudicialConfirmation)
admin.site.register(CreditReferral)
