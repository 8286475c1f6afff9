"""Forms of the commerce pages. The services validate; these only shape input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from operations.commerce.models import ChargingUnit, ProductKind, PurposeClass, TariffShape
from operations.models import VerificationMethod, VerificationResult


def split(text: str | None) -> list[str]:
    """Comma-separated names (ASCII or full-width commas)."""
    return [x.strip() for x in (text or "").replace("，", ",").split(",") if x.strip()]


AGGREGATES = [("count:*", _("计数")), ("sum", _("求和")), ("avg", _("平均值"))]


class ProductForm(forms.Form):
    licence = forms.TypedChoiceField(label=_("授权许可"), coerce=int)
    kind = forms.ChoiceField(label=_("产品类型"), choices=ProductKind.choices)
    name = forms.CharField(label=_("产品名称"), max_length=200)
    summary = forms.CharField(
        label=_("产品简介"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    data_source_statement = forms.CharField(
        label=_("数据来源声明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    group_by = forms.CharField(
        label=_("分组字段"),
        required=False,
        max_length=300,
        help_text=_("统计产品：用逗号分隔的字段名，如：区"),
    )
    aggregate = forms.ChoiceField(label=_("统计方式"), choices=AGGREGATES, required=False)
    aggregate_field = forms.CharField(
        label=_("统计字段"), required=False, max_length=100, help_text=_("求和、平均值时填写")
    )
    return_fields = forms.CharField(
        label=_("返回字段"),
        required=False,
        max_length=500,
        help_text=_("API 产品：用逗号分隔的字段名"),
    )
    parameter_field = forms.CharField(
        label=_("调用参数字段"),
        required=False,
        max_length=100,
        help_text=_("调用方按此字段精确匹配查询（核验服务必填）"),
    )

    def query(self) -> dict:
        data = self.cleaned_data
        query: dict = {}
        if split(data.get("group_by")):
            query["group_by"] = split(data["group_by"])
        if data.get("aggregate"):
            func = data["aggregate"]
            query["aggregates"] = (
                func if func == "count:*" else f"{func}:{data.get('aggregate_field', '').strip()}"
            )
        if split(data.get("return_fields")):
            query["fields"] = split(data["return_fields"])
        return query

    def parameters(self) -> list:
        field = (self.cleaned_data.get("parameter_field") or "").strip()
        return [{"name": "value", "field": field, "op": "eq", "required": True}] if field else []


class RecordForm(forms.Form):
    record_code = forms.CharField(label=_("产品登记编码"), max_length=40)


class PriceForm(forms.Form):
    unit = forms.ChoiceField(label=_("计费单位"), choices=ChargingUnit.choices)
    shape = forms.ChoiceField(label=_("收费方式"), choices=TariffShape.choices)
    unit_price = forms.DecimalField(
        label=_("单价(元)"), required=False, min_value=0, decimal_places=6
    )
    tiers = forms.CharField(
        label=_("阶梯"),
        required=False,
        max_length=500,
        help_text=_("累进阶梯：每行“上限,单价”，最后一行上限留空，如：1000,0.10"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    period_fee = forms.DecimalField(
        label=_("月度固定费用(元)"), required=False, min_value=0, decimal_places=2
    )
    included_quantity = forms.DecimalField(label=_("固定费用包含用量"), required=False, min_value=0)

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        tiers = []
        for line in (data.pop("tiers") or "").splitlines():
            if line.strip():
                bound, _, price = line.replace("，", ",").partition(",")
                tiers.append({"up_to": bound.strip() or None, "unit_price": price.strip()})
        data["tiers"] = tiers
        return {k: v for k, v in data.items() if v not in (None, "")}


class CeilingForm(forms.Form):
    unit = forms.ChoiceField(label=_("计费单位"), choices=ChargingUnit.choices)
    amount = forms.DecimalField(label=_("上限价格(元)"), min_value=0, decimal_places=6)
    basis = forms.CharField(
        label=_("定价依据"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    document_reference = forms.CharField(label=_("批复文号"), required=False, max_length=200)


class OrderForm(forms.Form):
    purpose_class = forms.ChoiceField(label=_("用途类别"), choices=PurposeClass.choices)
    scenario = forms.CharField(label=_("应用场景"), max_length=300)
    priority_scenario = forms.TypedChoiceField(
        label=_("优先场景(可选)"), coerce=int, required=False, empty_value=None
    )
    attestation = forms.CharField(
        label=_("公益/公共治理用途承诺"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(label=_("证明材料"), required=False)


class MonthForm(forms.Form):
    month = forms.CharField(label=_("计费月份"), max_length=7, help_text=_("YYYY-MM"))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("金额(元)"), min_value=0, decimal_places=2)
    reference = forms.CharField(label=_("付款流水号"), max_length=100)
    received_on = forms.DateField(
        label=_("到账日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class CreditNoteForm(forms.Form):
    amount = forms.DecimalField(label=_("冲减金额(元)"), min_value=0, decimal_places=2)
    reason = forms.CharField(label=_("冲减原因"), max_length=2000)


class PeriodForm(forms.Form):
    operator = forms.TypedChoiceField(label=_("运营机构"), coerce=int)
    start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("终止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    operating_cost = forms.DecimalField(label=_("运营成本(元)"), min_value=0, decimal_places=2)
    permitted_profit = forms.DecimalField(label=_("合理利润(元)"), min_value=0, decimal_places=2)
    taxes = forms.DecimalField(label=_("税金(元)"), min_value=0, decimal_places=2)
    approval_reference = forms.CharField(label=_("核定文号"), max_length=200)
    approval_document = forms.FileField(label=_("核定文件"))


class VerifyForm(forms.Form):
    method = forms.ChoiceField(label=_("核验方式"), choices=VerificationMethod.choices)
    result = forms.ChoiceField(label=_("核验结果"), choices=VerificationResult.choices)
    note = forms.CharField(label=_("备注"), required=False, max_length=500)


class ConsumerForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    region = forms.CharField(
        label=_("所在地区代码"), max_length=6, help_text=_("GB/T 2260，如 440100")
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=100)
    authorised_contact = forms.CharField(label=_("授权联系人"), max_length=100)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("公开年度"), min_value=2000, max_value=2100)


class OperatingReportForm(forms.Form):
    """An operator's annual operating report: the year and a narrative (the figures are
    generated from the data; which operator is the view's to check)."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    narrative = forms.CharField(
        label=_("运营情况说明"), max_length=8000, required=False, widget=forms.Textarea
    )
