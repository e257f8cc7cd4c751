"""The default catalogues (DOMAIN.md §3.1–§3.4): behaviours, joint-punishment measures and grading indicators.

Administrators change them in the back office (deactivate a row rather than delete it). ``seed`` fills an empty
catalogue: the data migration ``0002_catalogue`` calls it, and so does a ``post_migrate`` receiver when the tables
are empty again (a database emptied with ``flush``, as the test runner does between transactional tests); rows that
exist by code are left as they are. Tags: [R2:S17] CNIPA 2022, [R2:S18] memorandum 1702, [R:S21 Art 49] and
[R:S4 Art 39] Guangdong, [R2:S19] agency evaluation; points and periods marked [I] are design choices.
"""

from __future__ import annotations

from typing import Any

CNIPA = "《知识产权信用管理规定》（国家知识产权局，2022）"
MEMO = "发改财金〔2018〕1702号联合惩戒备忘录"
GD = "《广东省知识产权保护条例》第四十九条、《广东省版权条例》第三十九条"

CNIPA_EN = "CNIPA Provisions on IP Credit Management (2022)"
GD_EN = "Guangdong IP Protection Regulation Art 49; Guangdong Copyright Regulation Art 39"
# The English of the default catalogue's citations and departments, shown to English readers (the Chinese text
# stays the official one; a row an administrator adds has its English typed in the back office).
ENGLISH = {
    CNIPA: CNIPA_EN,
    f"{CNIPA}第九条": f"{CNIPA_EN}, Art 9",
    MEMO: "Joint punishment memorandum, NDRC Caijin [2018] No. 1702",
    GD: GD_EN,
    "《广东省版权条例》第三十八条": "Guangdong Copyright Regulation Art 38",
    "《深圳经济特区社会信用条例》第七十条 [I]": "Shenzhen Special Economic Zone Social Credit Regulation Art 70 [I]",
    "《深圳经济特区社会信用条例》第六十五条、第七十条 [I]": (
        "Shenzhen Special Economic Zone Social Credit Regulation Arts 65 and 70 [I]"
    ),
    "国家知识产权局": "CNIPA",
    "《广东省版权条例》第三十八条；人民调解协议（《人民调解法》第三十一条）": (
        "Guangdong Copyright Regulation Art 38; people's mediation agreement (People's Mediation Law Art 31)"
    ),
    "国办发〔2015〕58号（抽查结果与社会信用体系相衔接）[I]": (
        "General Office of the State Council [2015] No. 58 (spot-check results linked to the credit system) [I]"
    ),
    "金融监管总局等": "National Financial Regulatory Administration and others",
    "深圳市版权登记服务中心（本平台）": "Shenzhen copyright registration service centre (this platform)",
    "财政部": "Ministry of Finance",
    "中国人民银行": "People's Bank of China",
    "中国证监会": "China Securities Regulatory Commission",
    "国家发展改革委": "National Development and Reform Commission",
    "广东省各级人民政府": "People's governments of Guangdong at every level",
    "财政部、国家发展改革委等": "Ministry of Finance, National Development and Reform Commission and others",
}

