"""The integrity rules of licences, transfers and trades (DOMAIN.md §6.1, §6.4), with no Django.

Each rule has a stable name; a refusal raises :class:`RuleBroken` (a ``BilingualError`` whose ``code`` is the
rule's name) so a page, the API, a command or a court's script all say which rule the act would break. The
web layer gathers the facts (the work's grants, pledges, co-owners, trades) and asks these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from artrights.core.errors import BilingualError

# The licence tiers (DOMAIN.md §6.1): 独占 sole, 排他 exclusive, 普通 non-exclusive.
SOLE = "sole"
EXCLUSIVE = "exclusive"
NON_EXCLUSIVE = "non_exclusive"
EXCLUSIVE_TIERS = frozenset({SOLE, EXCLUSIVE})
# A territory that contains every other one.
WORLDWIDE = "worldwide"
# Mainland China, and the prefix of the provinces inside it (``cn-`` and the GB/T 2260 province code, ``cn-44``).
MAINLAND = "mainland"
PROVINCE_PREFIX = "cn-"


@dataclass(frozen=True)
class Rule:
    name: str
    zh: str
    en: str


EXCLUSIVE_OVERLAP = Rule(
    "exclusive_overlap",
    "独占或排他许可不得重叠：同一权利、同一地域、期间重叠的独占或排他许可只能有一个",
    "no two exclusive or sole licences of the same right, territory and overlapping period",
)
INSIDE_SOLE = Rule(
    "non_exclusive_inside_sole",
    "独占许可期间内不得再许可：独占许可的权利、地域和期间内不得另行授予普通许可",
    "no non-exclusive licence inside a sole licence",
)
PLEDGE_CONSENT = Rule(
    "pledgee_consent",
    "已出质的作品须经质权人同意才能转让或许可（民法典第四百四十四条）",
    "a pledged work needs the pledgee's consent (Civil Code Art. 444)",
)
JOINT_WORK = Rule(
    "joint_work_all_owners",
    "合作作品的转让、专有许可和出质须经全体著作权人同意（著作权法第十四条）",
    "a joint work needs all co-owners for a transfer, an exclusive licence or a pledge (Copyright Law Art. 14)",
)
REVOKED = Rule(
    "revoked_work",
    "已撤销登记的作品不能许可、转让、挂牌或融资",
    "nothing may be licensed, transferred, listed or financed on a revoked work",
)
NOT_HOLDER = Rule(
    "licensor_holds_rights",
    "许可方或转让方须持有所许可或转让的权利",
    "the licensor or transferor must hold the rights granted",
)
T_PLUS_5 = Rule(
    "t_plus_5",
    "同一标的买入后须满 5 个交易日才能再次卖出（T+5）",
    "an item bought may be sold again only after 5 trading days (T+5)",
)
NO_FRACTIONS = Rule(
    "no_fractional_shares",
    "不得将权利拆分为份额挂牌交易，只能整体协议转让或拍卖",
    "no fractional shares: rights are listed whole, for agreement transfer or auction only",
)
TRADING_METHOD = Rule(
    "agreement_or_auction",
    "交易方式只能是协议转让或拍卖，不得集中交易",
    "trades are by agreement transfer or auction only, never centralised trading",
)
NOT_RUNNING = Rule(
    "royalty_licence_running",
    "只有有效期内、已备案、按销售提成或按件计酬的许可才能报送许可使用费",
    "royalty reports are for filed licences in force with a running or per-unit royalty only",
)

DISCLOSURE = Rule(
    "disclosure_period",
    "挂牌须经不少于 20 个工作日的信息披露期，披露期满前不得成交、竞价或落槌",
    "a listing is disclosed for at least 20 working days; nothing matches, bids or is awarded before it ends",
)
AUCTION_TERMS = Rule(
    "auction_terms",
    "拍卖挂牌须写明竞价截止时间（在信息披露期满之后）、竞买保证金和加价幅度",
    "an auction names its bidding end (after the disclosure period), the bidder's deposit and the minimum increment",
)
DEPOSIT_FIRST = Rule(
    "deposit_before_bidding",
    "竞买人须先交纳并登记竞买保证金，才能出价",
    "a bidder's deposit is recorded before the bidder may bid",
)
BID_INCREMENT = Rule(
    "bid_increment",
    "出价不得低于起拍价，且须比当前最高价至少高出一个加价幅度",
    "a bid is at least the starting price and above the highest bid by at least the minimum increment",
)
BIDDING_CLOSED = Rule(
    "bidding_window",
    "竞价截止后不再接受出价；竞价截止前不得落槌",
    "no bid after the bidding end; no award before it",
)
SUBLICENCE_CONSENT = Rule(
    "sublicence_consent",
    "被许可方只有在许可合同约定可转许可、且许可已备案并在有效期内时，才能转许可（著作权法实施条例第二十四条）",
    "a licensee may sub-license only under a filed licence in force that allows sub-licensing",
)
SUBLICENCE_SCOPE = Rule(
    "sublicence_scope",
    "转许可不得超出原许可的权利种类、地域范围、期限和许可方式",
    "a sub-licence stays within its licence's rights, territory, term and exclusivity",
)

RULES = (
    EXCLUSIVE_OVERLAP,
    INSIDE_SOLE,
    PLEDGE_CONSENT,
    JOINT_WORK,
    REVOKED,
    NOT_HOLDER,
    T_PLUS_5,
    NO_FRACTIONS,
    TRADING_METHOD,
    NOT_RUNNING,
    DISCLOSURE,
    AUCTION_TERMS,
    DEPOSIT_FIRST,
    BID_INCREMENT,
    BIDDING_CLOSED,
    SUBLICENCE_CONSENT,
    SUBLICENCE_SCOPE,
)


class RuleBroken(BilingualError):
    """A refusal under one named rule; ``code`` is the rule's name, the message starts with it."""

    def __init__(self, rule: Rule, detail_zh: str = "", detail_en: str = "") -> None:
        super().__init__(
            rule.name,
            f"违反规则 {rule.name}（{rule.zh}）" + (f"：{detail_zh}" if detail_zh else ""),
            f"Refused by rule {rule.name} ({rule.en})" + (f": {detail_en}" if detail_en else ""),
        )
        self.rule = rule


