from django.contrib import admin

from .models import AuditEvent, CalendarOverride, Party, StoredFile


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "id_type", "id_number", "organisation", "created_at"]
    list_filter = ["kind", "id_type"]
    search_fields = ["name", "id_number"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "ip_address",
        "via",
    ]
    list_filter = ["action", "object_type", "via"]
    search_fields = ["actor_label", "object_id", "object_repr", "ip_address"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "size", "sha256", "owner", "uploaded_at"]
    search_fields = ["original_name", "sha256"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_workday", "note"]
