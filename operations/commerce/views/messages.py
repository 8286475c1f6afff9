"""The Chinese wording of the services' English messages on the pages (the API keeps the
English; the English catalogue turns these back for English pages). Unknown messages fall
through to the registry's catalogue, then show as they are."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.views.common import translate_message as registry_translate

MESSAGES = {
    "A pricing period is closed only after its last day.": _("定价周期结束后才能结算。"),
    "A statement is finalised only after its month has ended.": _("计费月份结束后才能确认对账单。"),
    "Nothing to invoice: the statement's total is zero.": _("对账单合计为零，无需开具发票。"),
    "Only a finalised statement is invoiced.": _("只有已确认的对账单才能开具发票。"),
    "Only a past year is disclosed.": _("只能公开已结束的年度。"),
    "A report covers a past year.": _("年度运营报告只能报送已结束的年度。"),
    "Only an accepted order is billed.": _("只有已生效的订单才能计费。"),
    "That month has not begun.": _("该月份尚未开始。"),
    "The order was not active in that month.": _("该订单在此月份未生效。"),
    "The disclosure is reviewed by someone other than who generated it.": _(
        "年度公开须由生成人以外的人员审核。"
    ),
    "The pricing period is already closed.": _("该定价周期已结算。"),
    "The pricing period of that month is closed.": _("该月份所属定价周期已结算。"),
    "The product cannot be listed yet.": _("产品尚不能上架。"),
    "The product is not listed.": _("产品未上架。"),
    "The quoted price is no longer live; order again for a new quote.": _(
        "报价所依据的价格已失效，请重新下单获取报价。"
    ),
    "The record cannot be attached.": _("该登记记录不能关联。"),
    "The report of that year is already filed.": _("该年度的运营报告已报送。"),
    "This statement is already invoiced.": _("该对账单已开具发票。"),
    "Must be more than zero.": _("须大于零。"),
    "The approval document is required.": _("请上传核定文件。"),
    "A public governance or welfare order needs an attestation.": _(
        "公共治理、公益用途须提交用途承诺。"
    ),
    "Evidence of the public purpose is required.": _("请上传公共用途证明材料。"),
    "The consumer's identity is not verified yet.": _("使用单位身份尚未核验。"),
    "The operator's identity is not verified.": _("运营机构身份尚未核验。"),
    "The product has no live price (suspended under a new ceiling).": _(
        "产品没有执行中的价格（已因新上限暂停）。"
    ),
    "The licence is not active.": _("授权许可不在有效状态。"),
    "Not a priority scenario of this operator.": _("不是该运营机构的优先场景。"),
    "A reason is required.": _("请填写理由。"),
    "A date not in the future is required.": _("请填写不晚于今天的日期。"),
    "A payment with this reference is already recorded.": _("该付款流水号已登记。"),
    "Describe the scenario (at most 300 characters).": _("请说明应用场景（不超过300字）。"),
    "A per-period price is a flat monthly price.": _("按时段计费只能是按月单一价格。"),
    "Overlaps another pricing period of this operator.": _("与该运营机构的其他定价周期重叠。"),
    "The end must not be before the start.": _("终止日期不得早于起始日期。"),
    "A number is required.": _("请输入数字。"),
    "Must be zero or more.": _("不得为负数。"),
    "Too large.": _("数值过大。"),
    "Between 0 and 100 (exclusive).": _("须大于0且小于100。"),
    "A scenario of this name exists.": _("已有同名优先场景。"),
    "Already registered as a consumer.": _("该单位已登记为使用单位。"),
    "No ceiling is set for the period fee.": _("尚未核定月度固定费用的上限价格。"),
    "No live price is published under the ceilings.": _("尚未发布不高于上限的执行价格。"),
    "The data-source statement is missing.": _("缺少数据来源声明。"),
    "The product has no active registry record of type 'product'.": _(
        "产品尚无有效的“公共数据产品和服务”登记记录。"
    ),
    "The record belongs to another product.": _("该登记记录已关联其他产品。"),
    "The record is not a data product or service (type 2).": _(
        "该登记记录不是“公共数据产品和服务”类型。"
    ),
    "The record is not held by the product's operator.": _("该登记记录的登记主体不是本运营机构。"),
    "The price is above the ceiling in force.": _("价格高于现行上限价格。"),
    "Not a selected operator.": _("不是入选的运营机构。"),
}
PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^The price (\S+) is above the ceiling (\S+) per '(\w+)'\.$"),
        lambda m: (
            gettext("价格 %(price)s 高于上限价格 %(ceiling)s。") % {"price": m[1], "ceiling": m[2]}
        ),
    ),
    (
        re.compile(r"^The period fee (\S+) is above the ceiling (\S+)\.$"),
        lambda m: (
            gettext("月度固定费用 %(price)s 高于上限价格 %(ceiling)s。")
            % {"price": m[1], "ceiling": m[2]}
        ),
    ),
    (
        re.compile(r"^No ceiling is set for the unit '(\w+)'\.$"),
        lambda m: gettext("该计费单位尚未核定上限价格。"),
    ),
    (
        re.compile(r"^At most what is still owed: (\S+)\.$"),
        lambda m: gettext("不得超过未结金额 %(amount)s。") % {"amount": m[1]},
    ),
    (
        re.compile(r"^A (\w+) product cannot be built on a (\w+) licence\.$"),
        lambda m: gettext("该类型的产品不能建立在此模式的授权许可上。"),
    ),
    (
        re.compile(
            r"^An operator without a full year of history gets a trial tariff of at most (\d+) days\.$"
        ),
        lambda m: (
            gettext("运营不满一年的机构执行试行收费标准，周期不超过 %(days)s 天。") % {"days": m[1]}
        ),
    ),
]


def translate(message: str) -> str:
    if message in MESSAGES:
        return str(MESSAGES[message])
    for pattern, render in PATTERNS:
        match = pattern.match(message)
        if match:
            return render(match)
    return registry_translate(message)
