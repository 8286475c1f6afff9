"""Page plumbing shared by the conditional-access and interaction pages: service messages
(English) shown in Chinese, service errors put back on forms, refused transitions turned into
one message, and a 404 for anything a selector says is out of scope."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.errors import DomainError, IllegalTransition, NotFound, ValidationFailed
from registry.views.common import translate_message as registry_translate

STATE_LABELS = {
    "submitted": _("待审核"),
    "approved": _("已批准"),
    "rejected": _("未批准"),
    "withdrawn": _("已撤回"),
    "active": _("有效"),
    "revoked": _("已撤销"),
    "expired": _("已到期"),
    "open": _("待答复"),
    "accepted": _("已受理"),
    "published": _("已开放"),
    "declined": _("不予提供"),
    "replied": _("已答复"),
    "visible": _("显示"),
    "hidden": _("已屏蔽"),
    "pending": _("待审核"),
}
ACTION_LABELS = {
    "extend": _("延长审核期限"),
    "approve": _("批准"),
    "reject": _("不予批准"),
    "withdraw": _("撤回申请"),
    "revoke": _("撤销授权"),
    "report": _("报告使用情况"),
    "accept": _("受理"),
    "publish": _("已开放"),
    "decline": _("不予提供"),
    "reply": _("答复"),
    "hide": _("屏蔽"),
    "restore": _("恢复显示"),
    "submit": _("提交"),
    "create": _("提交"),
    "expire": _("授权到期"),
    "flag_overdue": _("标记超期"),
    "dismiss_reports": _("驳回举报"),
}
_MESSAGES = {
    "Choose at least one dataset.": _("请至少选择一个数据集。"),
    "Only published conditional datasets need an application.": _(
        "只有已发布的有条件开放数据集需要申请。"
    ),
    "One application covers the datasets of one holder.": _(
        "一份申请只能包含同一数据提供单位的数据集。"
    ),
    "The holder's own staff need no application.": _("数据提供单位的工作人员无需申请。"),
    "An application of yours for this dataset is still under review.": _(
        "您对该数据集的申请仍在审核中。"
    ),
    "Must be an integer.": _("请输入整数。"),
    "You cannot support your own request.": _("不能支持自己提出的需求。"),
    "You already support this request.": _("您已支持过该需求。"),
    "Name the published dataset that answers the request.": _("请选择满足该需求的已发布数据集。"),
    "An error report names the dataset.": _("数据纠错须指明数据集。"),
    "Must be an integer from 1 to 5.": _("评分须为 1 至 5 的整数。"),
    "You cannot report your own comment.": _("不能举报自己的评论。"),
    "You already reported this comment.": _("您已举报过该评论。"),
    "Must be an http:// or https:// address.": _("请填写以 http:// 或 https:// 开头的网址。"),
    "Name at least one dataset used.": _("请至少选择一个所用数据集。"),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^Must be from (\d+) to (\d+)\.$"),
        lambda m: gettext("请输入 %(low)s 至 %(high)s 之间的数。") % {"low": m[1], "high": m[2]},
    ),
    (
        re.compile(r"^Up to (\d+) published datasets\.$"),
        lambda m: gettext("最多选择 %s 个已发布的数据集。") % m[1],
    ),
    (re.compile(r"^At most (\d+) datasets\.$"), lambda m: gettext("最多选择 %s 个数据集。") % m[1]),
]


def translate_message(message: str) -> str:
    if message in _MESSAGES:
        return str(_MESSAGES[message])
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match:
            return render(match)
    return registry_translate(message)


def state_label(value: str) -> str:
    return str(STATE_LABELS.get(value, value))


def event_label(value: str) -> str:
    return str(ACTION_LABELS.get(value) or STATE_LABELS.get(value, value))


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    for key, msgs in exc.errors.items():
        target = key if key in form.fields else None
        for message in msgs:
            form.add_error(target, translate_message(message))
    if not exc.errors:
        form.add_error(None, translate_message(exc.detail))


def refused_message(request: HttpRequest, exc: DomainError) -> None:
    """One message for a refused action: the current state and what it allows, or why."""
    if isinstance(exc, IllegalTransition):
        current = state_label(exc.extra.get("current_state", ""))
        allowed = [str(ACTION_LABELS.get(a, a)) for a in exc.extra.get("allowed_actions", [])]
        text = gettext("操作未执行：当前状态为“%(state)s”。") % {"state": current}
        text += gettext("当前可办理：%(actions)s。") % {
            "actions": gettext("、").join(allowed) if allowed else gettext("无")
        }
    else:
        text = gettext("操作未执行。") + translate_message(exc.detail)
    messages.error(request, text)


def perform(request: HttpRequest, call, *, done: str, form: forms.Form | None = None):
    """Run a page's service call. True: done (a success message is added). False: the form
    now carries the field errors (render it again). None: refused (one message with the
    current state and what it allows). NotFound propagates (the view's 404)."""
    try:
        call()
    except ValidationFailed as exc:
        if form is not None:
            apply_errors(form, exc)
            return False
        refused_message(request, exc)
        return None
    except NotFound:
        raise
    except DomainError as exc:
        refused_message(request, exc)
        return None
    messages.success(request, done)
    return True


def not_found_is_404(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapped
