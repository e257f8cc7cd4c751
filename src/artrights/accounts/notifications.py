"""The notifications accounts sends (core.notifying): security notices about a user's API tokens and logins."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from artrights.core.notifying import Kind, register

from .models import TokenScope

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
        coded={"scopes": TokenScope},
        listed=frozenset({"scopes"}),
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
LOGIN_LOCKED = register(
    Kind(
        "accounts.login_locked",
        label=_("登录被暂停"),
        title=_("有人多次输错您账户的密码"),
        body=_(
            "从网络地址 %(address)s 登录您的账户时连续 %(count)s 次密码错误，"
            "来自这个地址的登录已暂停 %(minutes)s 分钟。"
            "您从其他地址登录不受影响。如果不是您本人，请修改密码；如果是您本人，稍后再试即可。"
        ),
        essential=True,
    )
)
