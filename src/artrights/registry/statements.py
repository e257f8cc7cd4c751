"""The statements the registry appends to the public log: hashes and salted commitments, never personal data.

A title, a party's name and ID number appear only as commitments (`bundle.commit`); the openings (value and
salt) stay in the database and in the holder's certificate bundle, so the holder, or a court they show it to,
can open them and the public cannot. The format is documented in `bundle.py`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from artrights.proofs.canonical import Opening
from artrights.proofs.statements import FileRef, Openings, StatementType, build_statement, check_statement

from .models import ContractFiling, FileRole, Kind, Pledge, Work


def _origin() -> str:
    from artrights.ledger.keys import log_origin

    return log_origin()


def party_value(party: Any) -> dict[str, str]:
    return {"name": party.name, "id_type": party.id_type, "id_number": party.id_number}


def grant_statement(work: Work, *, change_of: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The registration, filing or change statement of `work`, and its openings (stored on the work)."""
    # Software: the source and documentation deposits; the whole tree only by its hash (``source_tree`` below).
    roles = [FileRole.SAMPLE, FileRole.DOCUMENTATION] if work.kind == Kind.SOFTWARE else [FileRole.SAMPLE]
    files = [
        FileRef(wf.stored_file.sha256, wf.iscc or None)
        for wf in work.workfile_set.select_related("stored_file").filter(role__in=roles).order_by("pk")
    ]
    parties: list[tuple[str, str | dict[str, Any]]] = [("owner", party_value(p)) for p in work.owners().order_by("pk")]
    parties += [("author", {"name": a["name"], "signature": a.get("signature", "")}) for a in work.authors]
    if change_of:
        kind = StatementType.CHANGE
    elif work.kind == Kind.DIGITAL_FILING:
        kind = StatementType.DIGITAL_FILING
    elif work.kind == Kind.SOFTWARE:
        kind = StatementType.SOFTWARE_REGISTRATION
    else:
        kind = StatementType.REGISTRATION
    statement, openings = build_statement(
        type=kind,
        registry=_origin(),
        number=work.number or "",
        registered_at=work.registered_at or timezone.now(),
        work_type=work.work_type,
        title=work.title,
        files=files,
        parties=parties,
        refers_to=[change_of] if change_of else [],
    )
    statement["version"] = work.version
    if work.kind == Kind.SOFTWARE:
        # The canonical hash of the whole uploaded tree (deposit.tree_hash): the owner can later prove which code
        # the registration covered without publishing it.
        software = work.software
        statement["source_tree"] = {"sha256": software.tree_sha256, "files": software.tree_files}
        if software.certificate_number:
            statement["certificate"] = software.certificate_number
        check_statement(statement)
    stored = openings.to_json()
    for opening, (role, _value) in zip(stored["parties"], parties, strict=True):
        opening["role"] = role
    return statement, stored


def openings_of(work: Work) -> Openings:
    return Openings.from_json(work.commitment_salts)


def _party_commitments(pairs: list[tuple[str, Any]]) -> tuple[list[dict[str, str]], dict[str, Any]]:
    openings = [(role, Opening.new(party_value(party))) for role, party in pairs]
    public = [{"role": role, "commitment": o.commitment} for role, o in openings]
    return public, {"parties": [{**o.to_json(), "role": role} for role, o in openings]}


def contract_statement(filing: ContractFiling) -> dict[str, Any]:
    parties, filing.commitment_salts = _party_commitments(
        [("assignor", filing.assignor), ("assignee", filing.assignee)]
    )
    return check_statement(
        {
            "type": StatementType.CONTRACT_FILING,
            "registry": _origin(),
            "number": filing.number,
            "registered_at": timezone.now().isoformat(),
            "contract_type": filing.contract_type,
            "refers_to": sorted(w.number or "" for w in filing.works.all()),
            "rights": sorted(filing.rights),
            "valid_from": filing.valid_from.isoformat(),
            "valid_until": filing.valid_until.isoformat() if filing.valid_until else None,
            "contract_sha256": filing.contract_sha256 or None,
            "parties": parties,
        }
    )


def pledge_statement(pledge: Pledge) -> dict[str, Any]:
    parties, pledge.commitment_salts = _party_commitments([("pledgor", pledge.pledgor), ("pledgee", pledge.pledgee)])
    return check_statement(
        {
            "type": StatementType.PLEDGE,
            "registry": _origin(),
            "number": pledge.number,
            "registered_at": timezone.now().isoformat(),
            "refers_to": sorted(w.number or "" for w in pledge.works.all()),
            "rights": sorted(pledge.rights),
            "parties": parties,
        }
    )


def pledge_cancellation_statement(pledge: Pledge) -> dict[str, Any]:
    return check_statement(
        {
            "type": StatementType.PLEDGE_CANCELLATION,
            "registry": _origin(),
            "number": pledge.number,
            "registered_at": timezone.now().isoformat(),
            "refers_to": [pledge.number],
        }
    )


def revocation_statement(work: Work, ground: str) -> dict[str, Any]:
    return check_statement(
        {
            "type": StatementType.REVOCATION,
            "registry": _origin(),
            "number": work.number or "",
            "registered_at": timezone.now().isoformat(),
            "ground": ground,
            "refers_to": [work.number],
        }
    )


def iscc_for(image_bytes: bytes) -> str:
    """The ISO 24138 ISCC image code of a sample (the soft binding used in content credentials)."""
    from artrights.proofs.content_credentials import iscc_image_code

    return iscc_image_code(image_bytes)
