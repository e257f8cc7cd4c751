"""The public verification page's engine: the offline verifier, fed with the platform's own trust anchors.

The page runs exactly what `artrights verify` runs on a court's laptop; it only saves the visitor from
downloading the trust file (offered at /verify/trust.json for offline use). The verifier's own output (the
bilingual summary line, the JSON) stays as it is; this module words its verdict for a member of the public,
in the page's language, with times in the platform's time zone (Beijing time).

A public proof names its parties only through commitments; the visitor may add the owner's openings file
(``owner-openings.json``), and the page then lists the parties it opened. A signed notice or decision (no log
entry) is reported as the document it is, never as a registration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from artrights.core.models import IdType
from artrights.ledger.keys import log_origin, log_verifier_key
from artrights.ledger.labels import statement_label
from artrights.proofs.documents import DocumentType
from artrights.proofs.evidence import is_package
from artrights.proofs.verification import opened_parties
from artrights.timestamps.selectors import trusted_roots
from artrights.verify import Trust, Verdict, verify_bytes

from .keys import signing_identity
from .models import DocumentKind

StrOrPromise = str | Promise

CHECK_LABELS = {
    "pdf_signature": _("PDF 电子签名"),
    "c2pa": _("内容凭证（C2PA）"),
    "c2pa_timestamp": _("内容凭证签名时间戳"),
    "file_hash": _("文件哈希"),
    "statement": _("登记声明与承诺"),
    "inclusion_proof": _("日志包含证明"),
    "checkpoint_signature": _("日志检查点签名"),
    "timestamp": _("可信时间戳"),
    "document": _("文书说明"),
    "openings": _("著作权人身份核对"),
    "package": _("证据包结构"),
    "manifest": _("证据清单"),
    "datapackage": _("WACZ 目录与哈希值"),
    "artifacts": _("证据文件哈希值（SHA-256、SM3）"),
    "warc": _("网页存档（WARC）"),
    "manifest_timestamp": _("证据清单的可信时间戳"),
    "manifest_in_log": _("证据清单记入公开日志"),
    "report": _("固化报告的电子签名"),
}
# What each check means to someone who is not a cryptographer.
CHECK_EXPLANATIONS = {
    "pdf_signature": _("证书PDF带有平台的电子签名，签名之后没有被改动。"),
    "c2pa": _("图片中的内容凭证完整，由平台签名。"),
    "c2pa_timestamp": _("内容凭证的签名时间由可信时间戳证明。"),
    "file_hash": _("文件与登记时记录的文件完全一致。"),
    "statement": _("登记声明的格式正确，证明材料中的承诺与声明一致。"),
    "inclusion_proof": _("这条登记确实记在公开日志中。"),
    "checkpoint_signature": _("公开日志的检查点由日志的密钥签名，与平台公布的一致。"),
    "timestamp": _("可信时间戳证明登记声明在该时间已经存在。"),
    "document": _("文书附带的说明（类型、编号、签发日期）受电子签名保护。"),
    "openings": _("上传的身份公开值文件属于这条登记，每个当事人的姓名和证件号码都与登记时的承诺值一致。"),
    "package": _("证据包是完整的 WACZ（ZIP）文件，含有清单、时间戳、证明和报告。"),
    "manifest": _("证据清单可以读取，格式正确。"),
    "datapackage": _("WACZ 目录列出的每个文件都在，哈希值一致，没有多出的文件。"),
    "artifacts": _("每个证据文件都与清单中记录的大小、SHA-256 和 SM3 哈希值一致。"),
    "warc": _("网页存档可以逐条读取，每条记录的摘要都正确。"),
    "manifest_timestamp": _("可信时间戳证明证据清单在该时间已经存在，此后没有改动。"),
    "manifest_in_log": _("公开日志中的证据声明记录的正是这份清单的哈希值。"),
    "report": _("固化报告带有平台的电子签名，所附声明与证据包一致。"),
}
DOCUMENT_LABELS: dict[str, StrOrPromise] = {
    DocumentType.ACCEPTANCE_RECEIPT: DocumentKind.ACCEPTANCE_RECEIPT.label,
    DocumentType.CORRECTION_NOTICE: DocumentKind.CORRECTION_NOTICE.label,
    DocumentType.REFUSAL_DECISION: DocumentKind.REFUSAL_DECISION.label,
    DocumentType.FILING_REFUSAL_DECISION: _("不予备案决定书"),
}
ROLE_LABELS = {
    "owner": _("著作权人"),
    "author": _("作者"),
    "assignor": _("转让方/许可方"),
    "assignee": _("受让方/被许可方"),
    "pledgor": _("出质人"),
    "pledgee": _("质权人"),
    "requester": _("申请人"),
}


def platform_trust() -> Trust:
    return Trust(
        origin=log_origin(),
        log_keys=(log_verifier_key(),),
        tsa_roots=tuple(trusted_roots()),
        signing_roots=(signing_identity().root,),
    )


@dataclass
class Check:
    name: str
    label: str
    ok: bool
    detail: str = ""
    explanation: str = ""


@dataclass
class Party:
    role: str
    opened: bool
    name: str = ""
    id_type: str = ""
    id_number: str = ""


@dataclass
class Result:
    valid: bool
    summary: str  # the offline verifier's own line (Chinese / English), as `artrights verify` prints it
    sentence: str  # the verdict in the page's language
    checks: list[Check] = field(default_factory=list)
    number: str | None = None
    parties: list[Party] = field(default_factory=list)  # the statement's parties, opened or not
    is_document: bool = False  # a signed notice or decision, not a registration
    is_package: bool = False  # an evidence package: every check runs, so every failure is listed

    @property
    def parties_unopened(self) -> bool:
        return bool(self.parties) and not self.parties[0].opened


def _check(name: str, ok: bool, detail: str = "", *, document: bool = False) -> Check:
    explanation = str(CHECK_EXPLANATIONS.get(name, ""))
    if document and name == "pdf_signature":
        explanation = gettext("文书PDF带有平台的电子签名，签名之后没有被改动。")
    return Check(name, str(CHECK_LABELS.get(name, name)), ok, detail, explanation)


def _beijing_time(verdict: Verdict) -> str:
    """The verdict's trusted time in the platform's time zone (TIME_ZONE, Asia/Shanghai)."""
    return timezone.localtime(verdict.timestamp).strftime("%Y-%m-%d %H:%M:%S") if verdict.timestamp else ""


def _parties(verdict: Verdict) -> list[Party]:
    if not verdict.ok or verdict.bundle is None:
        return []
    roles = [str(p["role"]) for p in verdict.bundle["statement"].get("parties", [])]
    opened = opened_parties(verdict)
    if not opened:
        return [Party(str(ROLE_LABELS.get(role, role)), False) for role in roles]
    id_types = dict(IdType.choices)
    rows = []
    for role, value in opened:
        facts = value if isinstance(value, dict) else {"name": value}
        id_type = str(facts.get("id_type", ""))
        rows.append(
            Party(
                str(ROLE_LABELS.get(role, role)),
                True,
                str(facts.get("name", "")),
                str(id_types.get(id_type, id_type)),
                str(facts.get("id_number", "")),
            )
        )
    return rows


def _sentence(verdict: Verdict, failure: str) -> str:
    if not verdict.ok:
        label = str(CHECK_LABELS.get(verdict.failed_check or "", verdict.failed_check or ""))
        reason = failure.rstrip("。.")
        return gettext("这份文件未通过核验。“%(check)s”不符：%(reason)s。") % {"check": label, "reason": reason}
    if verdict.document is not None:
        doc = verdict.document
        return gettext(
            "这是%(issuer)s于 %(date)s 签发的%(kind)s（编号 %(number)s），电子签名有效，签发后没有被改动。"
            "它是登记机构的文书，不是登记证书，没有记入公开日志。"
        ) % {
            "issuer": doc.issuer,
            "date": doc.issued_on.isoformat(),
            "kind": DOCUMENT_LABELS.get(doc.type, doc.type),
            "number": doc.number,
        }
    values = {
        "what": statement_label(verdict.statement_type),
        "number": verdict.number,
        "index": verdict.log_index,
        "time": _beijing_time(verdict),
    }
    # The page always passes the platform's signing roots, so the verifier's one warning (an unchecked signer)
    # cannot arise here; the verdict is complete without its warnings.
    return gettext("%(what)s %(number)s 已记入公开日志（序号 %(index)s），可信时间戳为 %(time)s（北京时间）。") % values


def verify_upload(
    data: bytes, *, name: str = "", original: bytes | None = None, openings: bytes | None = None
) -> Result:
    """Verify an uploaded certificate PDF, registry document, proof JSON or credentialed image, with the owner's
    openings file when given; report every check and the parties."""
    english = (get_language() or "").startswith("en")
    verdict = verify_bytes(data, platform_trust(), file_bytes=original, openings=openings)
    failure = (verdict.message_en if english else verdict.message_zh) or ""
    checks = [_check(c, True, document=verdict.document is not None) for c in verdict.passed]
    for found in verdict.failures():  # an evidence package names every failed check, a certificate its first
        checks.append(_check(found.check, False, found.message_en if english else found.message_zh))
    return Result(
        valid=verdict.ok,
        summary=verdict.summary(),
        sentence=_sentence(verdict, failure),
        checks=checks,
        number=verdict.number,
        parties=_parties(verdict),
        is_document=verdict.document is not None,
        is_package=is_package(data),
    )
