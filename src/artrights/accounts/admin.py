from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "display_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation"]
    # Written by signing in and by creating the account; the form would send them back to the second, and the
    # audit row of a role change would show them changed too.
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("平台角色"), {"fields": ("role", "organisation", "display_name", "phone", "verified_phone")}),
        (_("通知"), {"fields": ("language", "muted_kinds")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "uscc", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "uscc"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash", "created_at", "last_used_at", "last_used_ip", "parent"]
