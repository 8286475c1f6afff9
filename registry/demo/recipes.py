"""One recipe per target state: when the filing started (in working days before today) and
which services acted on it since. Deadlines therefore fall naturally around today: an
"overdue" application was submitted long enough ago that its deadline has passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings

from registry import services
from registry.demo.flows import (
    Demo,
    accept,
    approve,
    attach,
    close_notice,
    file_initial,
    office_hours_on_or_after,
    required_kinds,
    submit,
)
from registry.demo.spec import Spec
from registry.demo.timeline import Clock
from registry.models import (
    Registration,
    RegistrationStatus,
    RegistrationType,
    Resource,
)

DEFAULT_REASONS = {
    "not_accepted": "该数据不属于公共数据资源登记范围，不予受理。",
    "returned": "数据项描述过于简略，未说明字段口径及计量单位，请修改后重新提交。",
    "rejected": "申请材料中的数据来源说明与实际不符，形式审核不通过。",
    "withdrawn": "数据资源整合调整，暂缓登记。",
    "deregistration": "原业务系统已停用，数据资源不再更新，申请注销登记。",
}


def note(spec: Spec, index: int, default: str) -> str:
    return spec.notes[index] if len(spec.notes) > index else default


def _filed(demo: Demo, spec: Spec, start: dt.datetime) -> tuple[Registration, Clock]:
    clock = demo.timeline.clock(start)
    reg = file_initial(demo, spec, clock)
    return submit(demo, spec, reg, clock), clock


# --------------------------------------------------------------------------- open states


def draft(demo: Demo, spec: Spec) -> Registration:
    clock = demo.timeline.clock(demo.timeline.workdays_ago(demo.rng.randint(1, 4)))
    # Only the description document so far: submitting shows what is still missing.
    return file_initial(demo, spec, clock, complete=False)


def submitted(demo: Demo, spec: Spec, *, overdue: bool = False) -> Registration:
    start = demo.timeline.workdays_ago(6) if overdue else demo.timeline.recently()
    return _filed(demo, spec, start)[0]


def supplement(demo: Demo, spec: Spec) -> Registration:
    """一次性告知: one notice listing every missing item."""
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(7))
    items = [dict(zip(("field", "message"), n.split("|", 1), strict=True)) for n in spec.notes]
    return services.registration_require_supplement(
        actor=demo.reviewers[reg.platform_id], registration=reg, items=items, now=clock.after(2)
    )


def under_review(demo: Demo, spec: Spec, *, overdue: bool = False) -> Registration:
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(16 if overdue else 4))
    return accept(demo, reg, clock)


def returned(demo: Demo, spec: Spec) -> Registration:
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(12))
    reg = accept(demo, reg, clock)
    return services.registration_return(
        actor=demo.reviewers[reg.platform_id],
        registration=reg,
        reason=note(spec, 0, DEFAULT_REASONS["returned"]),
        now=clock.after(3),
    )


def in_notice(demo: Demo, spec: Spec, *, variant: str = "") -> Registration:
    starts = {"": demo.rng.randint(5, 9), "objection": 8, "dismissed": 10, "ended": 16}
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(starts[variant]))
    reg = accept(demo, reg, clock)
    reg = approve(demo, reg, clock, 1 if variant == "objection" else 2)
    if variant in ("objection", "dismissed"):
        objection = _object(demo, spec, reg, clock, 3 if variant == "objection" else 2)
        if variant == "dismissed":
            services.objection_dismiss(
                actor=demo.reviewers[reg.platform_id],
                objection=objection,
                reason=note(spec, 1, "经核实，异议所述情况不属实，异议不成立。"),
                now=clock.after(2),
            )
    # "ended": the notice is over but nobody closed it; the scheduled job codes it.
    return reg


def _object(demo: Demo, spec: Spec, reg: Registration, clock: Clock, workdays: int):
    return services.objection_file(
        actor=demo.citizen,
        registration=reg,
        reason=note(spec, 0, "公示内容与实际情况不符。"),
        contact="zhang.xiaoming@example.com",
        now=clock.after(workdays),
    )


# --------------------------------------------------------------------------- closed states


def not_accepted(demo: Demo, spec: Spec) -> Registration:
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(20))
    return services.registration_not_accept(
        actor=demo.reviewers[reg.platform_id],
        registration=reg,
        reason=note(spec, 0, DEFAULT_REASONS["not_accepted"]),
        now=clock.after(2),
    )


def rejected(demo: Demo, spec: Spec) -> Registration:
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(30))
    reg = accept(demo, reg, clock)
    return services.registration_reject(
        actor=demo.reviewers[reg.platform_id],
        registration=reg,
        reason=note(spec, 0, DEFAULT_REASONS["rejected"]),
        now=clock.after(4),
    )


def withdrawn(demo: Demo, spec: Spec) -> Registration:
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(15))
    return services.registration_withdraw(
        actor=demo.filer(spec),
        registration=reg,
        reason=note(spec, 0, DEFAULT_REASONS["withdrawn"]),
        now=clock.after(1),
    )


def returned_by_objection(demo: Demo, spec: Spec) -> Registration:
    """An objection upheld during the notice sends the application back for correction."""
    reg, clock = _filed(demo, spec, demo.timeline.workdays_ago(14))
    reg = approve(demo, accept(demo, reg, clock), clock, 2)
    objection = _object(demo, spec, reg, clock, 3)
    services.objection_uphold(
        actor=demo.reviewers[reg.platform_id],
        objection=objection,
        reason=note(spec, 1, "经核实，异议成立，退回申请单位修改。"),
        outcome=RegistrationStatus.RETURNED,
        now=clock.after(2),
    )
    reg.refresh_from_db()
    return reg


# --------------------------------------------------------------------------- coded records


def coded(demo: Demo, spec: Spec, start: dt.datetime) -> tuple[Registration, Clock]:
    reg, clock = _filed(demo, spec, start)
    reg = accept(demo, reg, clock, demo.rng.randint(1, 2))
    reg = close_notice(approve(demo, reg, clock, demo.rng.randint(2, 5)), clock)
    return reg, clock


def followup(demo: Demo, spec: Spec, record: Resource, kind: str, clock: Clock, *, stop=""):
    """A change, correction or deregistration of a coded record, completed unless `stop`
    names the state to leave it in ("review" or "notice")."""
    data, reason = _followup_data(demo, spec, record, kind)
    reg = services.registration_create_followup(
        actor=demo.filer(spec),
        resource=record,
        registration_type=kind,
        data=data,
        reason=reason,
        now=clock.t,
    )
    for attachment_kind in required_kinds(spec, kind):
        attach(demo, spec, reg, attachment_kind, clock)
    # Open follow-ups started a few working days ago: fixed steps keep them in the past.
    reg = submit(demo, spec, reg, clock)
    reg = accept(demo, reg, clock, 1 if stop else demo.rng.randint(1, 2))
    if stop != "review":
        reg = approve(demo, reg, clock, 2 if stop else demo.rng.randint(2, 4))
        if stop != "notice":
            reg = close_notice(reg, clock)
    return reg


def _followup_data(demo: Demo, spec: Spec, record: Resource, kind: str):
    version = record.current_version
    if kind == RegistrationType.DEREGISTRATION:
        return None, note(spec, 0, DEFAULT_REASONS["deregistration"])
    if kind == RegistrationType.CORRECTION:
        phone = version.contact_phone[:-4] + f"{demo.rng.randrange(10_000):04d}"
        size = (version.byte_size or 0) // 3 + 1
        data = {"contact_phone": phone, "byte_size": size}
        return data, "更正联系电话及数据量（字节）的填报错误。"
    names = {item["name"] for item in version.data_items}
    extra = next(
        item
        for item in (
            {"name": "数据更新时间", "type": "datetime", "description": "记录最后一次更新的时间"},
            {"name": "数据来源系统", "type": "string", "description": "产生该记录的业务系统"},
        )
        if item["name"] not in names
    )
    count = int((version.record_count or 1000) * 1.15)
    return (
        {"data_items": [*version.data_items, extra], "record_count": count},
        f"新增数据项“{extra['name']}”，并根据业务系统扩容更新数据量。",
    )


RECIPES: dict[str, Callable[[Demo, Spec], Registration]] = {
    "draft": draft,
    "submitted": submitted,
    "submitted:overdue": lambda d, s: submitted(d, s, overdue=True),
    "supplement": supplement,
    "not_accepted": not_accepted,
    "under_review": under_review,
    "under_review:overdue": lambda d, s: under_review(d, s, overdue=True),
    "returned": returned,
    "returned:objection": returned_by_objection,
    "rejected": rejected,
    "withdrawn": withdrawn,
    "notice": in_notice,
    "notice:objection": lambda d, s: in_notice(d, s, variant="objection"),
    "notice:dismissed": lambda d, s: in_notice(d, s, variant="dismissed"),
    "notice:ended": lambda d, s: in_notice(d, s, variant="ended"),
}


def run(demo: Demo, spec: Spec) -> None:
    head, *later = spec.state.split("+")
    if head in RECIPES:
        RECIPES[head](demo, spec)
        return
    reg, clock = coded(demo, spec, _coded_start(demo, head, later))
    record = Resource.objects.get(pk=reg.resource_id)
    closed = [step for step in later if ":" not in step]
    if closed:
        # Spread completed follow-ups between the coding and six weeks ago.
        span = demo.timeline.now - dt.timedelta(days=42) - clock.t
        for kind in closed:
            clock.at(office_hours_on_or_after(demo, clock.t + span / (len(closed) + 1) * 0.9))
            followup(demo, spec, record, kind, clock)
            record.refresh_from_db()
    for step in later:
        if ":" in step:
            kind, stop = step.split(":")
            clock.at(demo.timeline.workdays_ago(6 if stop == "notice" else 3))
            followup(demo, spec, record, kind, clock, stop=stop)


def _coded_start(demo: Demo, head: str, later: list[str]) -> dt.datetime:
    years = settings.REGISTRY_VALIDITY_YEARS
    today = demo.timeline.today
    if head == "expired":
        day = _years_before(today, years) - dt.timedelta(days=60)
    elif head == "expiring":
        # Coded about 18 days after filing, so valid until about half the warning window
        # from today.
        warning = settings.REGISTRY_EXPIRING_WARNING_DAYS
        day = _years_before(today, years) + dt.timedelta(days=warning // 2 - 18)
    else:
        low = 420 if later else 40
        day = today - dt.timedelta(days=demo.rng.randint(low, 760))
    return demo.timeline.days_ago((today - day).days)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
