"""Plumbing shared by the registry's HTML pages: access decorators, the Chinese labels of
workflow actions, and turning DomainErrors into messages and field errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.errors import Conflict, DomainError, IllegalTransition, NotFound
from registry.models import RecordStatus, Registration, RegistrationStatus
from registry.selectors import Scope, scope_of

S = RegistrationStatus

ACTION_LABELS = {
    "create": _("创建申请"),
    "update": _("修改申请"),
    "attach": _("上传材料"),
    "submit": _("提交申请"),
    "resubmit": _("重新提交"),
    "withdraw": _("撤回申请"),
    "accept": _("受理"),
    "require_supplement": _("一次性告知补正"),
    "not_accept": _("不予受理"),
    "return": _("退回修改"),
    "reject": _("审核不通过"),
    "approve_review": _("形式审核通过"),
    "start_notice": _("开始公示"),
    "object": _("提出异议"),
    "uphold_objection": _("异议成立"),
    "dismiss_objection": _("异议不成立"),
    "complete": _("赋码/办结"),
    "flag_overdue": _("标记超期"),
}

# Success messages after a transition requested from a page.
ACTION_DONE = {
    "submit": _("申请已提交，等待登记机构受理。"),
    "withdraw": _("申请已撤回。"),
    "accept": _("已受理，进入形式审核。"),
    "require_supplement": _("已发出一次性补正告知。"),
    "not_accept": _("已作出不予受理决定。"),
    "return": _("已退回申请人修改。"),
    "reject": _("已作出审核不通过决定。"),
    "approve_review": _("形式审核通过，已进入公示。"),
    "complete": _("已办结，登记编码已赋予。"),
    "uphold_objection": _("已认定异议成立。"),
    "dismiss_objection": _("已认定异议不成立。"),
}

STATUS_BADGES = {
    S.DRAFT: "badge",
    S.SUBMITTED: "badge badge-info",
    S.SUPPLEMENT_REQUIRED: "badge badge-warn",
    S.NOT_ACCEPTED: "badge badge-bad",
    S.UNDER_REVIEW: "badge badge-info",
    S.RETURNED: "badge badge-warn",
    S.REJECTED: "badge badge-bad",
    S.IN_NOTICE: "badge badge-notice",
    S.APPROVED: "badge badge-ok",
    S.WITHDRAWN: "badge",
}

# The services speak English; the pages speak Chinese (the English catalogue is compiled
# from these msgids). Unknown messages are shown as they are rather than hidden.
_MESSAGES = {
    "This field is required.": _("此项为必填项。"),
    "Required.": _("此项为必填项。"),
    "A reason is required.": _("请填写理由。"),
    "At least one data item is required.": _("至少填写一个数据项。"),
    "At least one coverage region is required.": _("至少选择一个覆盖地域。"),
    "At least one format is required.": _("至少选择一种数据格式。"),
    "At least one item is required.": _("至少列出一项需补正的内容。"),
    "The description document (说明文档) is required.": _("缺少数据资源说明文档。"),
    "The signed commitment letter (登记承诺书) is required.": _("缺少签章的登记承诺书。"),
    "The agent mandate (委托授权书) is required.": _("缺少委托授权书。"),
    "Evidence of consent is required.": _("缺少授权同意证明材料。"),
    "A deregistration must state its reason.": _("注销登记须说明理由。"),
    "Not a valid phone number.": _("电话号码格式不正确。"),
    "Not a valid e-mail address.": _("邮箱地址格式不正确。"),
    "Must be a date (YYYY-MM-DD).": _("请输入日期（YYYY-MM-DD）。"),
    "The end of the period is before its start.": _("时间范围止早于时间范围起。"),
    "Must be a non-negative integer.": _("请输入非负整数。"),
    "Must be an integer from 1 to 4.": _("请选择 1 至 4 级。"),
    "Only general data carries a sub-level.": _("只有一般数据可以设置子级。"),
    "Core and important data can never be opened unconditionally.": _(
        "核心数据和重要数据不得无条件开放。"
    ),
    "Data that is not open cannot be authorised for operation.": _(
        "不予开放的数据不得纳入授权运营范围。"
    ),
    "An open data resource must be unconditional or conditional.": _(
        "开放数据资源的开放属性须为无条件开放或有条件开放。"
    ),
    "Personal information or trade secrets need recorded consent before opening.": _(
        "含个人信息或商业秘密的数据开放前须取得并记录授权同意。"
    ),
    "Describe the consent obtained (who, when, scope).": _(
        "请说明已取得的授权同意（主体、时间、范围）。"
    ),
    "The file is empty.": _("文件为空。"),
    "Allowed: PDF, OFD, DOC/DOCX, PNG, JPEG, with a matching extension.": _(
        "仅支持 PDF、OFD、DOC/DOCX、PNG、JPEG 文件，且扩展名须与内容一致。"
    ),
    "Not editable on a deregistration.": _("注销登记不可修改元数据。"),
    "Must be returned or rejected.": _("请选择退回修改或审核不通过。"),
    "Reviewers never decide on their own filing.": _("审核人员不得审核本人或本单位提交的申请。"),
    "The public notice has not ended yet.": _("公示期尚未结束。"),
    "The public notice period has ended.": _("公示期已结束，不能再提出异议。"),
    "An objection is still pending a decision.": _("尚有异议未处理。"),
    "This record already has an application in progress.": _("该登记记录已有办理中的申请。"),
    "An expired record can only be deregistered.": _("已过期的登记记录只能办理注销登记。"),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^At most (\d+) characters\.$"), lambda m: gettext("最多 %s 个字符。") % m[1]),
    (re.compile(r"^At most (\d+) MiB\.$"), lambda m: gettext("文件不得超过 %s MiB。") % m[1]),
    (
        re.compile(r"^Duplicate data item name '(.*)'\.$"),
        lambda m: gettext("数据项名称“%s”重复。") % m[1],
    ),
    (re.compile(r"^Must be one of: "), lambda m: gettext("请从列表中选择一项。")),
    (
        re.compile(r"^Unknown region codes: (.*)\.$"),
        lambda m: gettext("未知的地域代码：%s。") % m[1],
    ),
    (re.compile(r"^Unknown value '(.*)'\. Allowed"), lambda m: gettext("未知的取值：%s。") % m[1]),
    (
        re.compile(
            r"^This platform registers the resources of registrants in (.*); (.*) is in (.*): "
            r"file on that province's platform\.$"
        ),
        lambda m: (
            gettext(
                "本平台办理%(here)s登记主体的数据资源登记；%(holder)s属于%(there)s，请在该省平台办理。"
            )
            % {"here": m[1], "holder": m[2], "there": m[3]}
        ),
    ),
    (
        re.compile(
            r"^(.*) is in (.*), whose platform is live: file on that province's platform\.$"
        ),
        lambda m: (
            gettext("%(holder)s属于%(there)s，该省平台已上线，请在该省平台办理登记。")
            % {"holder": m[1], "there": m[2]}
        ),
    ),
    (
        re.compile(r"^(.*) is a national-level registrant: file on the national platform\.$"),
        lambda m: gettext("%s为中央层级登记主体，请在国家平台办理登记。") % m[1],
    ),
]


def translate_message(message: str) -> str:
    if message in _MESSAGES:
        return str(_MESSAGES[message])
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match:
            return render(match)
    return message


def translated_errors(exc: DomainError) -> dict[str, list[str]]:
    return {key: [translate_message(m) for m in msgs] for key, msgs in exc.errors.items()}


def status_label(value: str) -> str:
    """The Chinese label of an application's or a record's status."""
    for choices in (RegistrationStatus, RecordStatus):
        try:
            return str(choices(value).label)
        except ValueError:
            continue
    return value


def transition_message(exc: DomainError, registration: Registration | None = None) -> str:
    """The message for a refused transition: what the current state is, and what is allowed."""
    current = exc.extra.get("current_state") or ""
    if registration is not None:
        registration.refresh_from_db(fields=["status"])
        current = registration.status
    if current:
        text = gettext("操作未执行：当前状态为“%(state)s”。") % {"state": status_label(current)}
    else:
        text = gettext("操作未执行。")
    if isinstance(exc, IllegalTransition):
        allowed = [str(ACTION_LABELS.get(a, a)) for a in exc.extra.get("allowed_actions", [])]
        # Translators: the separator between listed actions (an enumeration comma).
        allowed_text = gettext("、").join(allowed) if allowed else gettext("无")
        text += gettext("当前可办理：%(actions)s。") % {"actions": allowed_text}
    elif isinstance(exc, Conflict):
        text += translate_message(exc.detail)
    return text


def staff_page(check: Callable[[Scope], bool]):
    """Login required (anonymous → login page); a user without the role gets a 404, and so
    does any NotFound raised by a selector inside the view."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not check(scope_of(request.user)):
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None

        return wrapped

    return decorator


def is_filer(scope: Scope) -> bool:
    return scope.is_filer


def is_platform_staff(scope: Scope) -> bool:
    return scope.is_staff_of_platform


def has_any_role(scope: Scope) -> bool:
    return scope.is_filer or scope.is_staff_of_platform
