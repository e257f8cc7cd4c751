"""The notifications accounts sends (core.notifying): changes to a user's API tokens, which are security notices."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

TOKEN_ISSUED = register(
    Kind(
        "accounts.token_issued",
        label=_("创建API令牌"),
        title=_("您的账户创建了API令牌“%(name)s”"),
        body=_(
            "令牌“%(name)s”（%(prefix)s…，权限范围：%(scopes)s）可以代表您调用平台接口。"
            "如果不是您本人操作，请立即撤销该令牌并修改密码。"
        ),
        essential=True,
    )
)
TOKEN_REVOKED = register(
    Kind(
        "accounts.token_revoked",
        label=_("撤销API令牌"),
        title=_("您的API令牌“%(name)s”已撤销"),
        body=_("令牌“%(name)s”（%(prefix)s…）已停止使用，使用它的脚本和对接系统将无法再调用接口。"),
        essential=True,
    )
)
