"""What the named actions registry records in the audit log are called, as the people who take them would say them
(the dashboard's "我最近的操作" shows these labels)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from artrights.core.audit import declare

declare(
    {
        "registry.submit": pgettext_lazy("audit action", "提交登记申请"),
        "registry.accept": pgettext_lazy("audit action", "受理登记申请"),
        "registry.start_review": pgettext_lazy("audit action", "开始审查登记申请"),
        "registry.request_correction": pgettext_lazy("audit action", "要求补正登记申请"),
        "registry.correct": pgettext_lazy("audit action", "补正登记申请"),
        "registry.deem_withdrawn": pgettext_lazy("audit action", "登记申请视为撤回"),
        "registry.refuse": pgettext_lazy("audit action", "不予登记"),
        "registry.register": pgettext_lazy("audit action", "予以登记"),
        "registry.withdraw": pgettext_lazy("audit action", "撤回登记申请"),
        "registry.file": pgettext_lazy("audit action", "予以备案"),
        "registry.hold": pgettext_lazy("audit action", "转登记审核员人工审查"),
        "registry.release": pgettext_lazy("audit action", "核查后予以备案"),
        "registry.clear_hold": pgettext_lazy("audit action", "核查后放行受理"),
        "registry.revoke": pgettext_lazy("audit action", "撤销登记"),
        "registry.change": pgettext_lazy("audit action", "变更登记事项"),
        "registry.resolve_duplicates": pgettext_lazy("audit action", "核查重复登记提示"),
        "registry.issue_certificate": pgettext_lazy("audit action", "签发登记证书"),
        "registry.issue_document": pgettext_lazy("audit action", "出具登记文书"),
        "registry.download_openings": pgettext_lazy("audit action", "下载著作权人身份公开值文件"),
        "registry.file_contract": pgettext_lazy("audit action", "备案合同"),
        "registry.register_pledge": pgettext_lazy("audit action", "登记质权"),
        "registry.cancel_pledge": pgettext_lazy("audit action", "注销质权"),
        "registry.pledge_consent": pgettext_lazy("audit action", "质权人同意转让或许可"),
    }
)
