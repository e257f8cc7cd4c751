from django.contrib import admin

from .models import ExternalTimestamp


@admin.register(ExternalTimestamp)
class ExternalTimestampAdmin(admin.ModelAdmin[ExternalTimestamp]):
    list_display = ["digest", "url", "gen_time", "created_at"]
    search_fields = ["digest"]
    readonly_fields = ["digest", "url", "response", "gen_time", "created_at"]
