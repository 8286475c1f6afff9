"""Page plumbing: who may open a workspace, and domain errors as form errors or messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from operations import selectors
from registry.errors import DomainError, NotFound
from registry.selectors import scope_of
from registry.views.common import translate_message

STATUS_BADGES = {
    "active": "badge badge-ok",
    "approved": "badge badge-ok",
    "result_published": "badge badge-ok",
    "served": "badge badge-ok",
    "suspended": "badge badge-warn",
    "holder_review": "badge badge-info",
    "agency_review": "badge badge-info",
    "exit_in_progress": "badge badge-warn",
    "draft": "badge",
    "revoked": "badge badge-bad",
    "terminated": "badge badge-bad",
    "rejected": "badge badge-bad",
    "refused": "badge badge-bad",
    "expired": "badge",
    "closed": "badge",
    "withdrawn": "badge",
}

_MESSAGES = {
    "The licence's daily quota is used up.": _("本许可当日查询额度已用完。"),
    "The licence's total quota is used up.": _("本许可总查询额度已用完。"),
    "The licence is outside its validity period.": _("许可不在有效期内，不提供任何数据。"),
    "This licence answers aggregate queries only (group_by / aggregates); records are not returned.": _(
        "本许可仅提供统计结果（分组或汇总），不返回明细记录。"
    ),
    "Raw data stays inside the platform: this licence does not export. Only aggregate results of an aggregates-only licence can be exported.": _(
        "原始数据不出域：本许可不支持导出，仅“仅统计结果”许可可导出统计结果。"
    ),
    "An agreement's term is at most five years.": _("协议期限最长五年。"),
}


_PATTERNS = [
    (
        re.compile(r"^row_predicate: (.*)$"),
        lambda m: gettext("行条件有误：%s") % translate_message(m[1]),
    ),
    (
        re.compile(
            r"^(\d+) product registration\(s\) of this agreement are not deregistered: (.*)\. "
            r"Their registrant \(the operator\) files the deregistrations first\.$"
        ),
        lambda m: (
            gettext(
                "本协议尚有 %(n)s 个产品登记未注销：%(codes)s。请登记主体（运营单位）先办理注销登记。"
            )
            % {"n": m[1], "codes": m[2]}
        ),
    ),
]


def say(text: str) -> str:
    if text in _MESSAGES:
        return str(_MESSAGES[text])
    for pattern, render in _PATTERNS:
        match = pattern.match(text)
        if match:
            return render(match)
    return translate_message(text)


def workspace(kind: str | None):
    """Login required; a user who does not act for a party of `kind` (or, for None, holder
    staff) gets a 404, as does any NotFound a selector raises inside the view."""

    def decorator(view: Callable):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if kind is None:
                allowed = bool(scope_of(request.user).holder_org_ids)
            else:
                allowed = selectors.parties_of(request.user, kind).exists()
            if not allowed:
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None

        return wrapped

    return decorator


def attempt(request, form: forms.Form | None, action: Callable[[], Any], done: str) -> Any:
    """Run a service; its errors become field errors on `form` (or page messages)."""
    try:
        result = action()
    except NotFound:
        raise
    except DomainError as exc:
        placed = False
        for name, errors in exc.errors.items():
            key = name.split("[")[0]
            for error in errors:
                text = say(error)
                if form is not None and key in form.fields:
                    form.add_error(key, text)
                    placed = True
                else:
                    messages.error(request, text)
                    placed = True
        if not placed:
            detail = say(exc.detail)
            if form is not None:
                form.add_error(None, detail)
            else:
                messages.error(request, detail)
        return None
    messages.success(request, done)
    return result if result is not None else True


def ok_message(text: str) -> str:
    return gettext(text)
