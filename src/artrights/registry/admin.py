from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import (
    Certificate,
    ClassLetter,
    ContractFiling,
    DuplicateWarning,
    Pledge,
    PledgeConsent,
    RegistryDocument,
    Work,
)


@admin.register(ClassLetter)
class ClassLetterAdmin(admin.ModelAdmin[ClassLetter]):
    list_display = ["work_type", "letter", "verified"]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin[Work]):
    list_display = ["number", "flow_number", "title", "kind", "work_type", "status", "applicant", "registered_at"]
    list_filter = ["kind", "status", "work_type"]
    search_fields = ["number", "flow_number", "title"]
    # Status, numbers and the log link change only through the registry services (audited and logged).
    readonly_fields = [
        "status",
        "number",
        "flow_number",
        "log_index",
        "version",
        "registered_at",
        "commitment_salts",
        "decided_by",
        "decided_at",
    ]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin[Certificate]):
    list_display = ["work", "serial", "issued_at", "reason"]
    readonly_fields = ["work", "serial", "pdf", "bundle", "credentialed_image", "issued_at", "reason"]


@admin.register(ContractFiling)
class ContractFilingAdmin(admin.ModelAdmin[ContractFiling]):
    list_display = ["number", "contract_type", "assignor", "assignee", "valid_from", "valid_until", "filed_at"]
    readonly_fields = ["number", "log_index", "commitment_salts"]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin[Pledge]):
    list_display = ["number", "status", "pledgor", "pledgee", "secured_amount", "registered_at"]
    readonly_fields = ["number", "status", "log_index", "commitment_salts", "cancelled_at"]


admin.site.register(PledgeConsent)
admin.site.register(DuplicateWarning)


@admin.register(RegistryDocument)
class RegistryDocumentAdmin(ReadOnlyAdmin[RegistryDocument]):
    """Signed documents the registry issued: evidence, never edited (a new one would be a new issue)."""

    list_display = ["number", "kind", "work", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["number", "work__title", "work__flow_number"]