# code, name, English, source, basis, default severity, list, repairable
BEHAVIOURS = [
    (
        "ABN_PATENT",
        "不以保护创新为目的的非正常专利申请行为",
        "Abnormal patent applications not aimed at protecting innovation",
        "cnipa_2022",
        CNIPA,
        "general",
        "cnipa_dishonest",
        True,
    ),
    (
        "MAL_TM",
        "恶意商标注册申请行为",
        "Malicious trademark applications",
        "cnipa_2022",
        CNIPA,
        "general",
        "cnipa_dishonest",
        True,
    ),
    (
        "AGENCY_PENALTY",
        "违反法律法规受到国家知识产权局行政处罚的专利、商标代理行为",
        "Patent or trademark agency conduct punished by CNIPA",
        "cnipa_2022",
        CNIPA,
        "general",
        "cnipa_dishonest",
        True,
    ),
    (
        "FALSE_MATERIAL",
        "提交虚假材料或隐瞒重要事实申请行政确认",
        "False materials or concealed key facts in an application for administrative confirmation",
        "cnipa_2022",
        CNIPA,
        "serious",
        "cnipa_dishonest",
        True,
    ),
    (
        "PLEDGE_BREACH",
        "作出的信用承诺不实或未履行",
        "A credit commitment found untrue or not performed",
        "cnipa_2022",
        CNIPA,
        "general",
        "cnipa_dishonest",
        True,
    ),
    (
        "REFUSE_EXECUTE",
        "有履行能力但拒不履行、逃避执行行政处罚或行政裁决",
        "Able to perform a penalty or ruling but refusing or evading it",
        "cnipa_2022",
        CNIPA,
        "serious",
        "cnipa_dishonest",
        True,
    ),
    (
        "OTHER_CATALOG",
        "知识产权领域公共信用信息目录中的其他失信行为",
        "Other dishonest conduct in the IP public credit information catalogue",
        "cnipa_2022",
        CNIPA,
        "general",
        "cnipa_dishonest",
        True,
    ),
    (
        "AGENCY_ABNORMAL",
        "代理机构未按规定报送年度报告或公示信息",
        "Agency that did not file its annual report or publish required information",
        "cnipa_2022",
        CNIPA,
        "minor",
        "abnormal_operation",
        True,
    ),
    (
        "REPEAT_INFRINGE",
        "经行政调解或裁决认定侵权后再次侵犯同一专利权",
        "Infringing the same patent again after mediation or a decision found infringement",
        "joint_2018",
        MEMO,
        "serious",
        "national_joint_ip",
        True,
    ),
    (
        "NON_EXECUTION",
        "拒不执行专利侵权、假冒专利的生效行政决定或处罚，或阻碍调查取证",
        "Refusing to execute an effective decision or penalty on patent infringement or counterfeiting, or "
        "obstructing investigation",
        "joint_2018",
        MEMO,
        "serious",
        "national_joint_ip",
        True,
    ),
    (
        "AGENCY_SERIOUS",
        "列入经营异常名录满三年仍未履行义务的代理机构",
        "Agency still non-compliant three years after being put on the abnormal-operation list",
        "joint_2018",
        MEMO,
        "serious",
        "national_joint_ip",
        True,
    ),
    (
        "CERT_LENDING",
        "涂改、倒卖、出租、出借专利代理师资格证或以其他形式转让",
        "Altering, selling, renting or lending a patent-agent qualification certificate",
        "joint_2018",
        MEMO,
        "serious",
        "national_joint_ip",
        True,
    ),
    (
        "ABNORMAL_APPL",
        "《关于规范专利申请行为的若干规定》所称非正常申请专利行为",
        "Abnormal patent application as defined by the Provisions on Regulating Patent Application Behaviour",
        "joint_2018",
        MEMO,
        "serious",
        "national_joint_ip",
        True,
    ),
    (
        "FALSE_DOCS",
        "在申请专利及办理相关业务中提供虚假文件或证明",
        "False documents or certificates in applying for a patent or related business",
        "joint_2018",
        MEMO,
        "serious",
        "national_joint_ip",
        True,
    ),
    (
        "GD_WILFUL_INFRINGE",
        "故意侵犯知识产权严重破坏公平竞争",
        "Wilful infringement of IP seriously damaging fair competition",
        "local",
        GD,
        "serious",
        "gd_serious",
        True,
    ),
    (
        "GD_REFUSE_JUDGMENT",
        "有能力履行但拒不履行生效的知识产权法律文书",
        "Able to perform an effective IP legal document but refusing",
        "local",
        GD,
        "serious",
        "gd_serious",
        True,
    ),
    ("GD_IP_CRIME", "知识产权犯罪", "IP crime", "local", GD, "serious", "gd_serious", False),
    (
        "GD_OTHER_SERIOUS",
        "其他严重知识产权失信行为",
        "Other serious IP dishonesty",
        "local",
        GD,
        "serious",
        "gd_serious",
        True,
    ),
    (
        "CR_REPEAT_INFRINGE",
        "行政处罚、裁决或判决生效后再次侵犯同一作品著作权",
        "Infringing the copyright of the same work again after an effective penalty, ruling or judgment",
        "local",
        "《广东省版权条例》第三十八条",
        "general",
        "",
        True,
    ),
    (
        "CR_MEDIATION_INFRINGE",
        "在调解中确认侵犯著作权并达成生效调解协议",
        "Copyright infringement the respondent confirmed in an effective mediation agreement",
        "local",
        "《广东省版权条例》第三十八条；人民调解协议（《人民调解法》第三十一条）",
        "minor",
        "",
        True,
    ),
    (
        "SPOT_CHECK_PENALTY",
        "“双随机、一公开”抽查中发现著作权违法行为，经立案查处受到行政处罚",
        "A copyright violation found in a random inspection and punished after a case was opened",
        "local",
        "国办发〔2015〕58号（抽查结果与社会信用体系相衔接）[I]",
        "general",
        "",
        True,
    ),
]

