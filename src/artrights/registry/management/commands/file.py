from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from artrights.accounts.models import User
from artrights.core import audit
from artrights.core.identifiers import IdentifierError, parse_resident_id, parse_uscc
from artrights.core.services import PartyInput
from artrights.registry import services
from artrights.registry.issuance import issue_certificate, owner_openings
from artrights.registry.models import FileRole, WorkType
from artrights.registry.verification import platform_trust


def owner_input(name: str, identifier: str | None) -> PartyInput:
    """Guess the identifier's kind: an 18-character USCC or resident ID; anything else is 'other'."""
    if not identifier:
        # A stable placeholder per name, so a batch can file many works for one owner.
        digest = hashlib.sha256(name.encode()).hexdigest()[:12]
        return PartyInput(name=name, id_type="other", id_number=f"未提供-{digest}")
    try:
        return PartyInput(name=name, id_type="resident_id", id_number=parse_resident_id(identifier).number)
    except IdentifierError:
        pass
    try:
        return PartyInput(name=name, id_type="uscc", id_number=parse_uscc(identifier).code, kind="organisation")
    except IdentifierError:
        return PartyInput(name=name, id_type="other", id_number=identifier)


class Command(BaseCommand):
    help = "数字作品备案：写出 certificate.pdf 和 certificate.json / File a digital work and write its certificate"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("image")
        parser.add_argument("--title", required=True)
        parser.add_argument("--author", required=True, action="append", help="可重复 / repeatable")
        parser.add_argument(
            "--as-user",
            required=True,
            help="以哪个账户备案：著作权人本人的实名账户，或代理机构账户 / the filing account: the owner's own "
            "verified account, or an agency's",
        )
        parser.add_argument("--owner", help="代理备案时：著作权人 / when an agency files: the owner")
        parser.add_argument("--owner-id", help="身份证号或统一社会信用代码 / resident ID or USCC")
        parser.add_argument(
            "--power-of-attorney", help="代理备案时：授权委托书文件 / when an agency files: the power of attorney"
        )
        parser.add_argument("--type", default="FINE_ART", choices=WorkType.values)
        parser.add_argument("--completed-on", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--out", required=True, help="输出目录 / output folder")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["image"])
        if not path.is_file():
            raise CommandError(f"找不到文件 / no such file: {path}")
        user = User.objects.filter(username=opts["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有这个账户 / no such active account: {opts['as_user']}")
        files = [services.SampleInput(SimpleUploadedFile(path.name, path.read_bytes()))]
        if opts["power_of_attorney"]:
            letter = Path(opts["power_of_attorney"])
            if not letter.is_file():
                raise CommandError(f"找不到文件 / no such file: {letter}")
            upload = SimpleUploadedFile(letter.name, letter.read_bytes())
            files.append(services.SampleInput(upload, FileRole.POWER_OF_ATTORNEY))
        owners = [owner_input(opts["owner"], opts["owner_id"])] if opts["owner"] else []
        fields = {
            "title": opts["title"],
            "work_type": opts["type"],
            "authors": [{"name": a, "signature": a} for a in opts["author"]],
            "completed_on": opts["completed_on"] or dt.date.today(),
            "rights": ["reproduction", "distribution", "exhibition", "network"],
        }
        try:
            with audit.context(actor=user, via="cli"):
                work = services.file_digital_work(user=user, fields=fields, owners=owners, files=files)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        if not work.is_granted:
            raise CommandError(
                f"{work.flow_number}：与他人作品相同或相似，已暂缓，等待登记机构核查；通过后在平台下载证书 / "
                "matches another owner's work: held for a registrar, the certificate follows their release"
            )
        try:
            with audit.context(actor=user, via="cli"):
                certificate = issue_certificate(work=work)
        except Exception as exc:
            # The filing stands (number and log entry are committed); the worker's sweep makes the certificate.
            raise CommandError(
                f"已备案 {work.number}，但证书暂未生成（{exc}）；平台后台会自动重试，稍后可在平台下载 / "
                "filed, but the certificate could not be made now; the worker retries it, download it later"
            ) from None
        out = Path(opts["out"])
        out.mkdir(parents=True, exist_ok=True)
        with certificate.pdf.open("rb") as fh:
            (out / "certificate.pdf").write_bytes(fh.read())
        (out / "certificate.json").write_text(
            json.dumps(certificate.bundle, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        if certificate.credentialed_image:
            name = Path(str(certificate.credentialed_image.name)).name
            with certificate.credentialed_image.open("rb") as fh:
                (out / name).write_bytes(fh.read())
        # The roots the certificate chains to, so it can be checked offline at once (`artrights verify`).
        (out / "trust.json").write_text(
            json.dumps(platform_trust().to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        # The proof names the owner only by commitment; the file that opens it (with the ID number) stands apart.
        with audit.context(actor=user, via="cli"):
            openings = owner_openings(work=work, user=user)
        (out / "owner-openings.json").write_text(
            json.dumps(openings, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        self.stdout.write(f"已备案 / filed: {work.number}  →  {out / 'certificate.pdf'}, {out / 'certificate.json'}")
        self.stdout.write(
            f"离线验证 / verify offline: artrights verify {out / 'certificate.pdf'} --trust {out / 'trust.json'}"
        )
        self.stdout.write(
            f"{out / 'owner-openings.json'}: 含证件号码，只交给必须核实著作权人身份的人（例如法院） / "
            "contains the owner's ID number: give it only to someone who must confirm the owner (e.g. a court)"
        )
