"""Forms of the conditional-access pages: they parse and type the input; the rules live in
portal.access.services, whose errors are put back on them (portal.channel_pages)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.models import Dataset

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class ApplicationForm(forms.Form):
    datasets = forms.ModelMultipleChoiceField(
        label=_("申请的数据集"),
        queryset=Dataset.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可同时申请同一数据提供单位的多个有条件开放数据集。"),
    )
    purpose = forms.CharField(label=_("使用目的"), max_length=4000, widget=TEXTAREA)
    scenario = forms.CharField(label=_("应用场景"), max_length=4000, widget=TEXTAREA)
    security_measures = forms.CharField(
        label=_("安全保障措施"),
        max_length=4000,
        widget=TEXTAREA,
        help_text=_("说明数据存储、访问控制、脱敏和销毁等措施。"),
    )
    period_days = forms.IntegerField(label=_("申请使用期限（天）"), min_value=1, initial=180)
    applicant_organisation = forms.CharField(
        label=_("申请单位（可选）"), max_length=200, required=False
    )
    contact_phone = forms.CharField(label=_("联系电话（可选）"), max_length=40, required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datasets"].queryset = (
            choices if choices is not None else Dataset.objects.none()
        )
        self.fields["period_days"].max_value = settings.ACCESS_MAX_PERIOD_DAYS
        self.fields["period_days"].widget.attrs["max"] = settings.ACCESS_MAX_PERIOD_DAYS


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(ReasonForm):
    """Shown next to the reject/extend form on one page: its own ids."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "approve_%s")
        super().__init__(*args, **kwargs)

    granted_days = forms.IntegerField(label=_("批准使用期限（天）"), min_value=1, required=False)
    report_interval_days = forms.IntegerField(
        label=_("使用情况报告周期（天）"), min_value=7, max_value=365, required=False
    )


class UsageReportForm(forms.Form):
    content = forms.CharField(
        label=_("本期使用情况"),
        max_length=8000,
        widget=TEXTAREA,
        help_text=_("说明数据的使用范围、产出成果、安全措施执行情况。"),
    )