ALL_LISTS = ["cnipa_dishonest", "national_joint_ip", "gd_serious", "sz_serious", "abnormal_operation"]
DISHONEST = ["cnipa_dishonest", "national_joint_ip"]
LOCAL = ["gd_serious", "sz_serious"]
# code, text, English, implementing department, basis, domain, lists, bars agency filing
MEASURES = [
    (
        "CNIPA_FUND_REVIEW",
        "对申请财政资金项目从严审查",
        "Strict review of applications for fiscal-fund projects",
        "国家知识产权局",
        f"{CNIPA}第九条",
        "funding",
        DISHONEST,
        False,
    ),
    (
        "CNIPA_FEE_PREFERENCE",
        "从严审查专利费用减缴、优先审查等优惠政策",
        "Strict review of fee reductions, priority examination and other preferences",
        "国家知识产权局",
        f"{CNIPA}第九条",
        "admin_approval",
        DISHONEST,
        False,
    ),
    (
        "CNIPA_AWARDS",
        "取消参加国家知识产权局评优评奖的资格",
        "No eligibility for CNIPA awards",
        "国家知识产权局",
        f"{CNIPA}第九条",
        "honours",
        DISHONEST,
        False,
    ),
    (
        "CNIPA_DEMO_ENTERPRISE",
        "取消申报知识产权示范企业和优势企业的资格",
        "No eligibility for national IP demonstration or advantage enterprise",
        "国家知识产权局",
        f"{CNIPA}第九条",
        "honours",
        DISHONEST,
        False,
    ),
    (
        "CNIPA_KEY_SUPERVISION",
        "列为重点监管对象，提高检查频次",
        "Listed as a key supervision object, inspected more often",
        "国家知识产权局",
        f"{CNIPA}第九条",
        "supervision",
        [*DISHONEST, "abnormal_operation"],
        False,
    ),
    (
        "JOINT_FAST_CHANNEL",
        "不予享受知识产权保护中心快速通道服务",
        "No access to the protection centres' fast channels",
        "国家知识产权局",
        MEMO,
        "public_service",
        ["national_joint_ip"],
        False,
    ),
    (
        "JOINT_PILOT",
        "不得参与专利运营试点企业",
        "No eligibility as a patent-operation pilot enterprise",
        "国家知识产权局",
        MEMO,
        "honours",
        ["national_joint_ip"],
        False,
    ),
    (
        "JOINT_GOV_FUNDS",
        "限制或从严审查申请政府资金支持",
        "Government funds restricted or strictly reviewed",
        "财政部、国家发展改革委等",
        MEMO,
        "funding",
        ["national_joint_ip"],
        False,
    ),
    (
        "JOINT_PROCUREMENT",
        "依法限制参加政府采购活动",
        "Participation in government procurement restricted",
        "财政部",
        MEMO,
        "procurement",
        ["national_joint_ip"],
        False,
    ),
    (
        "JOINT_PBOC_CREDIT",
        "记入金融信用信息基础数据库，作为金融机构授信的审慎参考",
        "Recorded in the PBoC credit database as a prudential reference for bank credit",
        "中国人民银行",
        MEMO,
        "finance",
        ["national_joint_ip"],
        False,
    ),
    (
        "JOINT_BONDS",
        "限制申请发行企业债券",
        "Enterprise-bond applications refused",
        "国家发展改革委",
        MEMO,
        "finance",
        ["national_joint_ip"],
        False,
    ),
    (
        "JOINT_SECURITIES",
        "作为证券发行和股票挂牌审核的参考",
        "Reference in securities issuance and listing review",
        "中国证监会",
        MEMO,
        "finance",
        ["national_joint_ip"],
        False,
    ),
    (
        "JOINT_FIN_INSTITUTIONS",
        "限制设立金融机构，限制担任金融机构董事、监事和高级管理人员",
        "No setting up financial institutions or serving as their directors or executives",
        "金融监管总局等",
        MEMO,
        "admin_approval",
        ["national_joint_ip"],
        False,
    ),
    (
        "GD_FUNDING_BAN",
        "三年内不得申报政府财政资金项目",
        "No applications for government fiscal-fund projects for three years",
        "广东省各级人民政府",
        GD,
        "funding",
        LOCAL,
        False,
    ),
    (
        "GD_COMMENDATION_BAN",
        "三年内不得参加评优表彰",
        "No commendations for three years",
        "广东省各级人民政府",
        GD,
        "honours",
        LOCAL,
        False,
    ),
    (
        "PLATFORM_NO_AGENCY_FILING",
        "名单期内不得代理委托人办理作品登记和数字作品备案",
        "While listed, may not file registrations or digital filings for clients",
        "深圳市版权登记服务中心（本平台）",
        "《深圳经济特区社会信用条例》第六十五条、第七十条 [I]",
        "admin_approval",
        ALL_LISTS,
        True,
    ),
    (
        "PLATFORM_REVIEW_FLAG",
        "在作品登记审查中向登记审核员提示在列情况",
        "Flagged to the registrar wherever the party appears in registration review",
        "深圳市版权登记服务中心（本平台）",
        "《深圳经济特区社会信用条例》第七十条 [I]",
        "supervision",
        ALL_LISTS,
        False,
    ),
]

