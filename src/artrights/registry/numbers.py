"""Registration, filing and acceptance numbers.

Numbers come from a counter row locked and bumped in the caller's transaction, so a rolled-back registration
gives its number back (no gaps) and two registrations never share one (no reuse).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ClassLetter, NumberSequence, WorkType

WORK_NUMBER_RE = re.compile(r"^(?P<region>[\u4e00-\u9fff])作登字-(?P<year>(19|20)\d{2})-(?P<cls>[A-Z])-(?P<seq>\d{8})$")


def _next(register: str, region: str, year: int, letter: str = "") -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are allocated inside the registration transaction")
    seq, _created = NumberSequence.objects.select_for_update().get_or_create(
        register=register, region=region, year=year, letter=letter
    )
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


# Verified in public CPCC data (DOMAIN.md §1.3); operators add the other letters in the admin.
VERIFIED_LETTERS = {WorkType.FINE_ART: "F", WorkType.OTHER: "L"}


def class_letter(work_type: str) -> ClassLetter:
    found = ClassLetter.objects.filter(work_type=work_type).first()
    if found is None and work_type in VERIFIED_LETTERS:
        found = ClassLetter(work_type=work_type, letter=VERIFIED_LETTERS[WorkType(work_type)], verified=True)
    if found is None:
        raise ValidationError(
            _("作品类别“%(type)s”尚未配置分类号，请管理员在后台“作品分类号”中设置。")
            % {"type": WorkType(work_type).label}
        )
    return found


def work_registration_number(work_type: str, *, year: int | None = None) -> str:
    """`{region}作登字-{YYYY}-{class}-{8-digit sequence}` (DOMAIN.md §1.3)."""
    region = settings.ARTRIGHTS_REGISTRY_REGION
    year = year or timezone.localdate().year
    letter = class_letter(work_type).letter
    return f"{region}作登字-{year}-{letter}-{_next('work', region, year, letter):08d}"


def digital_filing_number(*, year: int | None = None) -> str:
    """`{region}数备字-{YYYY}-{8-digit sequence}`; the filing centre's own numbering (no class letter)."""
    region = settings.ARTRIGHTS_REGISTRY_REGION
    year = year or timezone.localdate().year
    return f"{region}数备字-{year}-{_next('digital', region, year):08d}"


SOFTWARE_NUMBER_RE = re.compile(r"^(?P<year>(19|20)\d{2})SR(?P<seq>\d{7})$")
SOFTWARE_CERTIFICATE_RE = re.compile(r"^软著登字第(?P<seq>\d{7})号$")


def software_registration_number(*, year: int | None = None) -> str:
    """`{YYYY}SR{7-digit sequence}`: the software register's registration number (DOMAIN.md §1.3)."""
    year = year or timezone.localdate().year
    return f"{year}SR{_next('software', '', year):07d}"


def software_certificate_number() -> str:
    """`软著登字第{7-digit sequence}号`: the certificate's own number, counted across years."""
    return f"软著登字第{_next('software_certificate', '', 0):07d}号"


def contract_filing_number(*, year: int | None = None) -> str:
    region = settings.ARTRIGHTS_REGISTRY_REGION
    year = year or timezone.localdate().year
    return f"{region}合备字-{year}-{_next('contract', region, year):08d}"


def pledge_number(*, year: int | None = None) -> str:
    region = settings.ARTRIGHTS_REGISTRY_REGION
    year = year or timezone.localdate().year
    return f"{region}质登字-{year}-{_next('pledge', region, year):08d}"


def flow_number() -> str:
    """The acceptance number (流水号): date + 6-digit daily sequence."""
    today = timezone.localdate()
    seq = _next("flow", "", int(today.strftime("%Y%m%d")))
    return f"{today:%Y%m%d}{seq:06d}"
