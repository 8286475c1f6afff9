"""Authorised-operation demo: two agencies, three operators, schemes in each mode, agreements
in every state, licences of each mode with access-log history, applications under review.
Built through the services. Idempotent: a second run does nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from operations import services
from operations.demo.tables import numeric_columns, pick, text_columns
from operations.licensing import licensed_query
from operations.models import AccessChannel, Agreement, Party, PartyKind, PartyMember, Scheme
from registry.demo.organisations import DEMO_PASSWORD
from registry.errors import IllegalTransition, PermissionDenied
from registry.models import Organisation, Region
from registry.validators import make_credit_code

ADVISORY_LOCK_KEY = 60_06_2026
AGENCIES = [
    ("gz_agency", "广州市政务服务和数据管理局", "440100", "11440100MB2026601"),
    ("zj_agency", "浙江省大数据发展管理局", "330000", "11330000MB2026602"),
]
OPERATORS = [
    ("gz_datagroup", "广州数据集团有限公司", "440100", None),
    ("hz_dataops", "杭州城市大脑数据运营有限公司", "330100", None),
    ("gd_dataops", "广东数字政府运营中心有限公司", "440000", "91440000MA2026603"),
]


class DemoMissing(Exception):
    pass


@dataclass
class World:
    now: dt.datetime
    agencies: dict[str, tuple[Party, object]]
    operators: dict[str, tuple[Party, object]]


def is_loaded() -> bool:
    return Party.objects.filter(
        organisation__credit_code=make_credit_code(AGENCIES[0][3]), kind=PartyKind.AGENCY
    ).exists()


def _user(username: str, name: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, first_name=name[:150]
        )
    return user


def _party(
    key: str, name: str, region: str, code: str | None, kind: str, now
) -> tuple[Party, object]:
    if code is None:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            raise DemoMissing(
                f"{name} is missing: load the registry demo first (manage.py load_demo)."
            )
    else:
        organisation, _ = Organisation.objects.get_or_create(
            credit_code=make_credit_code(code),
            defaults={
                "name": name,
                "org_type": "organ" if kind == PartyKind.AGENCY else "operator",
                "region": Region.objects.get(code=region),
            },
        )
    party, _ = Party.objects.get_or_create(
        organisation=organisation,
        kind=kind,
        defaults={
            "legal_representative": "张明",
            "authorised_contact": "李华",
            "contact_phone": "020-83331234",
            "created_at": now,
        },
    )
    user = _user(key, name)
    PartyMember.objects.get_or_create(party=party, user=user)
    return party, user


def load(*, now: dt.datetime) -> bool:
    gd = pick("440000", 3)
    zj = pick("330000", 2)
    if len(gd) < 3 or len(zj) < 2:
        raise DemoMissing(
            "Not enough portal demo datasets with tables: run load_portal_demo first."
        )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        if is_loaded():
            return False
        world = World(now, {}, {})
        for key, name, region, code in AGENCIES:
            world.agencies[key] = _party(key, name, region, code, PartyKind.AGENCY, now)
        for key, name, region, code in OPERATORS:
            world.operators[key] = _party(key, name, region, code, PartyKind.OPERATOR, now)
        _verify(world)
        _guangzhou(world, gd)
        _zhejiang(world, zj)
    return True


def _verify(world: World) -> None:
    agency, agency_user = world.agencies["gz_agency"]
    for party, _ in world.operators.values():
        services.party_verify(
            actor=agency_user,
            party=party,
            method="credit_code",
            result="passed",
            note="国家企业信用信息公示系统核验一致",
            now=world.now,
        )
        services.party_commitment_record(
            actor=agency_user,
            party=party,
            commitment="严格遵守数据安全法律法规，原始数据不出域。",
            signed_by="法定代表人",
            signed_on=world.now.date(),
            now=world.now,
        )
    for party, _ in world.agencies.values():
        party.identity_verified_at = world.now
        party.save(update_fields=["identity_verified_at"])


def _scheme(
    world, agency_key, title, modes, datasets, scenarios, operators, *, domains=None, publish=True
) -> Scheme:
    agency, user = world.agencies[agency_key]
    scheme = services.scheme_create(
        actor=user,
        agency=agency,
        title=title,
        modes=modes,
        domains=domains or [],
        registration_codes=[d.resource.code for d, _ in datasets],
        scenarios=scenarios,
        description="依据公共数据授权运营管理办法编制。",
        now=world.now,
    )
    if not publish:
        return scheme
    day = (world.now - dt.timedelta(days=400)).date()
    services.scheme_approve(
        actor=user,
        scheme=scheme,
        approver="人民政府",
        document_no=f"府函〔{day.year}〕{scheme.pk}号",
        approved_on=day,
        now=world.now,
    )
    services.scheme_publish_selection(
        actor=user,
        scheme=scheme,
        procedure="public_tender",
        decided_on=day + dt.timedelta(days=30),
        result_summary="经公开招标、专家评审，确定以下运营机构。",
        operator_ids=[world.operators[k][0].pk for k in operators],
        now=world.now,
    )
    scheme.refresh_from_db()
    return scheme


def _agreement(world, scheme, operator_key, title, datasets, *, start, years=3) -> Agreement:
    agency, user = world.agencies[
        [k for k, (p, _) in world.agencies.items() if p.pk == scheme.agency_id][0]
    ]
    end = start.replace(year=start.year + years) - dt.timedelta(days=1)
    agreement = services.agreement_create(
        actor=user,
        scheme=scheme,
        operator=world.operators[operator_key][0],
        title=title,
        registration_codes=[d.resource.code for d, _ in datasets],
        scenario_ids=list(scheme.scenarios.values_list("pk", flat=True)),
        start_date=start,
        end_date=end,
        signed_on=start,
        public_summary="授权运营方在运营专区内开发数据产品，原始数据不出域。",
        security_duties="落实网络安全等级保护三级要求；数据分类分级管理；日志留存不少于六个月。",
        charging_terms="公共治理、公益事业免费；产业、行业发展按政府指导价收费。",
        reporting_duties="每年3月31日前报送上一年度运营报告。",
        exit_plan="协议终止后30日内删除或返还数据，移交数据产品并注销产品登记。",
        now=world.now,
    )
    for dataset, _ in datasets:
        if dataset.resource.holder_id != agency.organisation_id:
            services.consent_record(
                actor=user,
                agreement=agreement,
                registration_code=dataset.resource.code,
                consented_on=start - dt.timedelta(days=10),
                document_no="数据共享同意函",
                now=world.now,
            )
    return agreement


def _move(world, agreement, *actions) -> None:
    user = next(u for p, u in world.agencies.values() if p.pk == agreement.agency_id)
    for action in actions:
        if action in ("data_disposed", "products_handed_over", "registrations_cancelled"):
            services.agreement_record_exit_step(
                actor=user, agreement=agreement, step=action, now=world.now
            )
        else:
            services.agreement_transition(
                actor=user,
                agreement=agreement,
                action=action,
                reason="演示：依协议约定办理",
                now=world.now,
            )


def _apply(world, agreement, operator_key, items, purpose_class, *, decide=True, agency_key=None):
    operator, user = world.operators[operator_key]
    application = services.application_submit(
        actor=user,
        operator=operator,
        agreement=agreement,
        scenario_id=agreement.scenarios.first().pk,
        purpose_class=purpose_class,
        purpose="用于场景内的数据产品开发。",
        security_measures="在运营专区内处理；结果经审核后输出；人员签署保密承诺。",
        items=items,
        now=world.now,
    )
    if decide:
        holder_users = (
            get_user_model()
            .objects.filter(
                registry_roles__role="holder_staff",
                registry_roles__organisation__in=application.items.values("resource__holder"),
            )
            .distinct()
        )
        for holder_user in holder_users:
            if application.status == "holder_review":
                try:
                    application = services.application_holder_review(
                        actor=holder_user,
                        application=application,
                        decision="approved",
                        now=world.now,
                    )
                except (PermissionDenied, IllegalTransition):  # nothing pending for this one
                    continue
    if decide is True and agency_key:
        _, agency_user = world.agencies[agency_key]
        return services.application_agency_review(
            actor=agency_user,
            application=application,
            decision="approved",
            daily_quota=500,
            now=world.now,
        )
    return application


def _items(dataset, table, mode, k=5):
    texts, numbers = text_columns(table), numeric_columns(table)
    ids = [c["id"] for c in table.columns]
    if mode == "aggregates_only":
        columns = texts[:2] + numbers[:2]
    elif mode == "verification_only":
        columns = list(dict.fromkeys(texts[:1] + ids))[:2]
    else:
        columns = ids[: min(5, len(ids) - 1)]
    return {
        "registration_code": dataset.resource.code,
        "mode": mode,
        "columns": columns,
        "min_group_size": k,
    }


def _guangzhou(world, gd) -> None:
    whole = _scheme(
        world,
        "gz_agency",
        "广州市公共数据整体授权运营实施方案",
        ["whole"],
        gd,
        ["城市治理", "普惠金融"],
        ["gz_datagroup", "gd_dataops"],
    )
    domain = _scheme(
        world,
        "gz_agency",
        "广州市交通领域公共数据授权运营实施方案",
        ["domain", "scenario"],
        gd[:2],
        ["智慧出行"],
        ["gd_dataops"],
        domains=["交通运输"],
    )
    start = (world.now - dt.timedelta(days=180)).date()
    active = _agreement(world, whole, "gz_datagroup", "广州市公共数据授权运营协议", gd, start=start)
    licences = _apply(
        world,
        active,
        "gz_datagroup",
        [
            _items(d, t, m)
            for (d, t), m in zip(
                gd, ["aggregates_only", "in_domain_rows", "verification_only"], strict=True
            )
        ],
        "industry_development",
        agency_key="gz_agency",
    )
    _usage(world, licences)
    _apply(
        world,
        active,
        "gz_datagroup",
        [_items(gd[0][0], gd[0][1], "aggregates_only", k=10)],
        "public_welfare",
        decide="holder_only",
    )
    suspended = _agreement(
        world, domain, "gd_dataops", "广州市交通领域数据授权运营协议", gd[:2], start=start
    )
    _apply(
        world,
        suspended,
        "gd_dataops",
        [_items(gd[0][0], gd[0][1], "aggregates_only")],
        "sector_development",
        agency_key="gz_agency",
    )
    _move(world, suspended, "suspend")
    terminated = _agreement(
        world,
        domain,
        "gd_dataops",
        "广州市交通数据（一期）授权运营协议",
        gd[:1],
        start=start - dt.timedelta(days=365),
    )
    _apply(
        world,
        terminated,
        "gd_dataops",
        [_items(gd[0][0], gd[0][1], "in_domain_rows")],
        "industry_development",
        agency_key="gz_agency",
    )
    _move(world, terminated, "terminate")


def _zhejiang(world, zj) -> None:
    scenario = _scheme(
        world,
        "zj_agency",
        "浙江省公共数据依场景授权运营实施方案",
        ["scenario"],
        zj,
        ["企业信用核验", "民生服务"],
        ["hz_dataops", "gz_datagroup", "gd_dataops"],
    )
    _scheme(
        world,
        "zj_agency",
        "浙江省医疗健康数据授权运营实施方案（征求意见稿）",
        ["scenario", "domain"],
        zj[:1],
        ["商业健康保险"],
        [],
        domains=["卫生健康"],
        publish=False,
    )
    start = (world.now - dt.timedelta(days=90)).date()
    active = _agreement(
        world, scenario, "hz_dataops", "浙江省公共数据依场景授权运营协议", zj, start=start
    )
    licences = _apply(
        world,
        active,
        "hz_dataops",
        [
            _items(zj[0][0], zj[0][1], "verification_only"),
            _items(zj[1][0], zj[1][1], "aggregates_only"),
        ],
        "public_governance",
        agency_key="zj_agency",
    )
    _usage(world, licences)
    _, agency_user = world.agencies["zj_agency"]
    services.licence_transition(
        actor=agency_user,
        licence=licences[0],
        action="suspend",
        reason="演示：安全检查期间暂停",
        now=world.now,
    )
    _apply(
        world,
        active,
        "hz_dataops",
        [_items(zj[1][0], zj[1][1], "in_domain_rows")],
        "industry_development",
        decide=False,
    )
    old = (world.now - dt.timedelta(days=5 * 365 + 30)).date()
    expired = _agreement(
        world,
        scenario,
        "gd_dataops",
        "浙江省公共数据授权运营协议（2021—2025）",
        zj[:1],
        start=old,
        years=5,
    )
    _move(world, expired, "expire")
    exiting = _agreement(
        world,
        scenario,
        "gz_datagroup",
        "浙江省民生服务数据授权运营协议",
        zj[1:],
        start=old + dt.timedelta(days=30),
        years=5,
    )
    _move(world, exiting, "expire", "begin_exit", "data_disposed")
    closed = _agreement(
        world, scenario, "hz_dataops", "浙江省公共数据授权运营试点协议", zj[:1], start=old, years=4
    )
    _move(
        world,
        closed,
        "expire",
        "begin_exit",
        "data_disposed",
        "products_handed_over",
        "registrations_cancelled",
        "close",
    )


def _usage(world, licences) -> None:
    for licence in licences:
        _, user = world.operators[
            next(k for k, (p, _) in world.operators.items() if p.pk == licence.operator_id)
        ]
        columns = licence.allowed_columns
        if licence.mode == "aggregates_only":
            params = {"group_by": [columns[0]]}
        elif licence.mode == "verification_only":
            params = {"filters": {columns[0]: "演示核验值"}}
        else:
            params = {"fields": columns, "limit": 20}
        for channel in (AccessChannel.API, AccessChannel.CONSOLE):
            licensed_query(
                licence=licence, user=user, params=params, channel=channel, now=world.now
            )


def summary() -> str:
    from operations.models import AccessLog, Licence

    return (
        f"{Party.objects.filter(kind=PartyKind.AGENCY).count()} agencies, "
        f"{Party.objects.filter(kind=PartyKind.OPERATOR).count()} operators, "
        f"{Scheme.objects.count()} schemes, {Agreement.objects.count()} agreements, "
        f"{Licence.objects.count()} licences, {AccessLog.objects.count()} access-log rows"
    )
