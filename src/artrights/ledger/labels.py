"""What each kind of public statement is called, in the reader's language (the log page, the verification page)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from artrights.proofs.statements import StatementType

# With a context: the same words are buttons elsewhere ("撤销登记" = "Revoke registration"), here they name a record.
STATEMENT_LABELS: dict[str, Promise] = {
    StatementType.REGISTRATION: pgettext_lazy("声明类型", "作品登记"),
    StatementType.DIGITAL_FILING: pgettext_lazy("声明类型", "数字作品备案"),
    StatementType.SOFTWARE_REGISTRATION: pgettext_lazy("声明类型", "计算机软件著作权登记"),
    StatementType.CONTRACT_FILING: pgettext_lazy("声明类型", "著作权合同备案"),
    StatementType.CONTRACT_TERMINATION: pgettext_lazy("声明类型", "著作权合同终止"),
    StatementType.PLEDGE: pgettext_lazy("声明类型", "著作权质权登记"),
    StatementType.CHANGE: pgettext_lazy("声明类型", "变更登记"),
    StatementType.REVOCATION: pgettext_lazy("声明类型", "撤销登记"),
    StatementType.PLEDGE_CANCELLATION: pgettext_lazy("声明类型", "质权注销"),
    StatementType.EVIDENCE: pgettext_lazy("声明类型", "证据固化"),
    StatementType.CREDIT_RECORD: pgettext_lazy("声明类型", "信用记录公示"),
    StatementType.CREDIT_LISTING: pgettext_lazy("声明类型", "列入信用名单"),
    StatementType.CREDIT_CHANGE: pgettext_lazy("声明类型", "信用信息变更"),
    StatementType.CREDIT_REMOVAL: pgettext_lazy("声明类型", "信用信息停止公示或移出名单"),
    StatementType.CREDIT_GRADE: pgettext_lazy("声明类型", "代理机构信用等级"),
    StatementType.AUDIT_ANCHOR: pgettext_lazy("声明类型", "审计日志锚定"),
}


def statement_label(kind: str | None) -> str:
    """The label of a statement type; a type this platform does not write reads "其他声明"."""
    label = STATEMENT_LABELS.get(kind or "")
    return str(label) if label is not None else gettext("其他声明")
