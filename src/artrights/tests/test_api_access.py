"""Every API operation, for every role, the anonymous visitor and bearer tokens of each scope: who gets through.

``OPERATIONS`` has one row per operation of /api/, and the API's own OpenAPI schema is the list they are checked
against, so an operation added without a row (or made public without saying so) fails here until the table says
who may use it. "Through" means the request got past authentication, the token's scope and the access rules:
anything but 401, 403 or 404 (an operation answers 404 for an object the user may not see, so outsiders learn
nothing about it). The requests are chosen to pass access and then stop at a business check where they can (a
file that is no image, an empty reason, an action the work's state does not allow), so the table runs quickly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from artrights.accounts.services import issue_token
from artrights.core.models import Notification
from artrights.credit.tests import factories as credit_factories
from artrights.evidence.tests import factories as evidence_factories
from artrights.inspections.tests import factories as inspection_factories
from artrights.licensing import services as licensing
from artrights.licensing.tests import factories as licensing_factories
from artrights.matching import services as matching
from artrights.matching.models import UrlCheck
from artrights.mediation.tests import factories as mediation_factories
from artrights.registry import services as registry
from artrights.registry.tests.factories import (
    OWNER,
    artwork_png,
    samples,
    software_fields,
    software_particulars,
    work_fields,
)
from artrights.testing import LIN, WU, bearer, fresh, make_people

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = {
    "artist",
    "agency",
    "registrar",
    "mediator",
    "mediation_admin",
    "supervisor",
    "inspector",
    "partner",
    "court",
    "admin",
}
EVERYONE = frozenset(ROLES | {"owner"})  # every signed-in user; "owner" is the verified artist who owns the objects
APPLICANTS = frozenset({"owner", "artist", "agency", "admin"})
CHECKERS = frozenset(EVERYONE - {"partner", "court"})
FIXERS = frozenset({"owner", "artist", "agency", "supervisor", "inspector", "mediator", "mediation_admin", "admin"})
EVIDENCE_READERS = frozenset({"owner", "supervisor", "inspector", "admin"})
PARTNERS = frozenset({"partner", "admin"})  # staff of a partner department (a government department)
TRADERS = frozenset({"owner", "artist", "agency", "admin"})  # who licenses, buys and sells
BUYERS = frozenset(TRADERS - {"owner"})  # anyone trading but the seller or licensor
CONTRACT_READERS = frozenset({"owner", "registrar", "supervisor", "admin"})
FUND_ADMINS = frozenset({"supervisor", "admin"})  # the fund's administrators (funding/rules.py)
REFUSED = (401, 403, 404)


@dataclass
class World:
    """The objects the operations act on, all the owner's: a filed work (with its certificate), a draft, a match
    report, a URL check, a token, a notification and a sealed evidence record; and a company on a credit list."""

    filed: Any
    draft: Any
    report: Any
    url_check: Any
    token: Any
    notification: Any
    evidence: Any
    listing: Any
    offer: Any = None
    contract: Any = None
    auction: Any = None
    mediation_case: Any = None
    funding_open: Any = None  # the owner's application awaiting review
    funding_granted: Any = None  # the owner's application granted, not yet paid
    onestop_new: Any = None  # the owner's consultation at a workstation whose staff is the mediation administrator
    onestop_closed: Any = None  # the owner's request closed, not yet rated
    training_full: Any = None  # an upcoming training of that workstation, its one place taken by the licensee
    owners_started_signup: Any = None  # the owner's place at a training of that workstation that has started


Body = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    through: frozenset[str] | None  # None: a public operation, nobody is refused (not even the anonymous visitor)
    path: Callable[[World], str]
    json: Body | None = None
    files: Body | None = None  # multipart form (files and fields)


@dataclass(frozen=True)
class Row:
    cases: list[Case] = field(default_factory=list)


def _fixed(path: str) -> Callable[[World], str]:
    return lambda w: path


def case(through: frozenset[str] | set[str] | None, path: str | Callable[[World], str], **body: Body) -> Case:
    return Case(frozenset(through) if through is not None else None, path if callable(path) else _fixed(path), **body)


def public(path: str | Callable[[World], str], **body: Body) -> Row:
    return Row([case(None, path, **body)])


def _not_an_image(w: World) -> SimpleUploadedFile:
    return SimpleUploadedFile("picture.png", b"not a picture at all", content_type="image/png")


_APPLICATION = json.dumps({**work_fields(), "completed_on": "2026-03-01"})
_SOFTWARE = json.dumps({**software_particulars(), **software_fields(), "completed_on": "2026-06-01"})
_PROGRAMME = {
    "code": "SZ-API",
    "name": "接口测试项目",
    "item_kinds": ["work_registration"],
    "amount_rule": "per_item",
    "amount": "1000",
    "cap_per_applicant_year": "3000",
    "budget": "100000",
    "local_only": False,
    "opens_on": "2026-01-01",
    "closes_on": "2099-12-31",
    "required_documents": ["资助申请表"],
}


def _code(w: World) -> str:
    return str(w.funding_open.programme.code)


_COUNTERPARTY = {"name": "示例银行", "id_type": "uscc", "id_number": "91350100M000100Y43", "kind": "organisation"}

OPERATIONS: dict[tuple[str, str], Row] = {
    # accounts
    ("GET", "/api/accounts/me"): Row([case(EVERYONE, "/api/accounts/me")]),
    ("GET", "/api/accounts/tokens"): Row([case(EVERYONE, "/api/accounts/tokens")]),
    ("POST", "/api/accounts/tokens"): Row(
        [case(EVERYONE, "/api/accounts/tokens", json=lambda w: {"name": "x", "scopes": []})]
    ),
    ("POST", "/api/accounts/tokens/{token_id}/revoke"): Row(
        [case({"owner", "admin"}, lambda w: f"/api/accounts/tokens/{w.token.pk}/revoke")]
    ),
    ("GET", "/api/accounts/notifications"): Row([case(EVERYONE, "/api/accounts/notifications")]),
    ("POST", "/api/accounts/notifications/read-all"): Row([case(EVERYONE, "/api/accounts/notifications/read-all")]),
    ("POST", "/api/accounts/notifications/{notification_id}/read"): Row(
        [case({"owner"}, lambda w: f"/api/accounts/notifications/{w.notification.pk}/read")]
    ),
    # core
    ("GET", "/api/core/identifiers/check"): public("/api/core/identifiers/check?kind=uscc&value=91350100M000100Y43"),
    ("GET", "/api/core/workdays/add"): public("/api/core/workdays/add?start=2026-09-30&days=1"),
    ("GET", "/api/core/health"): public("/api/core/health"),
    # ledger: the public log
    ("GET", "/api/log/checkpoint"): public("/api/log/checkpoint"),
    ("GET", "/api/log/key"): public("/api/log/key"),
    ("GET", "/api/log/entries/{index}"): public("/api/log/entries/0"),
    ("GET", "/api/log/entries/{index}/proof"): public("/api/log/entries/0/proof"),
    ("GET", "/api/log/proofs/inclusion"): public("/api/log/proofs/inclusion?index=0"),
    ("GET", "/api/log/proofs/consistency"): public("/api/log/proofs/consistency?old_size=1"),
    ("POST", "/api/log/cosignatures"): public("/api/log/cosignatures", json=lambda w: {"note": "not a note"}),
    # registry
    ("GET", "/api/registry/works"): Row([case(EVERYONE, "/api/registry/works")]),
    ("GET", "/api/registry/works/{work_id}"): Row(
        [
            case({"owner", "registrar", "supervisor", "admin"}, lambda w: f"/api/registry/works/{w.filed.pk}"),
            # A draft is the applicant's until submitted: registry staff do not see it.
            case({"owner", "admin"}, lambda w: f"/api/registry/works/{w.draft.pk}"),
        ]
    ),
    ("POST", "/api/registry/works"): Row(
        [case(APPLICANTS, "/api/registry/works", files=lambda w: {"data": _APPLICATION, "samples": _not_an_image(w)})]
    ),
    ("POST", "/api/registry/software-applications"): Row(
        [
            case(
                APPLICANTS,
                "/api/registry/software-applications",
                files=lambda w: {
                    "data": _SOFTWARE,
                    "source_archive": SimpleUploadedFile("src.zip", b"not an archive", "application/zip"),
                    "documentation": SimpleUploadedFile("manual.md", b"# manual\n", "text/markdown"),
                },
            )
        ]
    ),
    ("POST", "/api/registry/digital-filings"): Row(
        [
            case(
                APPLICANTS,
                "/api/registry/digital-filings",
                files=lambda w: {"data": _APPLICATION, "image": _not_an_image(w)},
            )
        ]
    ),
    ("POST", "/api/registry/works/{work_id}/actions/{action}"): Row(
        [
            # Submitting again (409 for those allowed): the applicant's move; staff see the work but may not.
            case({"owner", "admin"}, lambda w: f"/api/registry/works/{w.filed.pk}/actions/submit", json=lambda w: {}),
            # Accepting a draft: no registrar even sees it.
            case({"admin"}, lambda w: f"/api/registry/works/{w.draft.pk}/actions/accept", json=lambda w: {}),
        ]
    ),
    ("GET", "/api/registry/works/{work_id}/certificate.json"): Row(
        [
            case(
                {"owner", "registrar", "supervisor", "admin"},
                lambda w: f"/api/registry/works/{w.filed.pk}/certificate.json",
            )
        ]
    ),
    ("GET", "/api/registry/public/{number}"): public(lambda w: f"/api/registry/public/{w.filed.number}"),
    ("POST", "/api/registry/works/{work_id}/contracts"): Row(
        [
            case(
                {"owner", "registrar", "admin"},
                lambda w: f"/api/registry/works/{w.filed.pk}/contracts",
                # Ends before it starts: refused after the access check.
                json=lambda w: {
                    "contract_type": "non_exclusive_licence",
                    "rights": ["reproduction"],
                    "territory": "中国大陆",
                    "valid_from": "2027-01-01",
                    "valid_until": "2026-01-01",
                    "assignee": _COUNTERPARTY,
                },
            )
        ]
    ),
    ("POST", "/api/registry/works/{work_id}/pledges"): Row(
        [
            case(
                {"registrar", "admin"},
                lambda w: f"/api/registry/works/{w.filed.pk}/pledges",
                json=lambda w: {
                    "pledgee": _COUNTERPARTY,
                    "rights": ["reproduction"],
                    "secured_amount": 0,
                    "debt_term_end": "2030-01-01",
                },
            )
        ]
    ),
    ("POST", "/api/registry/works/{work_id}/reissue"): Row(
        [
            case(
                {"owner", "registrar", "admin"},
                lambda w: f"/api/registry/works/{w.filed.pk}/reissue",
                json=lambda w: {},
            )
        ]
    ),
    ("POST", "/api/registry/works/{work_id}/change"): Row(
        [
            case(
                {"registrar", "admin"},
                lambda w: f"/api/registry/works/{w.filed.pk}/change",
                json=lambda w: {"fields": {}, "reason": ""},
            )
        ]
    ),
    # matching
    ("POST", "/api/matching/check"): Row(
        [case(CHECKERS, "/api/matching/check", files=lambda w: {"image": _not_an_image(w)})]
    ),
    ("GET", "/api/matching/url-checks/{check_id}"): Row(
        # A check shows the URL a person asked about: theirs alone.
        [case({"owner", "admin"}, lambda w: f"/api/matching/url-checks/{w.url_check.pk}")]
    ),
    ("GET", "/api/matching/reports/{report_id}"): Row(
        [case({"owner", "registrar", "supervisor", "admin"}, lambda w: f"/api/matching/reports/{w.report.pk}")]
    ),
    # evidence
    ("GET", "/api/evidence/"): Row([case(EVERYONE, "/api/evidence/")]),
    ("POST", "/api/evidence/captures"): Row(
        # An address that is no URL: refused by the business check once access let the request through.
        [case(FIXERS, "/api/evidence/captures", json=lambda w: {"url": "not a web address"})]
    ),
    ("POST", "/api/evidence/files"): Row(
        [case(FIXERS, "/api/evidence/files", files=lambda w: {"files": _not_an_image(w), "description": ""})]
    ),
    ("POST", "/api/evidence/from-report/{report_id}"): Row(
        # A log entry in the requester's matter: theirs to fix, not the officials' who read every report.
        [case({"owner", "admin"}, lambda w: f"/api/evidence/from-report/{w.report.pk}")]
    ),
    ("GET", "/api/evidence/{number}"): Row([case(EVIDENCE_READERS, lambda w: f"/api/evidence/{w.evidence.number}")]),
    ("GET", "/api/evidence/{number}/package"): Row(
        [case(EVIDENCE_READERS, lambda w: f"/api/evidence/{w.evidence.number}/package")]
    ),
    ("POST", "/api/evidence/{number}/verify"): Row(
        [case(EVIDENCE_READERS, lambda w: f"/api/evidence/{w.evidence.number}/verify")]
    ),
    # credit: the public query, and partner departments' status queries, measure reports and feeds
    ("GET", "/api/credit/public"): public("/api/credit/public?q=测试"),
    ("GET", "/api/credit/status"): Row(
        # No authority given: refused by the business check once access let the request through.
        [
            case(
                PARTNERS,
                lambda w: (
                    f"/api/credit/status?code={w.listing.subject.code}&purpose=funding&authority=%20&authorisation_ref=x"
                ),
            )
        ]
    ),
    ("POST", "/api/credit/measures"): Row(
        # A measure of another list: refused by the business check.
        [
            case(
                PARTNERS,
                "/api/credit/measures",
                json=lambda w: {
                    "entry": w.listing.number,
                    "measure": "JOINT_BONDS",
                    "action": "applied",
                    "applied_on": "2026-01-05",
                },
            )
        ]
    ),
    # Supervisors hand the feeds on; partner departments pull them.
    ("GET", "/api/credit/feed/{kind}"): Row([case(PARTNERS | {"supervisor"}, "/api/credit/feed/listings")]),
    # licensing: the catalogue, a work's title and the listings are public; a contract is its parties' and staff's
    ("GET", "/api/licensing/catalogue"): public("/api/licensing/catalogue?right=reproduction"),
    ("GET", "/api/licensing/works/{number}/title"): public(lambda w: f"/api/licensing/works/{w.filed.number}/title"),
    ("GET", "/api/licensing/listings"): public("/api/licensing/listings"),
    ("POST", "/api/licensing/offers"): Row(
        # Rights the work does not claim: refused by the business check once access let the request through.
        [case(TRADERS, "/api/licensing/offers", json=lambda w: {"work_id": w.filed.pk, "rights": ["rental"]})]
    ),
    ("POST", "/api/licensing/offers/{offer_id}/requests"): Row(
        # A buyer, never the licensor itself; a start date far past the work's term is not needed to stop it:
        # the role users have no real-name identity, so the request stops at that business check.
        [
            case(
                BUYERS,
                lambda w: f"/api/licensing/offers/{w.offer.pk}/requests",
                json=lambda w: {"valid_from": "2027-01-01"},
            )
        ]
    ),
    ("GET", "/api/licensing/contracts"): Row([case(EVERYONE, "/api/licensing/contracts")]),
    ("GET", "/api/licensing/contracts/{number}"): Row(
        [case(CONTRACT_READERS, lambda w: f"/api/licensing/contracts/{w.contract.number}")]
    ),
    ("POST", "/api/licensing/contracts/{number}/signatures"): Row(
        # A stale hash: refused by the business check.
        [
            case(
                {"owner", "admin"},
                lambda w: f"/api/licensing/contracts/{w.contract.number}/signatures",
                json=lambda w: {"sha256": "0" * 64},
            )
        ]
    ),
    ("POST", "/api/licensing/contracts/{number}/terminate"): Row(
        # Either side (the owner is the licensor); a draft is not filed: refused by the business check.
        [
            case(
                {"owner", "admin"},
                lambda w: f"/api/licensing/contracts/{w.contract.number}/terminate",
                json=lambda w: {"on_date": "2026-01-05", "ground": "breach", "reason": "违约"},
            )
        ]
    ),
    ("POST", "/api/licensing/contracts/{number}/termination-proposal"): Row(
        # Either side proposes ending it by agreement (the owner is the licensor); a draft is not filed.
        [
            case(
                {"owner", "admin"},
                lambda w: f"/api/licensing/contracts/{w.contract.number}/termination-proposal",
                json=lambda w: {"on_date": "2026-01-05", "reason": "协商一致"},
            )
        ]
    ),
    # Only the side that did not propose the open proposal answers it, only its proposer withdraws it; the draft
    # has no proposal, so nobody but the administrator gets past the access rules.
    ("POST", "/api/licensing/contracts/{number}/termination-proposal/agree"): Row(
        [case({"admin"}, lambda w: f"/api/licensing/contracts/{w.contract.number}/termination-proposal/agree")]
    ),
    ("POST", "/api/licensing/contracts/{number}/termination-proposal/decline"): Row(
        [
            case(
                {"admin"},
                lambda w: f"/api/licensing/contracts/{w.contract.number}/termination-proposal/decline",
                json=lambda w: {"answer": ""},
            )
        ]
    ),
    ("POST", "/api/licensing/contracts/{number}/termination-proposal/withdraw"): Row(
        [case({"admin"}, lambda w: f"/api/licensing/contracts/{w.contract.number}/termination-proposal/withdraw")]
    ),
    ("POST", "/api/licensing/contracts/{number}/royalty-reports"): Row(
        # Only the licensee reports (the owner is the licensor); a draft is not running.
        [
            case(
                {"admin"},
                lambda w: f"/api/licensing/contracts/{w.contract.number}/royalty-reports",
                json=lambda w: {"period_start": "2027-01-01", "revenue": "1"},
            )
        ]
    ),
    ("POST", "/api/licensing/listings"): Row(
        [
            case(
                TRADERS,
                "/api/licensing/listings",
                json=lambda w: {"work_id": w.filed.pk, "rights": ["network"], "method": "continuous", "price": "1"},
            )
        ]
    ),
    ("POST", "/api/licensing/listings/{number}/trades"): Row(
        # An auction is not bought at its price: refused by the business check.
        [case(BUYERS, lambda w: f"/api/licensing/listings/{w.auction.number}/trades")]
    ),
    ("POST", "/api/licensing/listings/{number}/bids"): Row(
        # Below the starting price: refused by the business check.
        [case(BUYERS, lambda w: f"/api/licensing/listings/{w.auction.number}/bids", json=lambda w: {"amount": "1"})]
    ),
    ("POST", "/api/licensing/listings/{number}/deposits"): Row(
        # Paid on a day still to come: refused by the business check.
        [
            case(
                BUYERS,
                lambda w: f"/api/licensing/listings/{w.auction.number}/deposits",
                json=lambda w: {"paid_on": "2999-01-01", "reference": "BZJ-1"},
            )
        ]
    ),
    ("POST", "/api/licensing/listings/{number}/deposits/{deposit_id}/return"): Row(
        # The exchange's staff only; the auction is still running, so the deposit is held: refused by the business
        # check.
        [
            case(
                {"registrar", "supervisor", "admin"},
                lambda w: f"/api/licensing/listings/{w.auction.number}/deposits/{w.auction.deposits.get().pk}/return",
                json=lambda w: {"returned_on": "2026-01-05", "reference": "TK-1"},
            )
        ]
    ),
    ("POST", "/api/licensing/listings/{number}/award"): Row(
        # The seller only; the disclosure has not ended: refused by the business check.
        [case({"owner", "admin"}, lambda w: f"/api/licensing/listings/{w.auction.number}/award")]
    ),
    # inspections: draws, their records and published results are public; an inspector reads their own tasks
    ("GET", "/api/inspections/draws"): public("/api/inspections/draws"),
    ("GET", "/api/inspections/draws/{draw_id}/record"): public(
        lambda w: f"/api/inspections/draws/{inspection_factories.some_draw().pk}/record"
    ),
    ("GET", "/api/inspections/results"): public("/api/inspections/results"),
    ("GET", "/api/inspections/tasks"): Row([case(EVERYONE, "/api/inspections/tasks")]),
    # mediation: the owner applied; an empty summary, and a withdrawal reason with a hidden character, are refused
    # by the business check once access let the request through
    ("GET", "/api/mediation/cases"): Row([case(EVERYONE, "/api/mediation/cases")]),
    ("GET", "/api/mediation/cases/{number}"): Row(
        [case({"owner", "admin"}, lambda w: f"/api/mediation/cases/{w.mediation_case.number}")]
    ),
    ("POST", "/api/mediation/cases"): Row(
        [
            case(
                {"owner", "admin"},
                "/api/mediation/cases",
                json=lambda w: {"dispute_type": "infringement", "summary": " ", "respondents": [], "claims": []},
            )
        ]
    ),
    ("POST", "/api/mediation/cases/{number}/actions/{action}"): Row(
        [
            case(
                {"owner", "admin"},
                lambda w: f"/api/mediation/cases/{w.mediation_case.number}/actions/withdraw",
                json=lambda w: {"reason": "\u202e"},
            )
        ]
    ),
    ("GET", "/api/mediation/dues"): Row([case(EVERYONE, "/api/mediation/dues")]),
    ("GET", "/api/mediation/mediators"): Row([case(EVERYONE, "/api/mediation/mediators")]),
    ("GET", "/api/mediation/statistics"): Row([case(EVERYONE, "/api/mediation/statistics")]),
    # funding: the fund's administrators are the supervisors; owners apply for what they own
    ("GET", "/api/funding/programmes"): Row([case(EVERYONE, "/api/funding/programmes")]),
    ("POST", "/api/funding/programmes"): Row(
        # Nothing to pay for: refused by the business check.
        [case(FUND_ADMINS, "/api/funding/programmes", json=lambda w: {**_PROGRAMME, "item_kinds": []})]
    ),
    ("GET", "/api/funding/programmes/{code}/candidates"): Row(
        # Only the owner may apply in the owner's name (the platform's administrator has no such party).
        [case({"owner"}, lambda w: f"/api/funding/programmes/{_code(w)}/candidates?owner={w.filed.applicant.party_id}")]
    ),
    ("POST", "/api/funding/programmes/{code}/applications"): Row(
        # The required document missing: refused by the business check.
        [
            case(
                {"owner"},
                lambda w: f"/api/funding/programmes/{_code(w)}/applications",
                files=lambda w: {"owner": str(w.filed.applicant.party_id), "items": "registry.work:0"},
            )
        ]
    ),
    ("GET", "/api/funding/applications"): Row([case(EVERYONE, "/api/funding/applications")]),
    ("GET", "/api/funding/applications/{number}"): Row(
        [case(FUND_ADMINS | {"owner"}, lambda w: f"/api/funding/applications/{w.funding_open.number}")]
    ),
    ("POST", "/api/funding/applications/{number}/approve"): Row(
        # No amount for the item: refused by the business check.
        [
            case(
                FUND_ADMINS,
                lambda w: f"/api/funding/applications/{w.funding_open.number}/approve",
                json=lambda w: {"amounts": {}},
            )
        ]
    ),
    ("POST", "/api/funding/applications/{number}/refuse"): Row(
        # No reason given: refused by the business check.
        [
            case(
                FUND_ADMINS,
                lambda w: f"/api/funding/applications/{w.funding_open.number}/refuse",
                json=lambda w: {"ground": "other", "note": ""},
            )
        ]
    ),
    ("POST", "/api/funding/applications/{number}/pay"): Row(
        # Not the approved amount: refused by the business check.
        [
            case(
                FUND_ADMINS,
                lambda w: f"/api/funding/applications/{w.funding_granted.number}/pay",
                json=lambda w: {"amount": "1.00", "paid_on": "2026-01-05", "voucher_no": "PZ-API-1"},
            )
        ]
    ),
    ("POST", "/api/funding/applications/{number}/withdraw"): Row(
        # Already decided: only the platform's administrator gets past access, to the workflow's refusal.
        [case({"admin"}, lambda w: f"/api/funding/applications/{w.funding_granted.number}/withdraw")]
    ),
    ("GET", "/api/funding/budget"): Row([case(FUND_ADMINS, "/api/funding/budget")]),
    # onestop: requesters bring requests; the workstation's staff (here the mediation administrator) handle them
    ("GET", "/api/onestop/workstations"): public("/api/onestop/workstations"),
    ("GET", "/api/onestop/requests"): Row([case(EVERYONE, "/api/onestop/requests")]),
    ("POST", "/api/onestop/requests"): Row(
        # No description: refused by the business check.
        [
            case(
                APPLICANTS,
                "/api/onestop/requests",
                json=lambda w: {"workstation": w.onestop_new.workstation_id, "type": "consult", "description": " "},
            )
        ]
    ),
    ("GET", "/api/onestop/requests/{pk}"): Row(
        [case({"owner", "mediation_admin", "admin"}, lambda w: f"/api/onestop/requests/{w.onestop_new.pk}")]
    ),
    ("POST", "/api/onestop/requests/{pk}/actions/{action}"): Row(
        # A consultation is not routed to the copy check: refused by the business check.
        [
            case(
                {"mediation_admin", "admin"},
                lambda w: f"/api/onestop/requests/{w.onestop_new.pk}/actions/route",
                json=lambda w: {},
            )
        ]
    ),
    ("POST", "/api/onestop/requests/{pk}/notes"): Row(
        # An empty note: refused by the business check.
        [
            case(
                {"mediation_admin", "admin"},
                lambda w: f"/api/onestop/requests/{w.onestop_new.pk}/notes",
                json=lambda w: {"text": " "},
            )
        ]
    ),
    ("POST", "/api/onestop/requests/{pk}/refer"): Row(
        # A consultation is no mediation referral: refused by the business check.
        [
            case(
                {"mediation_admin", "admin"},
                lambda w: f"/api/onestop/requests/{w.onestop_new.pk}/refer",
                json=lambda w: {
                    "dispute_type": "infringement",
                    "summary": "x",
                    "respondents": [{"name": WU["name"], "id_type": WU["id_type"], "id_number": WU["id_number"]}],
                    "claims": [["停止侵权", ""]],
                },
            )
        ]
    ),
    ("POST", "/api/onestop/requests/{pk}/draft"): Row(
        # A consultation is no registration help (and the file is no picture): refused by the business check.
        [
            case(
                {"mediation_admin", "admin"},
                lambda w: f"/api/onestop/requests/{w.onestop_new.pk}/draft",
                files=lambda w: {"data": _APPLICATION, "samples": _not_an_image(w)},
            )
        ]
    ),
    ("GET", "/api/onestop/trainings"): public("/api/onestop/trainings"),
    ("POST", "/api/onestop/trainings"): Row(
        # No places: refused by the business check.
        [
            case(
                {"mediation_admin", "admin"},
                "/api/onestop/trainings",
                json=lambda w: {
                    "workstation": w.onestop_new.workstation_id,
                    "topic": "登记实务",
                    "starts_at": "2099-01-01T09:00:00+08:00",
                    "place": "报告厅",
                    "capacity": 0,
                },
            )
        ]
    ),
    ("POST", "/api/onestop/trainings/{pk}/signups"): Row(
        # The one place is taken: refused by the business check.
        [case(APPLICANTS, lambda w: f"/api/onestop/trainings/{w.training_full.pk}/signups")]
    ),
    ("GET", "/api/onestop/trainings/{pk}/signups"): Row(
        [case({"mediation_admin", "admin"}, lambda w: f"/api/onestop/trainings/{w.training_full.pk}/signups")]
    ),
    ("POST", "/api/onestop/trainings/{pk}/attendance"): Row(
        # The training has not started: refused by the business check.
        [
            case(
                {"mediation_admin", "admin"},
                lambda w: f"/api/onestop/trainings/{w.training_full.pk}/attendance",
                json=lambda w: {"present": []},
            )
        ]
    ),
    ("GET", "/api/onestop/signups"): Row([case(EVERYONE, "/api/onestop/signups")]),
    ("POST", "/api/onestop/signups/{pk}/cancel"): Row(
        # The training has started: refused by the business check.
        [case({"owner"}, lambda w: f"/api/onestop/signups/{w.owners_started_signup.pk}/cancel")]
    ),
    ("POST", "/api/onestop/requests/{pk}/rate"): Row(
        # A rating of 0: refused by the business check.
        [
            case(
                {"owner", "admin"},
                lambda w: f"/api/onestop/requests/{w.onestop_closed.pk}/rate",
                json=lambda w: {"rating": 0},
            )
        ]
    ),
}


def _schema_operations(client: Any) -> dict[tuple[str, str], bool]:
    """Every operation the API serves, and whether it asks for authentication."""
    schema = client.get("/api/openapi.json").json()
    return {
        (method.upper(), path): bool(operation.get("security"))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


@pytest.fixture(scope="module")
def made_once(module_db: Any, module_make_user: Any) -> tuple[Any, dict[str, Any], World]:
    """The owner, one user per role and the world, made once for the module (a filing with its certificate, sealed
    evidence, a match report...: tens of seconds); each test's requests are rolled back after it (``module_db``)."""
    artist = module_make_user("artist-lin", "artist", display_name="林画家", identity=LIN)
    with module_db():
        people = make_people(module_make_user)
        return artist, people, _world(artist, module_make_user, people)