# code, name, English, kind, points, cap, source, behaviours, lists, window (months)
INDICATORS = [
    (
        "D_ABNORMAL_APPL",
        "非正常申请（国内、国外）",
        "Abnormal applications (domestic or abroad)",
        "deduction",
        10,
        40,
        "record",
        ["ABN_PATENT", "ABNORMAL_APPL", "MAL_TM"],
        [],
        36,
    ),
    (
        "D_PENALTY",
        "受到行政处罚或认定失信",
        "Administrative penalty or finding of dishonesty",
        "deduction",
        20,
        60,
        "record",
        [
            "AGENCY_PENALTY",
            "FALSE_MATERIAL",
            "FALSE_DOCS",
            "CERT_LENDING",
            "REFUSE_EXECUTE",
            "NON_EXECUTION",
            "REPEAT_INFRINGE",
            "PLEDGE_BREACH",
            "OTHER_CATALOG",
            "CR_REPEAT_INFRINGE",
            "GD_WILFUL_INFRINGE",
            "GD_REFUSE_JUDGMENT",
            "GD_OTHER_SERIOUS",
        ],
        [],
        36,
    ),
    (
        "D_ABNORMAL_LIST",
        "列入经营异常名录",
        "On the abnormal-operation list",
        "deduction",
        20,
        None,
        "listing",
        [],
        ["abnormal_operation"],
        None,
    ),
    (
        "D_DISHONEST_LIST",
        "列入失信或严重失信名单",
        "On a dishonest or serious-dishonesty list",
        "deduction",
        40,
        None,
        "listing",
        [],
        ["cnipa_dishonest", "national_joint_ip", "gd_serious", "sz_serious"],
        None,
    ),
    (
        "D_STOP_BUSINESS",
        "被责令停止承接新的代理业务",
        "Ordered to stop accepting new agency business",
        "deduction",
        60,
        None,
        "manual",
        [],
        [],
        36,
    ),
    (
        "D_LICENCE_REVOKED",
        "代理机构执业许可证被吊销",
        "Agency licence revoked",
        "deduction",
        100,
        None,
        "manual",
        [],
        [],
        None,
    ),
    (
        "D_CRIMINAL",
        "高级管理人员受到刑事处罚",
        "Criminal conviction of senior management",
        "deduction",
        100,
        None,
        "manual",
        [],
        [],
        60,
    ),
    (
        "D_WORKLOAD",
        "人均代理量明显超出合理范围且无正当理由",
        "Per-capita workload clearly above normal without reason",
        "deduction",
        15,
        None,
        "manual",
        [],
        [],
        12,
    ),
    ("D_DISCIPLINE", "受到行业自律惩戒", "Industry disciplinary sanction", "deduction", 10, 20, "manual", [], [], 24),
    ("B_HONOUR", "获得表彰或荣誉", "Honours and commendations", "bonus", 5, 10, "manual", [], [], 36),
    (
        "B_CONTRIBUTION",
        "公益服务等社会贡献",
        "Public-interest service and other social contribution",
        "bonus",
        5,
        10,
        "manual",
        [],
        [],
        12,
    ),
]