@dataclass(frozen=True)
class Grant:
    """A licence in force or asked for: which rights, how exclusive, where and when (``end`` None: open-ended)."""

    rights: frozenset[str]
    exclusivity: str
    territory: str
    start: dt.date
    end: dt.date | None
    label: str = ""  # how a refusal names it (a contract number)

    def overlaps(self, other: Grant) -> bool:
        """Same right, overlapping territory and overlapping period."""
        if not self.rights & other.rights:
            return False
        if not territories_overlap(self.territory, other.territory):
            return False
        return periods_overlap(self.start, self.end, other.start, other.end)


def territory_contains(outer: str, inner: str) -> bool:
    """Worldwide contains everything; the mainland contains its provinces; otherwise only itself."""
    return outer == inner or outer == WORLDWIDE or (outer == MAINLAND and inner.startswith(PROVINCE_PREFIX))


def territories_overlap(a: str, b: str) -> bool:
    return territory_contains(a, b) or territory_contains(b, a)


def periods_overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Closed intervals; an open end runs forever."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def check_licence(new: Grant, existing: Iterable[Grant]) -> None:
    """Refuse ``new`` when it would overlap an exclusive or sole licence (or sit inside a sole one)."""
    for other in existing:
        if not new.overlaps(other):
            continue
        if new.exclusivity in EXCLUSIVE_TIERS and other.exclusivity in EXCLUSIVE_TIERS:
            raise RuleBroken(EXCLUSIVE_OVERLAP, f"与 {other.label} 重叠", f"it overlaps {other.label}")
        if new.exclusivity == NON_EXCLUSIVE and other.exclusivity == SOLE:
            raise RuleBroken(
                INSIDE_SOLE, f"落在独占许可 {other.label} 之内", f"it falls inside sole licence {other.label}"
            )