@pytest.fixture
def artist(made_once: tuple[Any, dict[str, Any], World]) -> Any:
    return fresh(made_once[0])


@pytest.fixture
def people(made_once: tuple[Any, dict[str, Any], World]) -> dict[str, Any]:
    return {name: fresh(user) for name, user in made_once[1].items()}


@pytest.fixture
def world(made_once: tuple[Any, dict[str, Any], World]) -> World:
    made = made_once[2]
    return dataclasses.replace(made, **{f.name: fresh(getattr(made, f.name)) for f in dataclasses.fields(made)})


def _world(artist: Any, make_user: Any, people: dict[str, Any]) -> World:
    filed = registry.file_digital_work(
        user=artist, fields=work_fields(), owners=[OWNER], files=samples(seed=61), issue_now=True
    )
    draft = registry.create_application(
        user=artist, fields=work_fields(title="未提交的草稿"), owners=[OWNER], files=samples(seed=62)
    )
    report = matching.check_image(user=artist, data=artwork_png(63), name="suspect.png")
    url_check = UrlCheck.objects.create(requester=artist, url="https://example.com/suspect.png")
    token, _raw = issue_token(user=artist, name="revoked by the table", scopes=["read"])
    notification = Notification.objects.filter(recipient=artist).latest("pk")
    evidence = evidence_factories.sealed_files(artist)
    supervisor = make_user("api-credit-supervisor", "supervisor")
    listing = credit_factories.listed(supervisor, credit_factories.subject(supervisor))
    licensee = make_user("api-licensee", "artist", identity=WU)
    offer = licensing.create_offer(user=artist, work=filed, rights=["reproduction"], price=Decimal(100))
    contract = licensing.request_licence(user=licensee, offer=offer, valid_from=dt.date(2027, 1, 1))
    auction = licensing_factories.deposited(licensing_factories.auction(artist, filed, price=Decimal(5000)), licensee)
    mediation_case = mediation_factories.applied(artist, mediation_factories.mediation_org())
    funding_open, funding_granted = _funding(artist, make_user)
    onestop_new, onestop_closed = _onestop(artist, people["mediation_admin"])
    training_full, owners_started_signup = _trainings(
        onestop_new.workstation, people["mediation_admin"], artist, licensee
    )
    return World(
        offer=offer,
        contract=contract,
        auction=auction,
        filed=filed,
        draft=draft,
        report=report,
        url_check=url_check,
        token=token,
        notification=notification,
        evidence=evidence,
        listing=listing,
        mediation_case=mediation_case,
        funding_open=funding_open,
        funding_granted=funding_granted,
        onestop_new=onestop_new,
        onestop_closed=onestop_closed,
        training_full=training_full,
        owners_started_signup=owners_started_signup,
    )


