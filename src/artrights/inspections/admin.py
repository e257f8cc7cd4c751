from __future__ import annotations

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import Assignment, Conflict, Draw, InspectionItem, Inspector, Plan, Result, Target

# The item list is configuration an administrator edits here (D1). Directories, plans, draws and results change
# only through the services, which write the public log; the back office reads them.


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin[InspectionItem]):
    list_display = ("code", "name", "pool", "method", "dept")
    search_fields = ("code", "name")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin[Target]):
    list_display = ("subject", "credit_grade", "risk_level", "pool", "sector", "last_checked")
    list_filter = ("pool", "credit_grade")


@admin.register(Inspector)
class InspectorAdmin(ReadOnlyAdmin[Inspector]):
    list_display = ("name", "dept", "qualification", "active")


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin[Conflict]):
    list_display = ("inspector", "subject", "reason", "declared_at")


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin[Plan]):
    list_display = ("number", "name", "year", "status")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin[Draw]):
    list_display = ("plan", "attempt", "status", "pool_size", "drawn_count", "commit_log_index", "draw_log_index")
    exclude = ("sealed_secret",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin[Assignment]):
    list_display = ("draw", "target", "inspector", "active", "recusal_reason")


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin[Result]):
    list_display = ("draw", "target", "outcome", "status", "publish_due", "published_at")
