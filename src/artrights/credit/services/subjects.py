"""Credit subjects: organisations keyed by their unified social credit code, persons by resident ID number (S20
Art 24), each with the principals the memorandum extends measures to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core.identifiers import IdentifierError, normalise, parse_resident_id, parse_uscc
from artrights.core.validators import validate_plain_text

from ..models import CodeKind, CreditSubject, Principal, PrincipalRole, SubjectType
from ._common import InLanguage, refused


@dataclass(frozen=True)
class CheckedCode:
    kind: str  # CodeKind
    code: str  # normalised
    region: str


def _as_uscc(value: str) -> CheckedCode:
    info = parse_uscc(value)
    return CheckedCode(CodeKind.USCC, info.code, info.region)


def _as_resident_id(value: str) -> CheckedCode:
    info = parse_resident_id(value)
    return CheckedCode(CodeKind.RESIDENT_ID, info.number, info.region)


def check_code(value: str, subject_type: str | None = None) -> CheckedCode:
    """A USCC (organisations) or a resident ID number (persons), checked by GB 32100 / GB 11643; a refusal that
    names the wrong character otherwise. Without a subject type the code may be either."""
    code = normalise(value or "")
    if not code:
        raise refused("code_missing", _("请填写统一社会信用代码或身份证号码。"))
    if subject_type is not None:
        checker = _as_resident_id if subject_type == SubjectType.NATURAL else _as_uscc
        try:
            return checker(code)
        except IdentifierError as exc:
            raise refused("invalid_code", _("信用代码无效：%(reason)s"), reason=InLanguage(exc)) from None
    try:
        return _as_uscc(code)
    except IdentifierError as uscc_error:
        if not (len(code) == 18 and code[:17].isdigit()):
            raise refused("invalid_code", _("信用代码无效：%(reason)s"), reason=InLanguage(uscc_error)) from None
        try:
            return _as_resident_id(code)
        except IdentifierError as id_error:
            raise refused(
                "invalid_code",
                _("信用代码无效：既不是有效的统一社会信用代码（%(uscc)s），也不是有效的身份证号码（%(id)s）"),
                uscc=InLanguage(uscc_error),
                id=InLanguage(id_error),
            ) from None


@dataclass(frozen=True)
class PrincipalInput:
    role: str
    name: str
    id_number: str


def clean_text(
    value: str, label: str | Promise, *, required: bool = True, limit: int = 200, multiline: bool = False
) -> str:
    """``value`` stripped, present when required, short enough, free of hidden characters; ``label`` names it."""
    text = (value or "").strip()
    if required and not text:
        raise refused("missing", _("请填写%(field)s。"), field=label)
    if len(text) > limit:
        raise refused("too_long", _("%(field)s不能超过 %(limit)s 个字。"), field=label, limit=limit)
    try:
        validate_plain_text(text, multiline=multiline)
    except ValidationError as exc:
        raise refused("hidden_characters", _("%(field)s：%(reason)s"), field=label, reason=exc.messages[0]) from None
    return text


def _check_principal(item: PrincipalInput) -> PrincipalInput:
    if item.role not in PrincipalRole.values:
        raise refused("principal_role", _("主要负责人的身份无效：%(role)s"), role=item.role)
    name = clean_text(item.name, _("主要负责人姓名"), limit=100)
    return PrincipalInput(item.role, name, check_code(item.id_number, SubjectType.NATURAL).code)


def checked_subject_fields(
    *, code: str, name: str, subject_type: str, legal_rep: str, is_agency: bool
) -> dict[str, Any]:
    """The fields of a new subject after every check (an import checks its rows with this before writing)."""
    if subject_type not in SubjectType.values:
        raise refused("subject_type", _("主体类型无效：%(type)s"), type=subject_type)
    checked = check_code(code, subject_type)
    if is_agency and checked.kind != CodeKind.USCC:
        raise refused("agency_person", _("代理机构是组织，应以统一社会信用代码登记。"))
    return {
        "subject_type": subject_type,
        "code_kind": checked.kind,
        "code": checked.code,
        "region": checked.region,
        "name": clean_text(name, _("名称/姓名")),
        "legal_rep": clean_text(legal_rep, _("法定代表人"), required=False, limit=100),
        "is_agency": is_agency,
    }


def register_subject(
    *,
    user: Any,
    code: str,
    name: str,
    subject_type: str,
    legal_rep: str = "",
    is_agency: bool = False,
    principals: Sequence[PrincipalInput] = (),
) -> CreditSubject:
    """Register a subject with its principals; an agency gets its first grade at once."""
    require(user, "register", CreditSubject)
    fields = checked_subject_fields(
        code=code, name=name, subject_type=subject_type, legal_rep=legal_rep, is_agency=is_agency
    )
    people = [_check_principal(p) for p in principals]
    with transaction.atomic():
        if CreditSubject.objects.filter(code=fields["code"]).exists():
            raise refused("subject_exists", _("代码为 %(code)s 的信用主体已经登记。"), code=fields["code"])
        subject = CreditSubject.objects.create(created_by=user, **fields)
        for person in people:
            Principal.objects.get_or_create(
                subject=subject, role=person.role, id_number=person.id_number, defaults={"name": person.name}
            )
        if subject.is_agency:
            from .grades import recompute

            recompute(subject=subject, reason="registered")
    return subject


@transaction.atomic
def add_principal(*, user: Any, subject: CreditSubject, principal: PrincipalInput) -> Principal:
    """Name one more person measures extend to (legal representative, principal, responsible staff, controller)."""
    require(user, "record", subject)
    person = _check_principal(principal)
    found, created = Principal.objects.get_or_create(
        subject=subject, role=person.role, id_number=person.id_number, defaults={"name": person.name}
    )
    if not created:
        raise refused("principal_exists", _("这名人员已经登记。"))
    return found
