from __future__ import annotations

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import (
    Annotation,
    Behaviour,
    CreditRecord,
    CreditSubject,
    Evaluation,
    Indicator,
    ListEntry,
    ManualEvidence,
    Measure,
    MeasureReport,
    Objection,
    PartnerQuery,
    Principal,
    Repair,
)

# The catalogues are configuration: an administrator edits them here (S20 Art 34, the measures list, the grading
# indicators). Everything else changes only through the services, which write the public log and notify people;
# the back office reads it.


@admin.register(Behaviour)
class BehaviourAdmin(admin.ModelAdmin[Behaviour]):
    list_display = ["code", "name", "source", "default_severity", "disclosure", "share_scope", "list_type", "active"]
    list_filter = ["source", "default_severity", "list_type", "active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin[Measure]):
    list_display = ["code", "text", "domain", "implementing_dept", "bars_agency_filing", "active"]
    list_filter = ["domain", "bars_agency_filing", "active"]
    search_fields = ["code", "text", "text_en", "implementing_dept"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["code", "name", "kind", "points", "cap", "evidence_source", "window_months", "active"]
    list_filter = ["kind", "evidence_source", "active"]


@admin.register(CreditSubject)
class CreditSubjectAdmin(ReadOnlyAdmin[CreditSubject]):
    list_display = ["name", "code", "subject_type", "is_agency", "created_at"]
    list_filter = ["subject_type", "is_agency"]
    search_fields = ["name", "=code"]


@admin.register(Principal)
class PrincipalAdmin(ReadOnlyAdmin[Principal]):
    list_display = ["subject", "role", "name"]


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin[CreditRecord]):
    list_display = ["number", "subject", "behaviour", "severity", "status", "decided_on", "max_publicity_end"]
    list_filter = ["status", "severity", "disclosure"]
    search_fields = ["=number", "subject__name", "=subject__code", "decision_no"]


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin[Annotation]):
    list_display = ["record", "kind", "text", "at"]


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin[ListEntry]):
    list_display = ["number", "subject", "list_type", "status", "listed_on", "planned_exit_on"]
    list_filter = ["list_type", "status"]
    search_fields = ["=number", "subject__name", "=subject__code"]


@admin.register(MeasureReport)
class MeasureReportAdmin(ReadOnlyAdmin[MeasureReport]):
    list_display = ["entry", "measure", "department", "action", "applied_on", "at"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin[Objection]):
    list_display = ["number", "record", "ground", "status", "decision_due", "outcome"]
    list_filter = ["status", "outcome"]


@admin.register(Repair)
class RepairAdmin(ReadOnlyAdmin[Repair]):
    list_display = ["number", "record", "entry", "status", "decision_due", "approved"]
    list_filter = ["status", "approved"]


@admin.register(PartnerQuery)
class PartnerQueryAdmin(ReadOnlyAdmin[PartnerQuery]):
    list_display = ["at", "user", "department", "code_asked", "purpose", "authorisation_ref", "via"]
    list_filter = ["purpose", "via"]
    search_fields = ["=code_asked", "authorisation_ref"]
    date_hierarchy = "at"


@admin.register(ManualEvidence)
class ManualEvidenceAdmin(ReadOnlyAdmin[ManualEvidence]):
    list_display = ["subject", "indicator", "reference", "dated", "withdrawn_at"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin[Evaluation]):
    list_display = ["number", "subject", "grade", "score", "bonus", "at"]
