from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from artrights.core.models import IdType, PartyKind
from artrights.core.services import PartyInput

from .models import (
    ECONOMIC_RIGHTS,
    SOFTWARE_OBTAIN_MODES,
    SOFTWARE_RIGHTS,
    WORK_TYPES,
    ContractType,
    CreationNature,
    DevelopmentMode,
    FileRole,
    Kind,
    ObtainMode,
    OwnershipMode,
    PublishStatus,
    RefusalGround,
    RevocationGround,
    Right,
    SoftwareCategory,
    WorkType,
    refusal_grounds,
)
from .services import SOFTWARE_FIELDS, SampleInput

# A browser's date picker takes and gives ISO dates, whatever the page's language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class OwnerFields(forms.Form):
    """Who the work belongs to. A rights holder's own account files in its verified name, so these fields are
    only asked of an agency, with the power of attorney the owner signed (``representing``)."""

    owner_kind = forms.ChoiceField(label=_("著作权人类型"), choices=PartyKind.choices)
    owner_name = forms.CharField(label=_("著作权人姓名/名称"), max_length=200)
    owner_id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    owner_id_number = forms.CharField(label=_("证件号码"), max_length=64)
    owner_address = forms.CharField(label=_("地址"), max_length=300, required=False)
    power_of_attorney = MultipleFileField(label=_("授权委托书（著作权人签署）"))

    def __init__(self, *args: Any, representing: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.representing = representing
        if not representing:
            for name in list(OwnerFields.base_fields):
                del self.fields[name]

    def owners(self) -> list[PartyInput]:
        """The owners the agency named (none for an account filing in its own name)."""
        if not self.representing:
            return []
        d = self.cleaned_data
        return [
            PartyInput(
                kind=d["owner_kind"],
                name=d["owner_name"],
                id_type=d["owner_id_type"],
                id_number=d["owner_id_number"],
                address=d.get("owner_address", ""),
            )
        ]

    def representation_files(self) -> list[SampleInput]:
        if not self.representing:
            return []
        files = self.cleaned_data.get("power_of_attorney") or []
        return [SampleInput(f, FileRole.POWER_OF_ATTORNEY) for f in files]


def parse_authors(text: str) -> list[dict[str, str]]:
    """One author per line: `姓名` or `姓名/署名`."""
    authors = []
    for line in text.splitlines():
        if line.strip():
            name, _sep, signature = line.strip().partition("/")
            authors.append({"name": name.strip(), "signature": (signature or name).strip()})
    return authors


class WorkFieldsForm(forms.Form):
    """The work's particulars of the CPCC form (DOMAIN.md §1.4), shared by the application and its corrections."""

    title = forms.CharField(label=_("作品名称"), max_length=200)
    work_type = forms.ChoiceField(label=_("作品类别"), choices=WORK_TYPES, initial=WorkType.FINE_ART)
    work_type_desc = forms.CharField(label=_("类别说明"), max_length=200, required=False)
    authors = forms.CharField(label=_("作者（每行一位，可写“姓名/署名”）"), widget=forms.Textarea(attrs={"rows": 2}))
    creation_nature = forms.ChoiceField(label=_("作品创作性质"), choices=CreationNature.choices)
    completed_on = forms.DateField(label=_("创作完成日期"), widget=DATE)
    creation_city = forms.CharField(label=_("创作完成地点（城市）"), max_length=64, required=False)
    publish_status = forms.ChoiceField(
        label=_("发表状态"), choices=PublishStatus.choices, initial=PublishStatus.UNPUBLISHED
    )
    first_published_on = forms.DateField(label=_("首次发表日期"), required=False, widget=DATE)
    first_published_city = forms.CharField(label=_("首次发表地点（城市）"), max_length=64, required=False)
    obtain_mode = forms.ChoiceField(label=_("权利取得方式"), choices=ObtainMode.choices)
    ownership_mode = forms.ChoiceField(label=_("权利归属方式"), choices=OwnershipMode.choices)
    rights = forms.MultipleChoiceField(
        label=_("权利拥有状况"),
        choices=Right.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=Right.values[:-1],
    )
    description = forms.CharField(
        label=_("作品说明书（创作目的、创作过程、独创性）"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def work_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "work_type": d["work_type"],
            "work_type_desc": d.get("work_type_desc", ""),
            "authors": parse_authors(d["authors"]),
            "creation_nature": d["creation_nature"],
            "completed_on": d["completed_on"],
            "creation_city": d.get("creation_city", ""),
            "publish_status": d["publish_status"],
            "first_published_on": d.get("first_published_on"),
            "first_published_city": d.get("first_published_city", ""),
            "obtain_mode": d["obtain_mode"],
            "ownership_mode": d["ownership_mode"],
            "rights": list(d["rights"]),
            "description": d["description"],
        }

    @staticmethod
    def initial_of(work: Any) -> dict[str, Any]:
        """The work's current particulars as form values (authors one per line, ``姓名/署名``)."""
        names = WorkFieldsForm.base_fields
        initial = {name: getattr(work, name) for name in names if name != "authors"}
        initial["authors"] = "\n".join(
            a["name"] if a.get("signature", a["name"]) == a["name"] else f"{a['name']}/{a['signature']}"
            for a in work.authors
        )
        return initial


class ApplicationForm(OwnerFields, WorkFieldsForm):
    samples = MultipleFileField(label=_("作品样本"))
    ownership_proofs = MultipleFileField(label=_("权属证明（可选）"), required=False)

    def uploads(self) -> list[SampleInput]:
        """Every uploaded file with the role it plays: samples, ownership proofs, the power of attorney."""
        d = self.cleaned_data
        files = [SampleInput(f) for f in d["samples"]]
        files += [SampleInput(f, FileRole.OWNERSHIP_PROOF) for f in d["ownership_proofs"]]
        return files + self.representation_files()


class CorrectionForm(WorkFieldsForm):
    """The applicant's answer to a correction notice: the particulars as they should be, materials added or taken
    back, and an explanation."""

    add_samples = MultipleFileField(label=_("补充或替换的作品样本（可选）"), required=False)
    add_proofs = MultipleFileField(label=_("补充的权属证明（可选）"), required=False)
    withdraw_files = forms.MultipleChoiceField(
        label=_("撤下的材料（保留在记录中）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("补正说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, work: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_of(work))
        super().__init__(*args, **kwargs)
        current = work.workfile_set.exclude(role="superseded").select_related("stored_file").order_by("pk")
        field = self.fields["withdraw_files"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(wf.pk), f"{wf.get_role_display()}：{wf.stored_file.original_name}") for wf in current]

    def changed_work_fields(self, work: Any) -> dict[str, Any]:
        """Only the particulars that differ from the work's, so the record shows what was really changed."""
        return {name: value for name, value in self.work_fields().items() if getattr(work, name) != value}

    def new_files(self) -> list[SampleInput]:
        d = self.cleaned_data
        return [SampleInput(f) for f in d.get("add_samples") or []] + [
            SampleInput(f, FileRole.OWNERSHIP_PROOF) for f in d.get("add_proofs") or []
        ]


class ScreeningNoteForm(forms.Form):
    """What a registrar concluded about a work that equals or resembles another owner's work."""

    screening_note = forms.CharField(
        label=_("核查说明（为什么这不是他人作品的复制品）"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DigitalFilingForm(OwnerFields):
    title = forms.CharField(label=_("作品名称"), max_length=200)
    work_type = forms.ChoiceField(label=_("作品类别"), choices=WORK_TYPES, initial=WorkType.FINE_ART)
    authors = forms.CharField(label=_("作者（每行一位）"), widget=forms.Textarea(attrs={"rows": 2}))
    completed_on = forms.DateField(label=_("创作完成日期"), widget=DATE)
    image = forms.FileField(label=_("作品图片"))

    def work_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "work_type": d["work_type"],
            "authors": parse_authors(d["authors"]),
            "completed_on": d["completed_on"],
            "rights": list(Right.values[:-1]),
        }


class SoftwareParticulars(forms.Form):
    """The software's particulars of the CPCC R11 form, shared by the application and its corrections."""

    title = forms.CharField(label=_("软件全称"), max_length=200)
    short_name = forms.CharField(label=_("软件简称"), max_length=60, required=False)
    version = forms.CharField(label=_("版本号"), max_length=30, initial="V1.0")
    category = forms.ChoiceField(label=_("软件分类"), choices=SoftwareCategory.choices)
    development_mode = forms.ChoiceField(label=_("开发方式"), choices=DevelopmentMode.choices)
    completed_on = forms.DateField(label=_("开发完成日期"), widget=DATE)
    publish_status = forms.ChoiceField(
        label=_("发表状态"), choices=PublishStatus.choices, initial=PublishStatus.UNPUBLISHED
    )
    first_published_on = forms.DateField(label=_("首次发表日期"), required=False, widget=DATE)
    obtain_mode = forms.ChoiceField(
        label=_("权利取得方式"), choices=[(m.value, m.label) for m in SOFTWARE_OBTAIN_MODES]
    )
    rights = forms.MultipleChoiceField(
        label=_("权利范围"),
        choices=[(r.value, r.label) for r in SOFTWARE_RIGHTS],
        widget=forms.CheckboxSelectMultiple,
        initial=[r.value for r in SOFTWARE_RIGHTS if r != Right.OTHER],
    )
    rights_desc = forms.CharField(label=_("部分权利说明"), max_length=300, required=False)
    hardware_environment = forms.CharField(
        label=_("硬件环境（开发和运行）"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    software_environment = forms.CharField(
        label=_("软件环境（开发和运行）"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    languages = forms.CharField(label=_("编程语言"), max_length=200)
    main_functions = forms.CharField(label=_("主要功能"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    technical_features = forms.CharField(label=_("技术特点"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    WORK_FIELDS = ("title", "completed_on", "publish_status", "first_published_on", "obtain_mode", "rights")

    def work_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            **{name: d.get(name) for name in self.WORK_FIELDS},
            "rights": list(d["rights"]),
            "rights_desc": d.get("rights_desc", ""),
        }

    def software_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SOFTWARE_FIELDS if name in self.fields}


class SoftwareApplicationForm(OwnerFields, SoftwareParticulars):
    """The CPCC R11 form: the software's particulars, its source tree and documentation (the platform builds the
    deposit from them) and, for an exceptional deposit, the lines to black out."""

    source_archive = forms.FileField(label=_("源程序（zip 或 tar.gz 压缩包）"))
    documentation = forms.FileField(label=_("软件文档（PDF、纯文本或 Markdown，如用户手册）"))
    redactions = forms.CharField(
        label=_("例外交存：需要黑色覆盖的行（可选，如 12-40, 75-90；合计不超过交存源程序的一半）"),
        max_length=500,
        required=False,
    )
    excerpt_from = forms.IntegerField(
        label=_("或例外交存：前 10 页加自第几页起的连续 50 页（可选，填起始页码；源程序超过 60 页时适用）"),
        min_value=11,
        required=False,
    )
    ownership_proofs = MultipleFileField(label=_("权属证明（合作、委托、任务或受让合同，可选）"), required=False)


class SoftwareCorrectionForm(SoftwareParticulars):
    """The applicant's answer to a correction notice on software: the particulars as they should be (not the
    version: that is another registration), ownership proofs added or taken back, and an explanation."""

    add_proofs = MultipleFileField(label=_("补充的权属证明（可选）"), required=False)
    withdraw_files = forms.MultipleChoiceField(
        label=_("撤下的材料（保留在记录中）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    source_archive = forms.FileField(
        label=_("重新上传源程序（可选；须同时上传文档，平台重新生成鉴别材料）"), required=False
    )
    documentation = forms.FileField(label=_("重新上传软件文档（PDF、纯文本或 Markdown）"), required=False)
    redactions = forms.CharField(
        label=_("例外交存：需要黑色覆盖的行（可选，如 12-40, 75-90；合计不超过交存源程序的一半）"),
        max_length=500,
        required=False,
    )
    excerpt_from = forms.IntegerField(
        label=_("或例外交存：前 10 页加自第几页起的连续 50 页（可选，填起始页码；源程序超过 60 页时适用）"),
        min_value=11,
        required=False,
    )
    note = forms.CharField(label=_("补正说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("source_archive")) != bool(data.get("documentation")):
            raise ValidationError(_("重新生成鉴别材料须同时上传源程序和软件文档。"), code="deposit_incomplete")
        return data

    def replaces_deposit(self) -> bool:
        return bool(self.cleaned_data.get("source_archive"))

    def __init__(self, *args: Any, work: Any, **kwargs: Any) -> None:
        software = work.software
        initial = {name: getattr(work, name) for name in (*self.WORK_FIELDS, "rights_desc")}
        initial.update({name: getattr(software, name) for name in SOFTWARE_FIELDS})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        proofs = work.workfile_set.filter(role=FileRole.OWNERSHIP_PROOF).select_related("stored_file").order_by("pk")
        field = self.fields["withdraw_files"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(wf.pk), wf.stored_file.original_name) for wf in proofs]

    def changed_work_fields(self, work: Any) -> dict[str, Any]:
        """The particulars (of the work and of its software row) that differ from what is on file."""
        wanted = {**self.work_fields(), **self.software_fields()}
        return {
            name: value
            for name, value in wanted.items()
            if getattr(work.software if name in SOFTWARE_FIELDS else work, name) != value
        }

    def new_files(self) -> list[SampleInput]:
        return [SampleInput(f, FileRole.OWNERSHIP_PROOF) for f in self.cleaned_data.get("add_proofs") or []]


class CorrectionNoticeForm(forms.Form):
    notice = forms.CharField(label=_("补正内容"), widget=forms.Textarea(attrs={"rows": 3}))


class RefusalForm(forms.Form):
    ground = forms.ChoiceField(label=_("依据"), choices=RefusalGround.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, kind: str = Kind.REGISTRATION, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ground"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = refusal_grounds(kind)  # the grounds of the work's register


class RevocationForm(forms.Form):
    ground = forms.ChoiceField(label=_("依据"), choices=RevocationGround.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("证书PDF、证明JSON、作品图片或证据包（WACZ）"))
    original = forms.FileField(label=_("原始作品文件（可选，用于核对文件哈希）"), required=False)
    openings = forms.FileField(
        label=_("著作权人身份公开值文件（可选，owner-openings.json，用于核对著作权人身份）"), required=False
    )


CONTRACT_TYPES = ContractType.choices


ECONOMIC_CHOICES = [(value, label) for value, label in Right.choices if value in ECONOMIC_RIGHTS]


class CounterpartyFields(forms.Form):
    party_kind = forms.ChoiceField(label=_("类型"), choices=PartyKind.choices, initial=PartyKind.ORGANISATION)
    party_name = forms.CharField(label=_("姓名/名称"), max_length=200)
    party_id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices, initial=IdType.USCC)
    party_id_number = forms.CharField(label=_("证件号码"), max_length=64)

    def counterparty(self) -> PartyInput:
        d = self.cleaned_data
        return PartyInput(
            kind=d["party_kind"], name=d["party_name"], id_type=d["party_id_type"], id_number=d["party_id_number"]
        )


class ContractForm(CounterpartyFields):
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=ContractType.choices)
    rights = forms.MultipleChoiceField(
        label=_("权利种类"), choices=ECONOMIC_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    territory = forms.CharField(label=_("地域范围"), max_length=100, initial="中国大陆")
    valid_from = forms.DateField(label=_("起始日期"), widget=DATE)
    valid_until = forms.DateField(label=_("终止日期"), required=False, widget=DATE)
    price_terms = forms.CharField(label=_("价款/许可使用费"), max_length=300, required=False)
    contract_file = forms.FileField(label=_("合同文件（可选）"), required=False)


class PledgeForm(CounterpartyFields):
    rights = forms.MultipleChoiceField(
        label=_("出质权利"), choices=ECONOMIC_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    secured_amount = forms.DecimalField(label=_("担保债权数额（元）"), max_digits=16, decimal_places=2, min_value=0)
    debt_term_end = forms.DateField(label=_("债务履行期限"), widget=DATE)
    pledgee_username = forms.CharField(label=_("质权人平台账户（用于记录同意）"), max_length=150, required=False)


class ConsentForm(CounterpartyFields):
    contract_type = forms.ChoiceField(label=_("同意的合同类型"), choices=ContractType.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ReissueForm(forms.Form):
    reason = forms.CharField(label=_("补发或更换原因"), max_length=100)


class ChangeForm(forms.Form):
    title = forms.CharField(label=_("作品名称"), max_length=200)
    description = forms.CharField(label=_("作品说明书"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reason = forms.CharField(label=_("变更理由"), max_length=300)

    def changed_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "reason"}

    @classmethod
    def for_work(cls, work: Any, data: Any = None) -> ChangeForm:
        """The change form of the work's register, filled with what is registered now."""
        if work.kind == Kind.SOFTWARE:
            software = work.software
            initial = {"title": work.title, **{n: getattr(software, n) for n in SoftwareChangeForm.SOFTWARE}}
            return SoftwareChangeForm(data, initial=initial)
        return cls(data, initial={"title": work.title, "description": work.description})


class SoftwareChangeForm(ChangeForm):
    """变更或补充软件登记事项 (R41): the name and particulars; a new version is registered anew."""

    SOFTWARE = ("short_name", "main_functions", "technical_features")
    title = forms.CharField(label=_("软件全称"), max_length=200)
    short_name = forms.CharField(label=_("软件简称"), max_length=60, required=False)
    main_functions = forms.CharField(label=_("主要功能"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    technical_features = forms.CharField(label=_("技术特点"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["title", "short_name", "main_functions", "technical_features", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["description"]
