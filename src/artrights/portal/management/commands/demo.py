from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from artrights.accounts.models import Organisation, OrganisationKind, Role, User
from artrights.accounts.services import complete_identity, create_user
from artrights.core import audit
from artrights.core.identifiers import compose_uscc, resident_id_check_char
from artrights.core.public_url import public_url
from artrights.core.services import PartyInput
from artrights.credit import demo as credit_demo
from artrights.evidence import demo as evidence_demo
from artrights.funding import demo as funding_demo
from artrights.inspections import demo as inspections_demo
from artrights.licensing import demo as licensing_demo
from artrights.mediation import demo as mediation_demo
from artrights.onestop import demo as onestop_demo
from artrights.registry import demo as registry_demo

DEMO_ORGS = [
    (
        "agency",
        OrganisationKind.AGENCY,
        "深圳市示例版权代理有限公司",
        compose_uscc("9", "1", "440300", "MA5D7K01"),
    ),
    (
        "workstation",
        OrganisationKind.WORKSTATION,
        "大芬美术产业协会知识产权保护工作站",
        compose_uscc("5", "1", "440307", "MJ0D7K02"),
    ),
    (
        "department",
        OrganisationKind.DEPARTMENT,
        "深圳市市场监督管理局（示例）",
        compose_uscc("1", "1", "440300", "00D7K003"),
    ),
    (
        "mediation",
        OrganisationKind.MEDIATION_ORG,
        "深圳市版权纠纷调解委员会（示例）",
        compose_uscc("5", "1", "440300", "MJ0D7K04"),
    ),
    (
        "court",
        OrganisationKind.COURT,
        mediation_demo.COURT,
        compose_uscc("1", "1", "440307", "00D7K005"),
    ),
]
ROLE_ORG = {
    Role.AGENCY: "agency",
    Role.REGISTRAR: "department",
    Role.SUPERVISOR: "department",
    Role.INSPECTOR: "department",
    Role.PARTNER: "department",
    Role.MEDIATOR: "mediation",
    Role.MEDIATION_ADMIN: "mediation",
    Role.COURT: "court",
}
ROLE_NAMES = {
    Role.ARTIST: "林画家",
    Role.AGENCY: "王代理",
    Role.REGISTRAR: "陈审核",
    Role.MEDIATOR: "李调解",
    Role.MEDIATION_ADMIN: "张管理",
    Role.SUPERVISOR: "赵监管",
    Role.INSPECTOR: "孙检查",
    Role.PARTNER: "周部门",
    Role.COURT: "何法官",
    Role.ADMIN: "系统管理员",
}

# The demo rights holder's identity: a resident ID of Shenzhen's Longgang district (大芬村) with a valid check
# character, so the demo artist can file in their own name at once.
_DEMO_ID_BODY = "44030719900101123"
DEMO_ARTIST_IDENTITY = PartyInput(
    name=ROLE_NAMES[Role.ARTIST], id_type="resident_id", id_number=_DEMO_ID_BODY + resident_id_check_char(_DEMO_ID_BODY)
)


def accounts_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-accounts.txt"


def _banner(url: str) -> str:
    return f"演示账户 / demo accounts ({url}/accounts/login/)"


def _write_accounts(text: str) -> Path:
    path = accounts_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return path


class Command(BaseCommand):
    help = "载入演示数据：每个角色一个账户（只载入一次）/ Load the demo data once: one account per role"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prefix", default="demo-", help="用户名前缀 / username prefix")
        parser.add_argument("--url", default="", help="平台网址（默认：公开网址）/ the platform's address")

    def handle(self, *args: Any, **opts: Any) -> None:
        prefix = opts["prefix"]
        url = (opts["url"] or public_url()).rstrip("/")
        if User.objects.filter(username=f"{prefix}{Role.ADMIN.value}").exists():
            path = accounts_file()
            if path.exists():
                # Served on another address this time: the saved accounts point at the one served now.
                _banner_line, _newline, accounts = path.read_text(encoding="utf-8").partition("\n")
                _write_accounts(_banner(url) + "\n" + accounts)
            self.stdout.write(f"演示数据已存在，账户与密码见 / demo data already loaded; accounts in {path}")
            self.stdout.write(_banner(url))
            return
        with audit.context(via="cli"), transaction.atomic():
            orgs = {}
            for key, kind, name, uscc in DEMO_ORGS:
                orgs[key], _ = Organisation.objects.get_or_create(uscc=uscc, defaults={"kind": kind, "name": name})
            created = []
            users: dict[str, User] = {}
            for role in Role:
                password = secrets.token_urlsafe(9)
                user = create_user(
                    username=f"{prefix}{role.value}",
                    role=role,
                    password=password,
                    organisation=orgs.get(ROLE_ORG.get(role, "")),
                    display_name=ROLE_NAMES[role],
                    # Notification e-mails show in the worker's terminal in development (the console backend).
                    email=f"{prefix}{role.value}@artrights.localhost",
                    check_password=False,
                )
                if role == Role.ARTIST:
                    user = complete_identity(user=user, identity=DEMO_ARTIST_IDENTITY)
                    # The demo's addresses are not mailboxes anyone reads: they count as proved.
                    user.email_verified_at = timezone.now()
                    user.save(update_fields=["email_verified_at"])
                created.append((user.username, str(role.label), password))
                users[role] = user
            # Each app's demo data, made by the demo accounts through the apps' own services.
            works = registry_demo.load(users)
            evidence = evidence_demo.load(users, works)
            # After the registry's: a listing bars the agency it lists from filing for clients.
            subjects = credit_demo.load(users, held_owner=registry_demo.COPIER)
            contracts = licensing_demo.load(users, works)
            draw = inspections_demo.load(users, subjects)
            cases = mediation_demo.load(users, works, evidence)
            subsidies = funding_demo.load(users, works)
            requests = onestop_demo.load(users, works)
        lines = [_banner(url)]
        lines += [f"  {role:<24} {username:<22} {password}" for username, role, password in created]
        text = "\n".join(lines) + "\n"
        path = _write_accounts(text)
        self.stdout.write(text)
        self.stdout.write(f"（已保存到 / saved to {path}）")
        self.stdout.write(
            f"演示作品 / demo works: {len(works)}（登记、备案、补正、代理申请、暂缓的复制品、计算机软件）"
        )
        self.stdout.write(f"演示证据 / demo evidence: {len(evidence)}（比对结果固化、上传文件固化，均已封存）")
        self.stdout.write(f"信用主体 / credit subjects: {len(subjects)}（在列的机构和个人、分级的代理机构）")
        self.stdout.write(
            f"许可与交易 / licensing: {len(contracts)} 份合同"
            "（提成许可及其许可使用费报告和待答复的协商解除提议、待签署的独占许可、差额待补的保底许可、"
            "成交后备案的转让、连同转许可一并终止的展览许可；竞价中的拍卖）"
        )
        self.stdout.write(
            f"双随机抽查 / spot-check draw: {draw.number}，{draw.pool_size} 个对象中抽中 {draw.drawn_count} 个"
            f"（/inspections/ 公开，可下载抽取记录离线核验）"
        )
        self.stdout.write(f"调解案件 / mediation cases: {len(cases)}（待受理、调解中、协议生效、移送法院、征询中）")
        self.stdout.write(f"资助申请 / subsidy applications: {len(subsidies)}（已拨付、待审核、不予资助）")
        self.stdout.write(
            f"一站式服务 / one-stop service requests: {len(requests)}"
            "（大芬工作站：已办结并评价、办理中、待受理、转送调解、协助填写登记草稿）"
        )