def seed(apps: Any) -> None:
    """Create the default rows missing by code (``apps``: the migration's or the app registry).

    ``bulk_create`` rather than one save per row: a re-seed after ``flush`` (post_migrate) is the platform putting
    back its own defaults, not anyone's act, and must not leave audit events in a database just emptied."""
    Behaviour = apps.get_model("credit", "Behaviour")
    Measure = apps.get_model("credit", "Measure")
    Indicator = apps.get_model("credit", "Indicator")
    _missing(
        Behaviour,
        [
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "source": source,
                "legal_basis": basis,
                "legal_basis_en": ENGLISH.get(basis, ""),
                "default_severity": severity,
                "list_type": list_type,
                "repairable": repairable,
                "disclosure": "public",
                "share_scope": "partners",
                "update_frequency": "realtime",
            }
            for code, name, name_en, source, basis, severity, list_type, repairable in BEHAVIOURS
        ],
    )
    _missing(
        Measure,
        [
            {
                "code": code,
                "text": text,
                "text_en": text_en,
                "implementing_dept": dept,
                "implementing_dept_en": ENGLISH.get(dept, ""),
                "legal_basis": basis,
                "legal_basis_en": ENGLISH.get(basis, ""),
                "domain": domain,
                "list_types": lists,
                "bars_agency_filing": bars,
            }
            for code, text, text_en, dept, basis, domain, lists, bars in MEASURES
        ],
    )
    _missing(
        Indicator,
        [
            {
                "code": code,
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "points": points,
                "cap": cap,
                "evidence_source": source,
                "behaviour_codes": behaviours,
                "list_types": lists,
                "window_months": window,
            }
            for code, name, name_en, kind, points, cap, source, behaviours, lists, window in INDICATORS
        ],
    )


def _missing(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the rows whose code is not there yet, with the fields the model has at that migration (an early
    migration's model lacks the columns later ones add)."""
    present = set(model.objects.values_list("code", flat=True))
    fields = {f.name for f in model._meta.get_fields()}
    model.objects.bulk_create(
        [model(**{k: v for k, v in row.items() if k in fields}) for row in rows if row["code"] not in present]
    )


def fill_english(apps: Any) -> None:
    """Give the rows that still carry a default citation or department its English (migration 0004)."""
    for name, pairs in (
        ("Behaviour", [("legal_basis", "legal_basis_en")]),
        ("Measure", [("legal_basis", "legal_basis_en"), ("implementing_dept", "implementing_dept_en")]),
    ):
        model = apps.get_model("credit", name)
        for chinese, english in pairs:
            for text, translated in ENGLISH.items():
                model.objects.filter(**{chinese: text, english: ""}).update(**{english: translated})
