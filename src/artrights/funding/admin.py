from __future__ import annotations

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import Application, CreditCheck, Item, Payment, Programme

# Programmes are set up on the fund's own pages (the service checks them); applications, decisions, payments and
# credit checks are what the fund answers for: read-only here.


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin[Programme]):
    list_display = ["code", "name", "amount_rule", "budget", "opens_on", "closes_on", "department"]
    search_fields = ["code", "name"]


class ItemInline(admin.TabularInline[Item, Application]):
    model = Item
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "key", "reference", "dated", "fee", "claimed", "approved", "note", "claim"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin[Application]):
    list_display = ["number", "programme", "applicant", "status", "claimed_total", "approved_total", "review_due"]
    list_filter = ["status", "programme"]
    search_fields = ["number", "applicant__name"]
    inlines = [ItemInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin[Payment]):
    list_display = ["application", "amount", "paid_on", "voucher_no", "recorded_by"]
    search_fields = ["voucher_no", "application__number"]


@admin.register(CreditCheck)
class CreditCheckAdmin(ReadOnlyAdmin[CreditCheck]):
    list_display = ["at", "programme", "applicant", "stage", "blocked"]
    list_filter = ["blocked", "stage"]
