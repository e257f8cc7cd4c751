"""What each role sees first: its tasks, as cards linking to the capabilities of the platform."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from artrights.accounts.models import Role


@dataclass(frozen=True)
class Card:
    title: Promise
    text: Promise
    url_name: str = ""  # empty: the capability is not open yet, and the card says so


ROLE_CARDS: dict[str, list[Card]] = {
    Role.ARTIST: [
        Card(_("登记作品"), _("提交作品登记申请或数字作品备案，下载可离线验证的登记证书。"), "registry:apply"),
        Card(_("数字作品备案"), _("只做形式审查，立即取得备案号和备案证书。"), "registry:file_digital"),
        Card(
            _("计算机软件著作权登记"),
            _("上传源程序和文档，平台生成鉴别材料；登记后取得软件著作权登记证书。"),
            "registry:apply_software",
        ),
        Card(_("我的作品"), _("查看申请进度、补正通知和登记证书。"), "registry:my_works"),
        Card(
            _("实名信息"), _("登记真实姓名和身份证件，验证邮箱或手机；以本人名义申请前需要完成。"), "accounts:identity"
        ),
        Card(_("检查疑似侵权图片"), _("上传疑似侵权的图片或网页，查找与您已登记作品的相似之处。"), "matching:check"),
        Card(_("监测网页"), _("平台定期抓取您关注的网页，发现复制品时提示您。"), "matching:watch"),
        Card(_("固化电子证据"), _("对侵权网页进行取证，生成带可信时间戳的证据包。"), "evidence:index"),
        Card(_("申请调解"), _("就版权纠纷申请调解，跟踪案件进度。"), "mediation:apply"),
        Card(_("我的调解案件"), _("查看案件进度、待您答复或签名的事项和期限。"), "mediation:index"),
        Card(_("许可与交易"), _("发布许可要约，签订许可或转让合同并备案。"), "licensing:desk"),
        Card(_("申请资助"), _("为已登记的作品和软件申请市专项资金资助，查看审核和拨付进度。"), "funding:index"),
        Card(
            _("一站式服务"),
            _("向大芬等行业协会的保护工作站提交咨询、侵权举报、调解转介等服务请求，查看进度和期限。"),
            "onestop:mine",
        ),
    ],
    Role.AGENCY: [
        Card(_("代理申请"), _("代委托人提交作品登记和合同备案。"), "registry:apply"),
        Card(_("代理的作品"), _("查看本机构代理的申请和证书。"), "registry:my_works"),
        Card(_("检查疑似侵权图片"), _("上传疑似侵权的图片或网页，查找与您已登记作品的相似之处。"), "matching:check"),
        Card(_("固化电子证据"), _("为委托人截取侵权网页、固化已有文件，生成可离线核验的证据包。"), "evidence:index"),
        Card(_("委托人"), _("查看本机构代理的著作权人、为其办理的申请和授权委托书。"), "registry:clients"),
        Card(_("本机构信用"), _("查看本机构的信用评价与等级。"), "credit:mine"),
        Card(_("许可与交易"), _("以本机构名义申请作品许可、竞买挂牌作品，报送许可使用费。"), "licensing:desk"),
        Card(_("代理资助申请"), _("为委托人已登记的作品申请市专项资金资助。"), "funding:index"),
    ],
    Role.REGISTRAR: [
        Card(_("待审核申请"), _("审核登记申请，发出补正通知，核发登记号。"), "registry:review_queue"),
        Card(_("全部作品"), _("查看全部申请和登记，处理变更与撤销。"), "registry:my_works"),
        Card(_("登记查询"), _("按登记号或作品名称查询公开登记信息。"), "registry:public_search"),
        Card(_("检查疑似侵权图片"), _("上传疑似侵权的图片或网页，查找与您已登记作品的相似之处。"), "matching:check"),
    ],
    Role.MEDIATOR: [
        Card(_("我的调解案件"), _("查看指派给您的案件、期限和调解记录。"), "mediation:desk"),
        Card(_("回避申报"), _("申报与案件当事人的利害关系。"), "mediation:desk"),
        Card(_("固化电子证据"), _("为调解案件截取网页或固化当事人提交的文件。"), "evidence:index"),
    ],
    Role.MEDIATION_ADMIN: [
        Card(_("案件受理"), _("受理调解申请，指派调解员，处理回避。"), "mediation:intake"),
        Card(_("调解员名册"), _("管理调解员、专长和培训记录。"), "mediation:roster"),
        Card(_("司法确认"), _("跟踪调解协议的司法确认申请。"), "mediation:confirmations"),
        Card(_("案件统计"), _("按来源、结果和办理天数统计调解案件。"), "mediation:statistics"),
        Card(_("固化电子证据"), _("为调解案件截取网页或固化当事人提交的文件。"), "evidence:index"),
        Card(_("申请调解资助"), _("为本组织已结案的调解案件和培训宣传活动申请市专项资金资助。"), "funding:index"),
        Card(_("工作站服务台"), _("保护工作站的工作人员受理、转办和办结服务请求，查看期限。"), "onestop:desk"),
    ],
    Role.SUPERVISOR: [
        Card(_("信用记录"), _("录入失信行为记录，管理名单和惩戒措施。"), "credit:desk"),
        Card(_("机构信用评价"), _("对代理机构进行信用评价和分级。"), "credit:agencies"),
        Card(_("双随机抽查"), _("制定抽查计划，执行可验证的随机抽取，公示结果。"), "inspections:desk"),
        Card(_("电子证据"), _("查看权利人固化的电子证据，核验证据包，固化执法中发现的侵权网页。"), "evidence:index"),
        Card(_("调解确认的侵权"), _("把在调解中确认的侵权录入信用记录。"), "mediation:referrals"),
        Card(_("资助申请审核"), _("审核专项资金资助申请，核定金额，登记拨付。"), "funding:queue"),
        Card(_("资助项目与预算"), _("设立资助项目，查看已核定、已拨付和剩余预算，导出拨付明细。"), "funding:budget"),
    ],
    Role.INSPECTOR: [
        Card(_("我的检查任务"), _("查看分配给您的检查对象，录入检查结果。"), "inspections:mine"),
        Card(_("检查疑似侵权图片"), _("上传疑似侵权的图片或网页，查找与您已登记作品的相似之处。"), "matching:check"),
        Card(_("回避申报"), _("申报与检查对象的利害关系。"), "inspections:mine"),
        Card(_("电子证据"), _("查看权利人固化的电子证据，核验证据包，固化执法中发现的侵权网页。"), "evidence:index"),
    ],
    Role.PARTNER: [
        Card(_("信用查询"), _("查询主体的信用状况和限制名单。"), "credit:partner"),
        Card(_("措施反馈"), _("报送已实施的联合惩戒措施。"), "credit:partner"),
        Card(_("API令牌"), _("管理用于系统对接的API令牌。"), "portal:tokens"),
    ],
    Role.COURT: [
        Card(_("委派或委托调解"), _("立案前委派、立案后委托，把案件交给在册的调解组织。"), "mediation:delegate"),
        Card(_("本院案件"), _("本院委派、委托的案件的进度、期限和调解结果，调解不成的移送材料。"), "mediation:index"),
        Card(_("司法确认"), _("当事人向本院申请确认的调解协议：登记受理和确认决定。"), "mediation:confirmations"),
    ],
    Role.ADMIN: [
        Card(_("用户与机构"), _("管理用户、角色和机构。"), "admin:accounts_user_changelist"),
        Card(_("审计日志"), _("查看平台上每一次写操作的记录。"), "admin:core_auditevent_changelist"),
        Card(_("系统设置"), _("工作日调整、登记号规则和密钥。"), "admin:core_calendaroverride_changelist"),
    ],
}
