"""Forms of the interaction pages. They parse and type; the rules (lengths, SLA, who may
answer) live in the services, whose errors are put back on them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.interaction.models import ShowcaseKind
from portal.models import Dataset, DatasetStatus
from registry.models import Organisation

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _published():
    return Dataset.objects.filter(status=DatasetStatus.PUBLISHED).order_by("title")


class RequestForm(forms.Form):
    title = forms.CharField(label=_("需求名称"), max_length=200)
    description = forms.CharField(
        label=_("需求描述"),
        max_length=4000,
        widget=TEXTAREA,
        help_text=_("需要哪些数据、字段、范围和更新频率，用于什么。"),
    )
    holder = forms.ModelChoiceField(
        label=_("数据提供单位（可选）"),
        queryset=Organisation.objects.filter(datasets__isnull=False).distinct().order_by("name"),
        required=False,
        empty_label=_("不确定，由平台转办"),
    )


class AnswerForm(forms.Form):
    action = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("accept", _("受理")), ("publish", _("已开放")), ("decline", _("不予提供"))],
    )
    reply = forms.CharField(label=_("公开答复"), max_length=4000, widget=TEXTAREA)
    dataset = forms.ModelChoiceField(
        label=_("满足需求的数据集（已开放时必选）"), queryset=Dataset.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = _published()


class FeedbackForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("内容"), max_length=4000, widget=TEXTAREA)
    dataset = forms.ModelChoiceField(
        label=_("数据集"), queryset=Dataset.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = _published()


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("公开答复"), max_length=4000, widget=TEXTAREA)


class RatingForm(forms.Form):
    score = forms.IntegerField(label=_("评分"), min_value=1, max_value=5)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("评论"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AbuseForm(forms.Form):
    reason = forms.CharField(label=_("举报理由"), max_length=500)


class ShowcaseForm(forms.Form):
    title = forms.CharField(label=_("成果名称"), max_length=200)
    description = forms.CharField(label=_("成果简介"), max_length=4000, widget=TEXTAREA)
    url = forms.CharField(label=_("访问地址"), max_length=500, help_text="https://…")
    kind = forms.ChoiceField(label=_("成果类型"), choices=ShowcaseKind.choices)
    datasets = forms.ModelMultipleChoiceField(
        label=_("使用的数据集"),
        queryset=Dataset.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datasets"].queryset = _published()


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("hide", "hide"), ("restore", "restore"), ("dismiss_reports", "dismiss")]
    )
    reason = forms.CharField(label=_("理由"), max_length=2000, required=False)


class ShowcaseModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(label=_("理由"), max_length=2000, required=False)
