"""Test data for accounts: organisations with valid unified social credit codes."""

from __future__ import annotations

import itertools

from artrights.accounts.models import Organisation, OrganisationKind
from artrights.core.identifiers import compose_uscc

# Registration authority and category per kind (GB 32100): market regulators register companies, civil
# affairs social organisations, government bodies have their own authority.
_AUTHORITY = {
    OrganisationKind.AGENCY: ("9", "1"),
    OrganisationKind.WORKSTATION: ("5", "1"),
    OrganisationKind.DEPARTMENT: ("1", "1"),
    OrganisationKind.MEDIATION_ORG: ("5", "1"),
    OrganisationKind.COURT: ("1", "1"),
}
_serials = itertools.count(1)


def organisation(kind: str = OrganisationKind.AGENCY, name: str = "") -> Organisation:
    """A new organisation of ``kind`` with a fresh, valid USCC."""
    authority, category = _AUTHORITY[OrganisationKind(kind)]
    serial = next(_serials)
    uscc = compose_uscc(authority, category, "440300", f"T{serial:07d}")
    return Organisation.objects.create(kind=kind, name=name or f"测试机构{serial}", uscc=uscc)