def _onestop(artist: Any, clerk: Any) -> tuple[Any, Any]:
    """A workstation whose staff is the mediation administrator, with two of the owner's consultations: one new,
    one closed."""
    from artrights.onestop import services as onestop
    from artrights.onestop.tests import factories as onestop_factories

    station = onestop_factories.workstation(clerk)
    new = onestop_factories.service_request(artist, station)
    done = onestop.close(user=clerk, request=onestop_factories.service_request(artist, station), outcome="已解答。")
    return new, done


def _trainings(station: Any, clerk: Any, artist: Any, licensee: Any) -> tuple[Any, Any]:
    """An upcoming training whose one place the licensee took, and one that has started with the owner's place."""
    from django.utils import timezone

    from artrights.onestop import services as onestop

    def training(topic: str) -> Any:
        return onestop.schedule_training(
            user=clerk,
            workstation=station,
            topic=topic,
            starts_at=timezone.now() + dt.timedelta(days=5),
            place="报告厅",
            capacity=1,
        )

    full = training("名额已满的培训")
    onestop.sign_up(user=licensee, event=full)
    started = training("已开课的培训")
    signup = onestop.sign_up(user=artist, event=started)
    started.starts_at = timezone.now() - dt.timedelta(hours=1)
    started.save(update_fields=["starts_at"])
    return full, signup


