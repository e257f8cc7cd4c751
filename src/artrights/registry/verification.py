"""The public verification page's engine: the offline verifier, fed with the platform's own trust anchors.

The page runs exactly what `artrights verify` runs on a court's laptop; it only saves the visitor from
downloading the trust file (offered at /verify/trust.json for offline use).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from artrights.ledger.keys import log_origin, log_verifier_key
from artrights.timestamps.selectors import trusted_roots
from artrights.verify import Trust, verify_bytes

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


@dataclass
class Result:
    valid: bool
    summary: str
    checks: list[Check] = field(default_factory=list)
    number: str | None = None


def verify_upload(data: bytes, *, name: str = "", original: bytes | None = None) -> Result:
    """Verify an uploaded certificate PDF, proof JSON or credentialed image; report every check."""
    english = (get_language() or "").startswith("en")
    verdict = verify_bytes(data, platform_trust(), file_bytes=original)
    checks = [Check(c, str(CHECK_LABELS.get(c, c)), True) for c in verdict.passed]
    if not verdict.ok and verdict.failed_check:
        detail = verdict.message_en if english else verdict.message_zh
        checks.append(
            Check(
                verdict.failed_check,
                str(CHECK_LABELS.get(verdict.failed_check, verdict.failed_check)),
                False,
                detail or "",
            )
        )
    return Result(valid=verdict.ok, summary=verdict.summary(), checks=checks, number=verdict.number)