def check_joint_work(*, owners: Sequence[str], consenting: Iterable[str], exclusivity: str | None) -> None:
    """A transfer (``exclusivity`` None) or an exclusive licence of a joint work needs every co-owner."""
    if len(owners) < 2 or exclusivity == NON_EXCLUSIVE:
        return
    missing = sorted(set(owners) - set(consenting))
    if missing:
        raise RuleBroken(
            JOINT_WORK,
            f"尚有 {len(missing)} 位共有人未签署",
            f"{len(missing)} co-owner(s) have not signed",
        )


def check_resale(*, bought_on: dt.date | None, selling_on: dt.date, earliest: dt.date | None) -> None:
    """T+5: refuse a sale before ``earliest`` (the fifth trading day after the purchase)."""
    if bought_on is None or earliest is None:
        return
    if selling_on < earliest:
        raise RuleBroken(
            T_PLUS_5,
            f"买入日 {bought_on.isoformat()}，最早 {earliest.isoformat()} 才能再次卖出",
            f"bought on {bought_on.isoformat()}, it may be sold again from {earliest.isoformat()}",
        )


def check_whole(share_percent: int) -> None:
    if share_percent != 100:
        raise RuleBroken(NO_FRACTIONS, f"挂牌份额为 {share_percent}%", f"a {share_percent}% share was listed")


def check_disclosure_length(*, disclosure_until: dt.date, earliest_end: dt.date) -> None:
    """A listing's disclosure may be longer than the minimum, never shorter."""
    if disclosure_until < earliest_end:
        raise RuleBroken(
            DISCLOSURE,
            f"披露期至 {disclosure_until.isoformat()}，最早须至 {earliest_end.isoformat()}",
            f"disclosed until {disclosure_until.isoformat()}, it must run at least until {earliest_end.isoformat()}",
        )


def check_disclosed(*, disclosure_until: dt.date, on: dt.date) -> None:
    """Nothing matches, bids or is awarded while the disclosure runs (its last day included)."""
    if on <= disclosure_until:
        raise RuleBroken(
            DISCLOSURE,
            f"信息披露期至 {disclosure_until.isoformat()}，期满后才能进行",
            f"the disclosure runs until {disclosure_until.isoformat()}; wait until it ends",
        )


def check_bid(*, amount: Decimal, start_price: Decimal, highest: Decimal | None, increment: Decimal) -> None:
    """The first bid is at least the starting price; each later one beats the highest by the increment."""
    floor = start_price if highest is None else highest + increment
    if amount < floor:
        raise RuleBroken(
            BID_INCREMENT,
            f"出价 {amount} 元，至少须为 {floor} 元",
            f"a bid of {amount} yuan; it must be at least {floor} yuan",
        )


# How far each tier lets its holder exclude others: a sub-licence never reaches further than its licence.
TIER_RANK = {NON_EXCLUSIVE: 0, EXCLUSIVE: 1, SOLE: 2}


def check_sublicence(*, parent: Grant, sublicensable: bool, in_force: bool, new: Grant) -> None:
    """A sub-licence needs a licence in force that allows it, and stays inside that licence's scope."""
    if not sublicensable or not in_force:
        why = (
            ("原许可未约定可转许可", "the licence does not allow sub-licensing")
            if not sublicensable
            else (
                "原许可未备案或不在有效期内",
                "the licence is not filed or not in force",
            )
        )
        raise RuleBroken(SUBLICENCE_CONSENT, f"{parent.label}：{why[0]}", f"{parent.label}: {why[1]}")
    outside: list[tuple[str, str]] = []
    if not new.rights <= parent.rights:
        outside.append(("权利种类", "rights"))
    if not territory_contains(parent.territory, new.territory):
        outside.append(("地域范围", "territory"))
    ends_late = parent.end is not None and (new.end is None or new.end > parent.end)
    if new.start < parent.start or ends_late:
        outside.append(("期限", "term"))
    if TIER_RANK.get(new.exclusivity, 3) > TIER_RANK.get(parent.exclusivity, 0):
        outside.append(("许可方式", "exclusivity"))
    if outside:
        raise RuleBroken(
            SUBLICENCE_SCOPE,
            f"超出 {parent.label} 的" + "、".join(zh for zh, _en in outside),
            f"beyond {parent.label} in " + ", ".join(en for _zh, en in outside),
        )
