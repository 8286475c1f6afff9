"""Forms of the holder's publishing pages. They only shape input; the services validate it
(their errors are put back on the fields), so page and API enforce the same rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Dataset, Licence, Theme
from registry.models import Industry, UpdateFrequency

TEXT_FIELDS = (
    "title",
    "description",
    "tags",
    "update_frequency",
    "industry",
    "contact_name",
    "contact_phone",
    "contact_email",
)


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("数据集名称"), max_length=200)
    description = forms.CharField(
        label=_("数据集描述"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("支持 Markdown 格式：标题、列表、链接、表格等。"),
    )
    theme = forms.ChoiceField(label=_("主题分类"), required=False)
    industry = forms.ChoiceField(label=_("行业分类"), choices=Industry.choices)
    tags = forms.CharField(
        label=_("标签"),
        required=False,
        max_length=1000,
        help_text=_("多个标签用逗号或顿号分隔，最多 20 个，每个不超过 40 个字符。"),
    )
    licence = forms.ChoiceField(label=_("开放许可协议"))
    update_frequency = forms.ChoiceField(label=_("更新频率"), choices=UpdateFrequency.choices)
    contact_name = forms.CharField(label=_("联系人"), max_length=100)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    contact_email = forms.CharField(label=_("联系邮箱"), max_length=254, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("（未分类）"))] + [
            (t.code, t.name) for t in Theme.objects.all()
        ]
        self.fields["licence"].choices = [(lc.code, lc.name) for lc in Licence.objects.all()]

    @staticmethod
    def initial_from_dataset(dataset: Dataset) -> dict[str, Any]:
        initial = {name: getattr(dataset, name) for name in TEXT_FIELDS}
        initial["tags"] = "、".join(dataset.tags)
        initial["theme"] = dataset.theme.code if dataset.theme else ""
        initial["licence"] = dataset.licence.code
        return initial

    @staticmethod
    def initial_from_defaults(defaults: dict[str, Any]) -> dict[str, Any]:
        return {**defaults, "theme": defaults.get("theme") or ""}

    def service_data(self) -> dict[str, Any]:
        """What the services take: the raw strings (the tag string is split by the service)."""
        data = dict(self.cleaned_data)
        data["theme"] = data.get("theme") or None
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("下线原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("原因会记录在数据集的操作记录中。"),
    )


class FileForm(forms.Form):
    """A new file (a distribution) with its first version."""

    title = forms.CharField(label=_("文件名称"), max_length=200)
    description = forms.CharField(
        label=_("文件说明"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_("支持 CSV、TSV、TXT、JSON、GeoJSON、XML、XLSX、XLS、PDF、ZIP、DOCX。"),
    )


class VersionForm(forms.Form):
    """A new version of an existing file."""

    file = forms.FileField(label=_("新版本文件"))
