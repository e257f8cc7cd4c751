"""Writes for the registry, one module per capability; callers use ``registry.services.<name>``.

- ``applications``: drafts, submission, corrections, withdrawal, duplicate checks;
- ``review``: a registrar's decisions, registration, digital filing, changes, revocations, reissued certificates;
- ``filings``: contract filings and pledges of granted works;
- ``software``: computer software applications (the R11 form and the deposit built for the applicant).

Services are keyword-only, check access first (``accounts.access.require`` with the action's verb), write in one
transaction with the audit log and the public log, and leave slow work (certificates) to after the commit.
"""

from .applications import (
    CORRECTABLE_FIELDS,
    VISUAL_TYPES,
    InspectedImage,
    SampleInput,
    correct,
    create_application,
    deem_overdue_corrections,
    inspect_image,
    submit,
    withdraw,
)
from .filings import cancel_pledge, consent_to_contract, file_contract, first_owner, register_pledge
from .review import (
    CHANGEABLE_FIELDS,
    accept,
    change,
    file_digital_work,
    refuse,
    register,
    reissue_certificate,
    release,
    request_correction,
    revoke,
    start_review,
)
from .software import (
    SOFTWARE_FIELDS,
    clear_hold,
    create_software_application,
    deposit_replacement,
    parse_redactions,
)

__all__ = [
    "CHANGEABLE_FIELDS",
    "CORRECTABLE_FIELDS",
    "SOFTWARE_FIELDS",
    "VISUAL_TYPES",
    "InspectedImage",
    "SampleInput",
    "accept",
    "cancel_pledge",
    "change",
    "clear_hold",
    "consent_to_contract",
    "correct",
    "create_application",
    "create_software_application",
    "deem_overdue_corrections",
    "deposit_replacement",
    "file_contract",
    "file_digital_work",
    "first_owner",
    "inspect_image",
    "parse_redactions",
    "refuse",
    "register",
    "register_pledge",
    "reissue_certificate",
    "release",
    "request_correction",
    "revoke",
    "start_review",
    "submit",
    "withdraw",
]
