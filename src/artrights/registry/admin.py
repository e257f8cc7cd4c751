"""The registry's back office. Works, certificates, filings, pledges and screening findings change only through
the registry's services (access checked, audited and written to the public log), so here they are read-only: an
administrator who could edit or delete a registered work would bypass change, revocation and the log."""

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import (
    Certificate,
    ClassLetter,
    ContractFiling,
    Correction,
    DuplicateWarning,
    Pledge,
    PledgeConsent,
    RegistryDocument,
    Work,
)


@admin.register(ClassLetter)
class ClassLetterAdmin(admin.ModelAdmin[ClassLetter]):
    """Configuration, not a record: the registry's class letters are set here."""

    list_display = ["work_type", "letter", "verified"]


@admin.register(Work)
class WorkAdmin(ReadOnlyAdmin[Work]):
    list_display = ["number", "flow_number", "title", "kind", "work_type", "status", "applicant", "registered_at"]
    list_filter = ["kind", "status", "work_type"]
    search_fields = ["number", "flow_number", "title"]
    exclude = ["commitment_salts"]  # the openings of the owner's commitments: personal data, not for browsing


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin[Certificate]):
    list_display = ["work", "serial", "issued_at", "reason"]
    exclude = ["bundle"]


@admin.register(ContractFiling)
class ContractFilingAdmin(ReadOnlyAdmin[ContractFiling]):
    list_display = ["number", "contract_type", "assignor", "assignee", "valid_from", "valid_until", "filed_at"]
    exclude = ["commitment_salts"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin[Pledge]):
    list_display = ["number", "status", "pledgor", "pledgee", "secured_amount", "registered_at"]
    exclude = ["commitment_salts"]


@admin.register(PledgeConsent)
class PledgeConsentAdmin(ReadOnlyAdmin[PledgeConsent]):
    list_display = ["pledge", "contract_type", "assignee", "granted_by", "granted_at"]


@admin.register(DuplicateWarning)
class DuplicateWarningAdmin(ReadOnlyAdmin[DuplicateWarning]):
    list_display = ["work", "earlier", "method", "score", "same_owner", "stage", "resolution", "resolved_by"]
    list_filter = ["method", "same_owner", "resolution"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin[Correction]):
    list_display = ["work", "round", "requested_at", "due", "answered_at"]


@admin.register(RegistryDocument)
class RegistryDocumentAdmin(ReadOnlyAdmin[RegistryDocument]):
    """Signed documents the registry issued: evidence, never edited (a new one would be a new issue)."""

    list_display = ["number", "kind", "work", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["number", "work__title", "work__flow_number"]