def _funding(artist: Any, make_user: Any) -> tuple[Any, Any]:
    """A programme of the fund, and two of the owner's registered works applied for: one awaiting review, one
    granted."""
    from artrights.accounts.models import OrganisationKind
    from artrights.accounts.tests.factories import organisation
    from artrights.funding import services as funding
    from artrights.funding.tests import factories as funding_factories

    registrar = make_user("api-funding-registrar", "registrar")
    admin = make_user(
        "api-funding-admin", "supervisor", organisation=organisation(OrganisationKind.DEPARTMENT, "资金主管部门")
    )
    programme = funding.create_programme(
        user=admin, fields={**_PROGRAMME, "opens_on": dt.date(2026, 1, 1), "closes_on": dt.date(2099, 12, 31)}
    )
    works = [funding_factories.registered_work(artist, registrar, seed=s) for s in (71, 72)]
    waiting = funding_factories.application(artist, programme, works[:1])
    granted = funding_factories.application(artist, programme, works[1:])
    item = granted.items.get()
    return waiting, funding.approve(user=admin, application=granted, amounts={item.pk: item.claimed})


@pytest.fixture
def actors(people, artist) -> dict[str, Any]:
    return {**people, "owner": artist}


def _send(client: Any, method: str, test_case: Case, w: World, **extra: Any) -> Any:
    path = test_case.path(w)
    if method == "GET":
        return client.get(path, **extra)
    if test_case.files is not None:
        return client.post(path, test_case.files(w), **extra)
    body = test_case.json(w) if test_case.json is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


