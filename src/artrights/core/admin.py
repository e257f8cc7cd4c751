"""The back office for core, and the read-only admin every app uses for records that serve as evidence."""

from typing import TypeVar

from django.contrib import admin
from django.db.models import Model, URLField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, CalendarOverride, Delivery, Notification, Party, StoredFile

_M = TypeVar("_M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    """Rows written only by services (logs, reports, fingerprints): the back office may look, never touch."""

    # Django 6 reads a scheme-less URL as https; say so now rather than rely on the changing default.
    formfield_overrides = {URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin[Party]):
    list_display = ["name", "kind", "id_type", "id_number", "organisation", "created_at"]
    list_filter = ["kind", "id_type"]
    search_fields = ["name", "id_number"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    list_display = [
        "seq",
        "at",
        "actor_label",
        "action_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "ip_address",
        "via",
    ]
    list_filter = ["action", "object_type", "via"]
    search_fields = ["actor_label", "object_id", "object_repr", "ip_address", "=seq"]
    date_hierarchy = "at"
    ordering = ["-seq"]

    @admin.display(description=_("操作名称"), ordering="action")
    def action_name(self, event: AuditEvent) -> str:
        return event.action_label


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin[StoredFile]):
    list_display = ["original_name", "size", "sha256", "owner", "uploaded_at"]
    search_fields = ["original_name", "sha256"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ["day", "is_workday", "note"]


_DELIVERY_FIELDS = ("channel", "status", "address", "attempts", "sent_at", "error")
_NOTIFICATION_FIELDS = (
    *("recipient", "kind", "title", "body", "params"),
    *("object_type", "object_id", "url", "created_at", "read_at"),
)


class DeliveryInline(admin.TabularInline[Delivery, Notification]):
    model = Delivery
    extra = 0
    can_delete = False
    fields = _DELIVERY_FIELDS
    readonly_fields = _DELIVERY_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    """What each user was told, when they read it, and whether the e-mail and SMS copies went out."""

    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind", "deliveries__status"]
    search_fields = ["recipient__username", "kind", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    fields = _NOTIFICATION_FIELDS
    readonly_fields = _NOTIFICATION_FIELDS
    inlines = [DeliveryInline]
