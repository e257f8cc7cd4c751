from django.contrib import admin
from django.http import HttpRequest

from artrights.core.admin import ReadOnlyAdmin

from .models import Checkpoint, Cosignature, LogEntry, LogHead, Witness

# The log is written only by its services; the back office may look, never touch.


@admin.register(LogHead)
class LogHeadAdmin(ReadOnlyAdmin[LogHead]):
    list_display = ["size", "updated_at"]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin[LogEntry]):
    list_display = ["index", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["=index"]


class CosignatureInline(admin.TabularInline[Cosignature, Checkpoint]):
    model = Cosignature
    fields = ["witness", "line", "created_at"]
    readonly_fields = ["witness", "line", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Checkpoint | None = None) -> bool:
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin[Checkpoint]):
    list_display = ["seq", "size", "created_at"]
    readonly_fields = ["seq", "size", "note", "key", "created_at"]
    exclude = ["root_hash", "timestamp_token"]
    inlines = [CosignatureInline]


@admin.register(Witness)
class WitnessAdmin(admin.ModelAdmin[Witness]):
    list_display = ["name", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "vkey"]

    def has_delete_permission(self, request: HttpRequest, obj: Witness | None = None) -> bool:
        # Cosignatures point at their witness; retire a witness by deactivating it.
        return False
