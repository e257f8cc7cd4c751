"""The public verification page's engine: the offline verifier, fed with the platform's own trust anchors.

The page runs exactly what `artrights verify` runs on a court's laptop; it only saves the visitor from
downloading the trust file (offered at /verify/trust.json for offline use). The verifier's own output (the
bilingual summary line, the JSON) stays as it is; this module words its verdict for a member of the public,
in the page's language, with times in the platform's time zone (Beijing time).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from artrights.ledger.keys import log_origin, log_verifier_key
from artrights.ledger.labels import statement_label
from artrights.timestamps.selectors import trusted_roots
from artrights.verify import Trust, Verdict, verify_bytes

from .keys import signing_identity

CHECK_LABELS = {
    "pdf_signature": _("PDF 电子签名"),
    "c2pa": _("内容凭证（C2PA）"),
    "c2pa_timestamp": _("内容凭证签名时间戳"),
    "file_hash": _("文件哈希"),
    "statement": _("登记声明与承诺"),
    "inclusion_proof": _("日志包含证明"),
    "checkpoint_signature": _("日志检查点签名"),
    "timestamp": _("可信时间戳"),
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
class Result:
    valid: bool
    summary: str  # the offline verifier's own line (Chinese / English), as `artrights verify` prints it
    sentence: str  # the verdict in the page's language
    checks: list[Check] = field(default_factory=list)
    number: str | None = None


def _check(name: str, ok: bool, detail: str = "") -> Check:
    return Check(name, str(CHECK_LABELS.get(name, name)), ok, detail, str(CHECK_EXPLANATIONS.get(name, "")))


def _beijing_time(verdict: Verdict) -> str:
    """The verdict's trusted time in the platform's time zone (TIME_ZONE, Asia/Shanghai)."""
    return timezone.localtime(verdict.timestamp).strftime("%Y-%m-%d %H:%M:%S") if verdict.timestamp else ""


def _sentence(verdict: Verdict, failure: str) -> str:
    if not verdict.ok:
        label = str(CHECK_LABELS.get(verdict.failed_check or "", verdict.failed_check or ""))
        reason = failure.rstrip("。.")
        return gettext("这份文件未通过核验。“%(check)s”不符：%(reason)s。") % {"check": label, "reason": reason}
    values = {
        "what": statement_label(verdict.statement_type),
        "number": verdict.number,
        "index": verdict.log_index,
        "time": _beijing_time(verdict),
    }
    # The page always passes the platform's signing roots, so the verifier's one warning (an unchecked signer)
    # cannot arise here; the verdict is complete without its warnings.
    return gettext("%(what)s %(number)s 已记入公开日志（序号 %(index)s），可信时间戳为 %(time)s（北京时间）。") % values


def verify_upload(data: bytes, *, name: str = "", original: bytes | None = None) -> Result:
    """Verify an uploaded certificate PDF, proof JSON or credentialed image; report every check."""
    english = (get_language() or "").startswith("en")
    verdict = verify_bytes(data, platform_trust(), file_bytes=original)
    failure = (verdict.message_en if english else verdict.message_zh) or ""
    checks = [_check(c, True) for c in verdict.passed]
    if not verdict.ok and verdict.failed_check:
        checks.append(_check(verdict.failed_check, False, failure))
    return Result(
        valid=verdict.ok,
        summary=verdict.summary(),
        sentence=_sentence(verdict, failure),
        checks=checks,
        number=verdict.number,
    )
