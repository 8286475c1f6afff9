"""Forms of the operations pages. They only parse input; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from operations.models import (
    AuthorisationMode,
    DocumentKind,
    LicenceMode,
    PurposeClass,
    ReviewDecision,
    SelectionProcedure,
    VerificationMethod,
    VerificationResult,
)
from operations.services.agreements import EXIT_STEPS

DATE = forms.DateInput(attrs={"type": "date"})


def lines(value: str) -> list[str]:
    return [
        line.strip()
        for line in (value or "").replace("，", ",").replace(",", "\n").splitlines()
        if line.strip()
    ]


class SchemeForm(forms.Form):
    title = forms.CharField(label=_("方案名称"), max_length=200)
    modes = forms.MultipleChoiceField(
        label=_("授权模式"), choices=AuthorisationMode.choices, widget=forms.CheckboxSelectMultiple
    )
    domains = forms.CharField(
        label=_("授权领域（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    registration_codes = forms.CharField(
        label=_("纳入范围的登记编码（每行一个）"), widget=forms.Textarea(attrs={"rows": 4})
    )
    scenarios = forms.CharField(
        label=_("应用场景（每行一个）"), widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("方案说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApprovalForm(forms.Form):
    approver = forms.CharField(label=_("批准机关"), max_length=200)
    document_no = forms.CharField(label=_("批准文号"), max_length=100)
    approved_on = forms.DateField(label=_("批准日期"), widget=DATE)


class SelectionForm(forms.Form):
    procedure = forms.ChoiceField(label=_("遴选方式"), choices=SelectionProcedure.choices)
    decided_on = forms.DateField(label=_("确定日期"), widget=DATE)
    result_summary = forms.CharField(
        label=_("遴选结果（公开）"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    operators = forms.MultipleChoiceField(
        label=_("入选运营机构"), choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, operators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operators"].choices = [
            (
                p.pk,
                f"{p.organisation.name}{'' if p.is_verified else '（' + str(_('身份未核验')) + '）'}",
            )
            for p in operators
        ]


class AgreementForm(forms.Form):
    operator = forms.ChoiceField(label=_("运营机构"), choices=[])
    title = forms.CharField(label=_("协议名称"), max_length=200)
    registration_codes = forms.MultipleChoiceField(
        label=_("授权资源"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    scenarios = forms.MultipleChoiceField(
        label=_("应用场景"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("起始日期"), widget=DATE)
    end_date = forms.DateField(label=_("终止日期（期限不超过五年）"), widget=DATE)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    public_summary = forms.CharField(
        label=_("公开摘要"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    security_duties = forms.CharField(
        label=_("安全责任"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    charging_terms = forms.CharField(
        label=_("收费条款"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reporting_duties = forms.CharField(
        label=_("报告义务"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    exit_plan = forms.CharField(
        label=_("退出方案"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        selection = getattr(scheme, "selection", None)
        self.fields["operator"].choices = [
            (p.pk, p.organisation.name) for p in (selection.selected.all() if selection else [])
        ]
        self.fields["registration_codes"].choices = [
            (s.registration_code, s.registration_code) for s in scheme.scope.all()
        ]
        self.fields["scenarios"].choices = [(s.pk, s.name) for s in scheme.scenarios.all()]


class ReasonForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), choices=[])
    reason = forms.CharField(label=_("理由"), required=False, max_length=1000)

    def __init__(self, *args, actions=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, (labels or {}).get(a, a)) for a in actions]


class ExitStepForm(forms.Form):
    step = forms.ChoiceField(label=_("退出事项"), choices=[(s, s) for s in EXIT_STEPS])
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)


class ConsentForm(forms.Form):
    registration_code = forms.ChoiceField(label=_("资源"), choices=[])
    consented_on = forms.DateField(label=_("同意日期"), widget=DATE)
    document_no = forms.CharField(label=_("同意函文号"), required=False, max_length=100)

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration_code"].choices = [
            (r.code, f"{r.code} {r.holder.name}")
            for r in agreement.resources.select_related("holder")
        ]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("说明（不同意时必填）"), required=False, max_length=1000)


class AgencyReviewForm(ReviewForm):
    valid_until = forms.DateField(
        label=_("许可有效期至（默认为协议终止日）"), required=False, widget=DATE
    )
    daily_quota = forms.IntegerField(label=_("每日查询额度"), required=False, min_value=1)
    total_quota = forms.IntegerField(label=_("总查询额度"), required=False, min_value=1)


class ApplyForm(forms.Form):
    scenario = forms.ChoiceField(label=_("应用场景"), choices=[])
    purpose_class = forms.ChoiceField(label=_("用途类别"), choices=PurposeClass.choices)
    purpose = forms.CharField(
        label=_("用途说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    security_measures = forms.CharField(
        label=_("安全保障措施"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [(s.pk, s.name) for s in agreement.scenarios.all()]


MODE_CHOICES = LicenceMode.choices


class VerifyPartyForm(forms.Form):
    method = forms.ChoiceField(label=_("核验方式"), choices=VerificationMethod.choices)
    result = forms.ChoiceField(label=_("核验结果"), choices=VerificationResult.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("材料名称"), max_length=200)
    valid_until = forms.DateField(label=_("有效期至"), required=False)
    file = forms.FileField(
        label=_("文件"), required=False, help_text=_("PDF、OFD、图片或 Word 文件")
    )


class CommitmentForm(forms.Form):
    commitment = forms.CharField(label=_("承诺内容"), max_length=4000, widget=forms.Textarea)
    signed_by = forms.CharField(label=_("签署人"), max_length=100)
    signed_on = forms.DateField(label=_("签署日期"))
