"""Forms of the developer console and the dashboards. They parse and type the input; the
rules live in portal.developer.services, whose errors are put back on these forms (in
Chinese) by `apply_service_errors`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.developer.models import ApiKey, KeyScope
from portal.developer.rollup import SHANGHAI
from portal.models import Dataset
from portal.selectors import datasets_public

PERIOD_CHOICES = [("7", _("最近 7 天")), ("30", _("最近 30 天")), ("90", _("最近 90 天"))]

# Service messages (English) → page messages (Chinese msgids).
_MESSAGES = {
    "This field is required.": _("此项为必填项。"),
    "Control characters are not allowed.": _("不能包含控制字符。"),
    "You already have a key with this name.": _("已有同名的有效密钥，请换一个名称。"),
    "The expiry must be in the future.": _("有效期须晚于今天。"),
    "Choose at least one dataset.": _("请至少选择一个数据集。"),
    "The key is revoked.": _("该密钥已吊销，不能再修改。"),
    "Only an active key can be rotated.": _("只有有效的密钥可以轮换；已过期的密钥请先延长有效期。"),
}
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^At most (\d+) characters\.$"), lambda m: gettext("最多 %s 个字符。") % m[1]),
    (re.compile(r"^At most (\d+) datasets\.$"), lambda m: gettext("最多选择 %s 个数据集。") % m[1]),
    (
        re.compile(r"^At most (\d+) days from today\.$"),
        lambda m: gettext("有效期最长为 %s 天。") % m[1],
    ),
    (
        re.compile(r"^An expiry date is required \(at most (\d+) days\)\.$"),
        lambda m: gettext("请填写有效期（最长 %s 天）。") % m[1],
    ),
    (
        re.compile(r"^At most (\d+) live keys; revoke one first\.$"),
        lambda m: gettext("每个账号最多 %s 个有效密钥，请先吊销不用的密钥。") % m[1],
    ),
    (
        re.compile(r"^Unknown or unpublished datasets: (.*)\.$"),
        lambda m: gettext("以下数据集不存在或已下线：%s。") % m[1],
    ),
    (re.compile(r"^Must be one of: "), lambda m: gettext("请从列表中选择一项。")),
]


def translate_message(message: str) -> str:
    if message in _MESSAGES:
        return str(_MESSAGES[message])
    for pattern, render in _PATTERNS:
        match = pattern.match(message)
        if match:
            return render(match)
    return message


_FIELD_OF = {"expires_at": "expires_on"}


def apply_service_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    for key, messages in errors.items():
        name = _FIELD_OF.get(key, key)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, translate_message(message))


def expiry_from_date(day: dt.date | None) -> dt.datetime | None:
    """A key 'valid until' a date works through that whole local day."""
    if day is None:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + dt.timedelta(days=1)


def date_from_expiry(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return (moment.astimezone(SHANGHAI) - dt.timedelta(microseconds=1)).date()


def _future_day(day: dt.date | None) -> None:
    if day is not None and day < timezone.now().astimezone(SHANGHAI).date():
        raise forms.ValidationError(translate_message("The expiry must be in the future."))


def _expiry_field() -> forms.DateField:
    required = bool(settings.DEVELOPER_KEY_MAX_LIFETIME_DAYS)
    help_text = (
        _("密钥在该日 24 时失效。")
        if required
        else _("密钥在该日 24 时失效；留空表示长期有效（建议设置有效期）。")
    )
    return forms.DateField(
        label=_("有效期至"),
        required=required,
        help_text=help_text,
        validators=[_future_day],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class _ScopeFields(forms.Form):
    scope = forms.ChoiceField(
        label=_("适用范围"), choices=KeyScope.choices, widget=forms.RadioSelect, initial="all_open"
    )
    # Rendered by the template as a picker (chosen datasets + catalogue matches), not as a
    # list of the whole catalogue; any published dataset id is accepted here.
    datasets = forms.ModelMultipleChoiceField(
        label=_("数据集"), queryset=Dataset.objects.none(), required=False
    )
    q = forms.CharField(label=_("在目录中查找数据集"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["datasets"].queryset = datasets_public()

    def dataset_ids(self) -> list[int]:
        return [d.pk for d in self.cleaned_data.get("datasets") or []]

    def clean(self):
        # Repeats the service's rule so that the page shows it with the other field errors.
        data = super().clean()
        if (
            data.get("scope") == KeyScope.DATASETS
            and not data.get("datasets")
            and "datasets" not in self.errors
        ):
            self.add_error("datasets", translate_message("Choose at least one dataset."))
        return data


class KeyCreateForm(_ScopeFields):
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        help_text=_("用于区分不同的应用，例如“公交查询小程序”。"),
    )
    expires_on = _expiry_field()
    field_order = ["name", "expires_on", "scope", "datasets", "q"]

    @staticmethod
    def default_expiry() -> dt.date | None:
        days = settings.DEVELOPER_KEY_DEFAULT_LIFETIME_DAYS
        if settings.DEVELOPER_KEY_MAX_LIFETIME_DAYS:
            days = min(
                days or settings.DEVELOPER_KEY_MAX_LIFETIME_DAYS,
                settings.DEVELOPER_KEY_MAX_LIFETIME_DAYS,
            )
        if not days:
            return None
        return timezone.now().astimezone(SHANGHAI).date() + dt.timedelta(days=days)


class KeyScopeForm(_ScopeFields):
    pass


class KeyRenameForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)


class KeyExpiryForm(forms.Form):
    expires_on = _expiry_field()


class UsageFilterForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("统计期间"),
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=30,
        initial="30",
    )
    key = forms.ModelChoiceField(
        label=_("密钥"), queryset=ApiKey.objects.none(), required=False, empty_label=_("全部密钥")
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].queryset = ApiKey.objects.filter(user_id=user.pk).order_by(
            "revoked_at", "-created_at"
        )
        self.fields["key"].label_from_instance = lambda k: f"{k.name}（{k.prefix}）"


class HolderUsageFilterForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("统计期间"),
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=30,
        initial="30",
    )
    dataset = forms.ModelChoiceField(
        label=_("数据集"),
        queryset=Dataset.objects.none(),
        required=False,
        empty_label=_("全部数据集"),
    )

    def __init__(self, *args, datasets, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = datasets
        self.fields["dataset"].label_from_instance = lambda d: d.title
