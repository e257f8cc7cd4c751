from __future__ import annotations

import getpass
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from artrights.accounts.models import Organisation, Role
from artrights.accounts.services import create_user
from artrights.core import audit


class Command(BaseCommand):
    help = "创建用户并指定角色 / Create a user with a role"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="机构的统一社会信用代码 / the organisation's USCC")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="不填则提示输入 / prompted when omitted")
        parser.add_argument("--random-password", action="store_true", help="生成并打印随机密码 / generate one")

    def handle(self, *args: Any, **opts: Any) -> None:
        organisation = None
        if opts["organisation"]:
            organisation = Organisation.objects.filter(uscc=opts["organisation"].upper()).first()
            if organisation is None:
                raise CommandError(f"未找到机构 / no organisation with USCC {opts['organisation']}")
        password = opts["password"]
        if opts["random_password"]:
            password = secrets.token_urlsafe(12)
        elif not password:
            password = getpass.getpass("密码 / password: ")
            if password != getpass.getpass("再次输入 / again: "):
                raise CommandError("两次输入的密码不一致 / the passwords differ")
        try:
            with audit.context(via="cli"):
                user = create_user(
                    username=opts["username"],
                    role=opts["role"],
                    password=password,
                    organisation=organisation,
                    display_name=opts["display_name"],
                    email=opts["email"],
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已创建用户 / created user {user.username} ({user.get_role_display()})")
        if opts["random_password"]:
            self.stdout.write(f"密码 / password: {password}")