def _outcome(response: Any) -> str:
    if response.status_code in REFUSED:
        return "refused"
    if response.status_code == 422 and isinstance(response.json().get("detail"), list):
        return "unparsed"  # django-ninja refused the request's shape: the table's request is wrong, not access
    return "through"


def test_every_api_operation_has_a_row_and_public_ones_are_marked(client):
    served = _schema_operations(client)
    problems = [f"{m} {p} has no row in OPERATIONS" for m, p in sorted(set(served) - set(OPERATIONS))]
    problems += [f"{m} {p} is not an operation of the API" for m, p in sorted(set(OPERATIONS) - set(served))]
    for key, authenticated in sorted(served.items()):
        row = OPERATIONS.get(key)
        if row is None:
            continue
        marked_public = all(c.through is None for c in row.cases)
        if marked_public == authenticated:
            problems.append(f"{key[0]} {key[1]} is {'not ' if authenticated else ''}public, the table says otherwise")
    assert problems == []


def test_every_api_operation_lets_through_exactly_the_people_in_its_row(client, actors, world):
    # The objects are in the states the rows assume.
    assert world.filed.status == "filed" and world.filed.certificates.exists()
    assert world.draft.status == "draft" and world.draft.submitted_at is None
    problems = []
    for (method, template), row in OPERATIONS.items():
        for number, test_case in enumerate(row.cases):
            for name, user in actors.items():
                if name == "anonymous":
                    client.logout()
                else:
                    client.force_login(user)
                response = _send(client, method, test_case, world)
                got = _outcome(response)
                expected = "through" if test_case.through is None or name in test_case.through else "refused"
                if test_case.through is None and got == "refused" and response.status_code == 404:
                    got = "through"  # a public operation may find nothing; it refuses nobody
                if got != expected:
                    problems.append(f"{method} {template} [{number}] {name}: {got} ({response.status_code})")
    client.logout()
    assert problems == []


