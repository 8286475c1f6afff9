"""Drive one demo resource through the registry services to its target state.

Every step is a real service call with an explicit `now`, so events, deadlines, notices,
codes and versions are exactly what the platform would have produced on those days.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from registry import services
from registry.demo.documents import pdf_upload
from registry.demo.metadata import metadata
from registry.demo.spec import Spec
from registry.demo.timeline import Clock, Timeline
from registry.models import (
    AttachmentKind,
    Organisation,
    Registration,
    RegistrationStatus,
    RegistrationType,
)
from registry.workdays import local_date

S = RegistrationStatus


@dataclass
class Demo:
    timeline: Timeline
    orgs: dict[str, Organisation]
    users: dict[str, object]
    reviewers: dict[int, object]  # platform id -> the reviewer who acts there
    citizen: object
    province_names: dict[str, str] = field(default_factory=dict)

    @property
    def rng(self) -> random.Random:
        return self.timeline.rng

    def filer(self, spec: Spec):
        return self.users["agent" if spec.agent else spec.holder]


# --------------------------------------------------------------------------- attachments

DOCUMENT_TITLES = {
    AttachmentKind.DESCRIPTION: ("数据资源说明文档", "公共数据资源说明文档"),
    AttachmentKind.COMMITMENT: ("登记承诺书", "公共数据资源登记承诺书"),
    AttachmentKind.CONSENT: ("授权同意证明", "个人信息及商业秘密授权同意证明"),
    AttachmentKind.MANDATE: ("委托授权书", "公共数据资源登记委托授权书"),
}


def attach(demo: Demo, spec: Spec, reg: Registration, kind: str, clock: Clock) -> None:
    short, title = DOCUMENT_TITLES[kind]
    holder = demo.orgs[spec.holder]
    moment = clock.soon()
    upload = pdf_upload(
        f"{reg.name[:60]}-{short}.pdf",
        title,
        [
            f"数据名称：{reg.name}",
            f"数据持有单位：{holder.name}",
            f"统一社会信用代码：{holder.credit_code}",
            f"登记类型：{reg.get_registration_type_display()}",
            "本单位承诺所提交的登记材料真实、准确、完整，并对其合法性负责。",
            f"日期：{local_date(moment).isoformat()}",
            "（演示数据）",
        ],
    )
    services.attachment_add(
        actor=demo.filer(spec), registration=reg, kind=kind, upload=upload, now=moment
    )


def required_kinds(spec: Spec, registration_type: str) -> list[str]:
    kinds = [AttachmentKind.COMMITMENT]
    if registration_type == RegistrationType.INITIAL:
        kinds.insert(0, AttachmentKind.DESCRIPTION)
    if spec.sensitive_and_open and registration_type != RegistrationType.DEREGISTRATION:
        kinds.append(AttachmentKind.CONSENT)
    if spec.agent:
        kinds.append(AttachmentKind.MANDATE)
    return kinds


# --------------------------------------------------------------------------- steps


def file_initial(demo: Demo, spec: Spec, clock: Clock, *, complete: bool = True):
    actor = demo.filer(spec)
    reg = services.registration_create_initial(
        actor=actor,
        holder=demo.orgs[spec.holder],
        object_type=spec.object_type,
        data=metadata(demo, spec, filed_on=local_date(clock.t)),
        now=clock.t,
    )
    kinds = required_kinds(spec, RegistrationType.INITIAL)
    for kind in kinds if complete else kinds[:1]:
        attach(demo, spec, reg, kind, clock)
    return reg


def submit(demo: Demo, spec: Spec, reg: Registration, clock: Clock) -> Registration:
    return services.registration_submit(actor=demo.filer(spec), registration=reg, now=clock.soon())


def accept(demo: Demo, reg: Registration, clock: Clock, workdays: int = 1) -> Registration:
    return services.registration_accept(
        actor=demo.reviewers[reg.platform_id], registration=reg, now=clock.after(workdays)
    )


def approve(demo: Demo, reg: Registration, clock: Clock, workdays: int) -> Registration:
    return services.registration_approve_review(
        actor=demo.reviewers[reg.platform_id], registration=reg, now=clock.after(workdays)
    )


def close_notice(reg: Registration, clock: Clock) -> Registration:
    """What the scheduled job does a few minutes after the notice ends."""
    if reg.status != S.IN_NOTICE:
        return reg  # a type without public notice was coded on approval
    moment = clock.at(reg.notice_end + dt.timedelta(minutes=5))
    return services.registration_complete(registration=reg, now=moment)


def office_hours_on_or_after(demo: Demo, moment: dt.datetime) -> dt.datetime:
    """Office hours on the first working day at or after `moment`'s date."""
    day = local_date(moment)
    while not demo.timeline.is_workday(day):
        day += dt.timedelta(days=1)
    return demo.timeline.office_hours(day)
