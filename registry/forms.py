"""Forms for the registry's pages. They parse and type the input; the rules live in
registry.services, whose ValidationFailed errors are put back on these forms in place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from registry import services
from registry.models import (
    METADATA_FIELDS,
    AttachmentKind,
    Industry,
    ObjectType,
    OpenCategory,
    Organisation,
    Platform,
    RecordStatus,
    Region,
    RegionLevel,
    Registration,
    RegistrationStatus,
    RegistrationType,
)

DATA_ITEM_TYPE_LABELS = {
    "string": _("字符串"),
    "text": _("长文本"),
    "integer": _("整数"),
    "decimal": _("小数"),
    "boolean": _("布尔"),
    "date": _("日期"),
    "datetime": _("日期时间"),
    "code": _("代码"),
    "geometry": _("空间几何"),
    "binary": _("二进制"),
}
EXTRA_ROWS = 3
_CODE_SPLIT = re.compile(r"[\s,，、;；]+")


def _model_field(name: str, **kwargs) -> forms.Field:
    return Registration._meta.get_field(name).formfield(**kwargs)


def field_label(name: str) -> str:
    """The Chinese label of a metadata field (or of the pseudo-fields used in errors)."""
    special = {
        "attachments": _("附件材料"),
        "data_items": _("数据项"),
        "reason": _("申请事由"),
        "general": _("其他"),
        "holder": _("登记主体"),
        "object_type": _("登记对象类型"),
        "file": _("文件"),
        "kind": _("材料类型"),
    }
    if name in special:
        return str(special[name])
    if name in METADATA_FIELDS:
        return str(Registration._meta.get_field(name).verbose_name)
    return name


def province_choices() -> list[tuple[str, str]]:
    regions = Region.objects.filter(level__in=[RegionLevel.NATIONAL, RegionLevel.PROVINCE])
    return [(r.code, r.name) for r in regions.order_by("code")]


class FilingForm(forms.Form):
    """The metadata of an application (create, or edit while the filer may update)."""

    holder = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("登记主体"))
    object_type = forms.ChoiceField(choices=ObjectType.choices, label=_("登记对象类型"))
    name = _model_field("name")
    summary = _model_field("summary", widget=forms.Textarea(attrs={"rows": 4}))
    industry = _model_field("industry")
    domain = _model_field("domain")
    # <input type=date> only takes ISO dates, whatever the display locale.
    period_start = _model_field(
        "period_start", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    period_end = _model_field(
        "period_end", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    record_count = _model_field("record_count", min_value=0)
    byte_size = _model_field("byte_size", min_value=0)
    update_frequency = _model_field("update_frequency")
    formats = forms.MultipleChoiceField(
        label=_("数据格式"),
        choices=[(f, f) for f in services.FORMATS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    coverage_regions = forms.MultipleChoiceField(
        label=_("覆盖地域"),
        choices=[],
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
        help_text=_("可按住 Ctrl 多选省级行政区。"),
    )
    coverage_extra = forms.CharField(
        label=_("其他地域代码"),
        required=False,
        max_length=3000,
        help_text=_("地市、区县等 GB/T 2260 代码，多个以空格或逗号分隔，如 440100 440106。"),
    )
    storage_location = _model_field("storage_location")
    storage_method = _model_field("storage_method")
    source_systems = _model_field("source_systems")
    security_grade = _model_field("security_grade")
    general_sublevel = forms.TypedChoiceField(
        label=_("一般数据子级"),
        choices=[("", "—"), ("1", _("1 级")), ("2", _("2 级")), ("3", _("3 级")), ("4", _("4 级"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    open_category = _model_field("open_category")
    contains_personal_info = _model_field("contains_personal_info")
    contains_trade_secret = _model_field("contains_trade_secret")
    consent_recorded = _model_field("consent_recorded")
    consent_note = _model_field("consent_note")
    in_operation_scope = _model_field("in_operation_scope")
    contact_name = _model_field("contact_name")
    contact_phone = _model_field("contact_phone")
    contact_email = _model_field("contact_email")
    reason = forms.CharField(
        label=_("申请事由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, holders=None, create: bool = True, metadata_editable=True, **kw):
        super().__init__(*args, **kw)
        self.create = create
        self.metadata_editable = metadata_editable
        if create:
            self.fields["holder"].queryset = holders
            if holders is not None and len(holders) == 1:
                self.fields["holder"].initial = holders[0].pk
        else:
            del self.fields["holder"], self.fields["object_type"]
        if not metadata_editable:  # a deregistration: only its reason
            for name in list(self.fields):
                if name != "reason":
                    del self.fields[name]
            return
        self.fields["coverage_regions"].choices = province_choices()
        for form_field in self.fields.values():  # "---------" reads oddly in a Chinese form
            choices = list(getattr(form_field, "choices", []) or [])
            if choices and choices[0] == ("", "---------"):
                form_field.choices = [("", _("请选择")), *choices[1:]]

    @classmethod
    def initial_from(cls, registration: Registration) -> dict[str, Any]:
        initial = {name: getattr(registration, name) for name in METADATA_FIELDS}
        codes = registration.coverage_regions or []
        provinces = set(province_choices_codes())
        initial["coverage_regions"] = [c for c in codes if c in provinces]
        initial["coverage_extra"] = " ".join(c for c in codes if c not in provinces)
        initial["reason"] = registration.reason
        return initial

    def metadata(self, items: list[dict[str, str]]) -> dict[str, Any]:
        """The metadata dict for the service, from the fields that parsed."""
        data: dict[str, Any] = {}
        cleaned = getattr(self, "cleaned_data", {})
        for name in METADATA_FIELDS:
            if name in ("data_items", "coverage_regions"):
                continue
            if name in cleaned:
                value = cleaned[name]
                data[name] = "" if value is None and name not in _NULLABLE else value
        data["data_items"] = items
        extra = [c for c in _CODE_SPLIT.split(cleaned.get("coverage_extra") or "") if c]
        data["coverage_regions"] = list(cleaned.get("coverage_regions") or []) + extra
        return data

    def object_type_value(self) -> str:
        value = getattr(self, "cleaned_data", {}).get("object_type")
        return value or ObjectType.PUBLIC_DATA_RESOURCE


_NULLABLE = {"period_start", "period_end", "record_count", "byte_size", "general_sublevel"}


def province_choices_codes() -> list[str]:
    return [code for code, _label in province_choices()]


# --------------------------------------------------------------------------- repeated rows


@dataclass
class Row:
    """One row of a repeated group (a data item, a supplement item) with its errors."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        # KeyError for anything but a value, so that templates fall back to attributes.
        return self.values[key]