def test_every_api_operation_checks_the_tokens_scope(client, artist, world):
    """The owner's tokens: `read` reads what the owner reads and changes nothing; `write` does what the owner
    does; a token with neither (a partner's credit scope) reaches no operation that is not public."""
    tokens = {scope: issue_token(user=artist, name=scope, scopes=[scope])[1] for scope in ("read", "write")}
    tokens["credit:query"] = issue_token(user=artist, name="credit", scopes=["credit:query"])[1]
    problems = []
    for (method, template), row in OPERATIONS.items():
        for number, test_case in enumerate(row.cases):
            owner_through = test_case.through is None or "owner" in test_case.through
            for scope, raw in tokens.items():
                response = _send(client, method, test_case, world, **bearer(raw))
                got = _outcome(response)
                if test_case.through is None:
                    expected_status_ok = response.status_code not in (401, 403)
                    if not expected_status_ok:
                        problems.append(f"{method} {template} public, {scope} token: {response.status_code}")
                    continue
                allowed = scope == "write" or (scope == "read" and method == "GET")
                expected = "through" if owner_through and allowed else "refused"
                if got != expected:
                    problems.append(f"{method} {template} [{number}] {scope} token: {got} ({response.status_code})")
                elif not allowed and response.status_code != 403:
                    problems.append(f"{method} {template} [{number}] {scope} token: {response.status_code}, not 403")
    assert problems == []


