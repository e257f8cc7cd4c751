"""Checks for the national identifiers parties carry. Pure Python, no Django.

- GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from a 31-character set, an outer
  mod-31 check character at position 18, and the GB 11714 organisation code (positions 9–17) with its own
  mod-11 check character at position 17. See DOMAIN.md §3.9.
- GB 11643-1999 citizen identity number (公民身份号码): 6-digit region, 8-digit birth date, 3-digit sequence,
  ISO 7064 MOD 11-2 check character.

Every failure carries a code, the 1-based position of the offending character, and a message in Chinese and
English, so the form can name exactly what is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from artrights.core.errors import BilingualError

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"

# Registration-authority codes (position 1) and the institution categories each allows (position 2).
USCC_CATEGORIES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交
    "3": "1234569",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商/市场监管: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}


class IdentifierError(BilingualError, ValueError):
    """An identifier failed a check; `position` is 1-based (0 when the whole value is wrong)."""

    def __init__(self, code: str, position: int, message_zh: str, message_en: str) -> None:
        super().__init__(code, message_zh, message_en)
        self.position = position


@dataclass(frozen=True)
class USCCInfo:
    code: str
    authority: str
    category: str
    region: str
    organisation_code: str
    organisation_check_ok: bool


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    # When the sum is a multiple of 31 the check value is 31 - 0 = 31, which wraps to '0'.
    return USCC_CHARS[(31 - total % 31) % 31]


def organisation_code_check_char(first8: str) -> str:
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    remainder = 11 - sum(value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def parse_uscc(value: str) -> USCCInfo:
    """Validate a unified social credit code and return its parts, or raise IdentifierError."""
    code = normalise(value)
    if len(code) != 18:
        raise IdentifierError(
            "uscc_length",
            0,
            f"统一社会信用代码应为18位，实际为{len(code)}位。",
            f"A unified social credit code has 18 characters; this one has {len(code)}.",
        )
    # Position 18 is judged by the check below, which also names the character it should be.
    for pos, char in enumerate(code[:17], start=1):
        if char not in _USCC_VALUE:
            raise IdentifierError(
                "uscc_character",
                pos,
                f"第{pos}位字符“{char}”不是统一社会信用代码允许的字符（不使用 I、O、S、V、Z）。",
                f"Character {pos} '{char}' is not allowed in a unified social credit code (I, O, S, V, Z are "
                "never used).",
            )
    authority, category = code[0], code[1]
    if authority not in USCC_CATEGORIES:
        raise IdentifierError(
            "uscc_authority",
            1,
            f"第1位登记管理部门码“{authority}”不存在。",
            f"Character 1 '{authority}' is not a registration-authority code.",
        )
    if category not in USCC_CATEGORIES[authority]:
        raise IdentifierError(
            "uscc_category",
            2,
            f"第2位机构类别码“{category}”不属于登记管理部门码“{authority}”。",
            f"Character 2 '{category}' is not an institution category under authority code '{authority}'.",
        )
    if not code[2:8].isdigit():
        bad = next(i for i, c in enumerate(code[2:8], start=3) if not c.isdigit())
        raise IdentifierError(
            "uscc_region",
            bad,
            f"第{bad}位应为数字（第3–8位是行政区划码）。",
            f"Character {bad} must be a digit (characters 3–8 are the administrative region code).",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise IdentifierError(
            "uscc_check",
            18,
            f"第18位校验码错误：应为“{expected}”，实际为“{code[17]}”。",
            f"Check character 18 is wrong: expected '{expected}', found '{code[17]}'.",
        )
    org = code[8:17]
    org_ok = all(c.isdigit() or c.isalpha() for c in org) and organisation_code_check_char(org[:8]) == org[8]
    return USCCInfo(code, authority, category, code[2:8], org, org_ok)


@dataclass(frozen=True)
class ResidentIdInfo:
    number: str
    region: str
    birth_date: dt.date
    sex: str  # "M" or "F" from the parity of the sequence code


def resident_id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def parse_resident_id(value: str, *, today: dt.date | None = None) -> ResidentIdInfo:
    """Validate an 18-digit citizen identity number (GB 11643), or raise IdentifierError."""
    number = normalise(value)
    if len(number) != 18:
        raise IdentifierError(
            "id_length",
            0,
            f"公民身份号码应为18位，实际为{len(number)}位。",
            f"A citizen identity number has 18 characters; this one has {len(number)}.",
        )
    for pos, char in enumerate(number[:17], start=1):
        if not char.isdigit():
            raise IdentifierError(
                "id_character",
                pos,
                f"第{pos}位字符“{char}”应为数字。",
                f"Character {pos} '{char}' must be a digit.",
            )
    if number[17] not in "0123456789X":
        raise IdentifierError(
            "id_character",
            18,
            f"第18位字符“{number[17]}”应为数字或X。",
            f"Character 18 '{number[17]}' must be a digit or X.",
        )
    if number[0] not in "123456789" or number[:2] in {"10", "20", "30", "40", "60", "70", "80", "90"}:
        raise IdentifierError(
            "id_region",
            1,
            f"前两位“{number[:2]}”不是有效的省级行政区划码。",
            f"Characters 1–2 '{number[:2]}' are not a valid province code.",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError(
            "id_birth_date",
            7,
            f"第7–14位出生日期“{number[6:14]}”不是有效日期。",
            f"Characters 7–14 '{number[6:14]}' are not a valid birth date.",
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise IdentifierError(
            "id_birth_date",
            7,
            f"第7–14位出生日期“{number[6:14]}”不在合理范围内。",
            f"Characters 7–14: the birth date '{number[6:14]}' is out of range.",
        )
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise IdentifierError(
            "id_check",
            18,
            f"第18位校验码错误：应为“{expected}”，实际为“{number[17]}”。",
            f"Check character 18 is wrong: expected '{expected}', found '{number[17]}'.",
        )
    return ResidentIdInfo(number, number[:6], birth, "M" if int(number[16]) % 2 else "F")


def compose_uscc(authority: str, category: str, region: str, organisation_body: str) -> str:
    """Build a valid code from its parts (8-character organisation body); both check characters computed."""
    org = organisation_body.upper() + organisation_code_check_char(organisation_body.upper())
    first17 = f"{authority}{category}{region}{org}".upper()
    code = first17 + uscc_check_char(first17) if all(c in _USCC_VALUE for c in first17) else first17
    return parse_uscc(code).code  # raises IdentifierError naming the bad part