def rows_from_post(post, names: dict[str, str], blank_if_empty: tuple[str, ...]) -> list[dict]:
    """Rows posted as parallel lists (`names` maps the POST key to the row key); rows whose
    `blank_if_empty` keys are all empty are dropped (the spare rows of the form)."""
    columns = {key: post.getlist(post_key) for post_key, key in names.items()}
    length = max((len(v) for v in columns.values()), default=0)
    rows = []
    for i in range(min(length, services.MAX_DATA_ITEMS + 1)):
        row = {
            key: (values[i] if i < len(values) else "").strip() for key, values in columns.items()
        }
        if any(row[k] for k in blank_if_empty):
            rows.append(row)
    return rows


def rows_for_display(
    rows: list[dict], errors: dict[str, list[str]], prefix: str, keys: tuple[str, ...]
) -> list[Row]:
    """Rows with their errors (`prefix[i].key` and `prefix[i]`) plus blank spare rows."""
    shown = []
    for i, values in enumerate(rows):
        row = Row(values=values)
        for key in keys:
            if f"{prefix}[{i}].{key}" in errors:
                row.errors[key] = errors[f"{prefix}[{i}].{key}"]
        if f"{prefix}[{i}]" in errors:
            row.errors["row"] = errors[f"{prefix}[{i}]"]
        shown.append(row)
    blank = dict.fromkeys(keys, "")
    shown += [Row(values=dict(blank)) for _ in range(EXTRA_ROWS)]
    return shown


def data_item_rows_from_post(post) -> list[dict]:
    return rows_from_post(
        post,
        {"item_name": "name", "item_type": "type", "item_description": "description"},
        blank_if_empty=("name", "description"),
    )


def supplement_rows_from_post(post) -> list[dict]:
    return rows_from_post(
        post, {"item_field": "field", "item_message": "message"}, blank_if_empty=("message",)
    )


def supplement_field_choices() -> list[tuple[str, str]]:
    names = [n for n in METADATA_FIELDS if n not in ("consent_note",)]
    return [(n, field_label(n)) for n in ["attachments", *names, "general"]]


def apply_errors(form: forms.Form, errors: dict[str, list[str]], skip_prefixes=()) -> None:
    """Put service errors on the form: on the field when it exists (unless it already has an
    error of its own), else as non-field errors naming the field."""
    for key, messages in errors.items():
        if key.startswith(skip_prefixes):
            continue
        if key in form.fields:
            if key not in form.errors:
                for message in messages:
                    form.add_error(key, message)
        else:
            for message in messages:
                form.add_error(None, f"{field_label(key)}：{message}")


# --------------------------------------------------------------------------- small forms


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、OFD、DOC/DOCX、PNG、JPEG"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UpholdForm(forms.Form):
    reason = forms.CharField(
        label=_("认定理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (RegistrationStatus.RETURNED, RegistrationStatus.RETURNED.label),
            (RegistrationStatus.REJECTED, RegistrationStatus.REJECTED.label),
        ],
        initial=RegistrationStatus.RETURNED,
        widget=forms.RadioSelect,
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("异议理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact = forms.CharField(
        label=_("联系方式"),
        required=False,
        max_length=200,
        help_text=_("选填，便于登记机构核实情况。"),
    )


class FollowupForm(forms.Form):
    registration_type = forms.ChoiceField(
        label=_("登记类型"),
        choices=[
            (t, t.label)
            for t in (
                RegistrationType.CHANGE,
                RegistrationType.CORRECTION,
                RegistrationType.DEREGISTRATION,
            )
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("申请事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterFilterForm(forms.Form):
    """Search and filters of the public register. Bad values are reported, never widen."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("登记平台"), required=False)
    object_type = forms.ChoiceField(
        label=_("对象类型"), required=False, choices=[("", _("全部")), *ObjectType.choices]
    )
    industry = forms.ChoiceField(
        label=_("行业"), required=False, choices=[("", _("全部")), *Industry.choices]
    )
    open_category = forms.ChoiceField(
        label=_("开放属性"), required=False, choices=[("", _("全部")), *OpenCategory.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部有效记录")), *[c for c in RecordStatus.choices if c[0] != "pending"]],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        platforms = Platform.objects.select_related("region").order_by("region__code")
        self.fields["province"].choices = [("", _("全部"))] + [
            (p.region.code, p.name) for p in platforms
        ]

    def filters(self) -> dict[str, str]:
        """The filters that parsed; a bad one is dropped (and shown as an error)."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name) or ""
            for name in self.fields
            if name not in self.errors
        }


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, extra_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [*extra_choices, *RegistrationStatus.choices]

    def value(self, default: str = "") -> str:
        if self.is_valid():
            return self.cleaned_data["status"] or default
        return default