# The operations that declare their own token scope (`auth=token_or_session(scope)`); every other needs `read` to
# read and `write` to change.
DECLARED_SCOPES = {
    ("GET", "/api/credit/status"): "credit:query",
    ("GET", "/api/credit/feed/{kind}"): "credit:query",
    ("POST", "/api/credit/measures"): "credit:feedback",
}


def test_a_partner_token_reaches_exactly_the_operations_of_its_scope(client, people, world):
    """A partner department's tokens: `credit:query` reaches the status query and the feeds and nothing else,
    `credit:feedback` only the measure reports; `read` and `write` reach none of the credit operations."""
    partner = people["partner"]
    scopes = ("read", "write", "credit:query", "credit:feedback")
    tokens = {scope: issue_token(user=partner, name=scope, scopes=[scope])[1] for scope in scopes}
    problems = []
    for (method, template), row in OPERATIONS.items():
        needed = DECLARED_SCOPES.get((method, template), "read" if method == "GET" else "write")
        for number, test_case in enumerate(row.cases):
            if test_case.through is None or "partner" not in test_case.through:
                continue
            for scope, raw in tokens.items():
                allowed = scope == needed or (needed == "read" and scope == "write")
                response = _send(client, method, test_case, world, **bearer(raw))
                got, expected = _outcome(response), "through" if allowed else "refused"
                if got != expected or (not allowed and response.status_code != 403):
                    problems.append(f"{method} {template} [{number}] {scope} token: {got} ({response.status_code})")
    assert problems == []


def test_the_table_test_notices_an_operation_without_a_row(client, monkeypatch):
    monkeypatch.delitem(OPERATIONS, ("POST", "/api/matching/check"))
    with pytest.raises(AssertionError, match="POST /api/matching/check has no row"):
        test_every_api_operation_has_a_row_and_public_ones_are_marked(client)
