"""Personas and a ready world for authorised operation: an agency, two operators, a holder
with two loaded resources, a published scheme and an active agreement with consents."""

from __future__ import annotations

import datetime as dt

import pytest

from operations import services
from operations.models import Party, PartyKind, PartyMember
from tests.conftest import at, make_org, make_user
from tests.portal.datastore.conftest import load
from tests.portal.factories import make_dataset

NOW = at(2026, 6, 1)

PEOPLE = (
    "区,姓名,身份证号,金额\n"
    + "天河区,张三,440101199001011234,100\n" * 1
    + "".join(f"天河区,甲{i},44010119900101{i:04d},{i}\n" for i in range(11))
    + "".join(f"越秀区,乙{i},44010419900101{i:04d},{i}\n" for i in range(3))
    + "".join(f"白云区,丙{i},44011119900101{i:04d},{i}\n" for i in range(12))
).encode()
STOPS = ("站点,区,线路数\n天河客运站,天河区,12\n体育中心,天河区,8\n公园前,越秀区,15\n").encode()


def make_party(kind: str, name: str, *, verified: bool = True, region: str = "440100"):
    org = make_org(
        name, region=region, org_type="organ" if kind == PartyKind.AGENCY else "operator"
    )
    party = Party.objects.create(
        organisation=org,
        kind=kind,
        legal_representative="王五",
        authorised_contact="赵六",
        contact_phone="020-88886666",
        created_at=NOW,
        identity_verified_at=NOW if verified else None,
    )
    user = make_user()
    PartyMember.objects.create(party=party, user=user)
    return party, user


class Ops:
    def __init__(self, world) -> None:
        self.world = world
        self.agency, self.agency_user = make_party(PartyKind.AGENCY, "广州市政务服务和数据管理局")
        self.operator, self.operator_user = make_party(PartyKind.OPERATOR, "广州数据运营有限公司")
        self.other_operator, self.other_operator_user = make_party(
            PartyKind.OPERATOR, "另一运营公司"
        )
        self.people_ds = make_dataset(world, title="低保对象信息", open_category="conditional")
        self.stops_ds = make_dataset(world, title="公交站点")
        _, self.people_table = load(self.people_ds, PEOPLE)
        _, self.stops_table = load(self.stops_ds, STOPS)
        self.people = self.people_ds.resource
        self.stops = self.stops_ds.resource
        self.holder = world.holder

    def scheme(self, *, operators=None, codes=None):
        scheme = services.scheme_create(
            actor=self.agency_user,
            agency=self.agency,
            title="广州市公共数据授权运营实施方案",
            modes=["scenario", "domain"],
            domains=["民生"],
            registration_codes=codes or [self.people.code, self.stops.code],
            scenarios=["普惠金融", "交通出行"],
            now=NOW,
        )
        services.scheme_approve(
            actor=self.agency_user,
            scheme=scheme,
            approver="广州市人民政府",
            document_no="穗府函〔2026〕1号",
            approved_on=dt.date(2026, 5, 1),
            now=NOW,
        )
        services.scheme_publish_selection(
            actor=self.agency_user,
            scheme=scheme,
            procedure="public_tender",
            decided_on=dt.date(2026, 5, 20),
            result_summary="经公开招标，确定运营机构。",
            operator_ids=[p.pk for p in (operators or [self.operator, self.other_operator])],
            now=NOW,
        )
        scheme.refresh_from_db()
        return scheme

    def agreement(
        self, *, scheme=None, operator=None, start=dt.date(2026, 6, 1), end=dt.date(2029, 5, 31)
    ):
        scheme = scheme or self.scheme()
        agreement = services.agreement_create(
            actor=self.agency_user,
            scheme=scheme,
            operator=operator or self.operator,
            title="授权运营协议",
            registration_codes=[self.people.code, self.stops.code],
            scenario_ids=list(scheme.scenarios.values_list("pk", flat=True)),
            start_date=start,
            end_date=end,
            signed_on=start,
            security_duties="安全责任",
            charging_terms="保密：收费条款",
            reporting_duties="年度报告",
            exit_plan="退出方案",
            public_summary="公开摘要",
            now=NOW,
        )
        for resource in (self.people, self.stops):
            services.consent_record(
                actor=self.agency_user,
                agreement=agreement,
                registration_code=resource.code,
                consented_on=dt.date(2026, 5, 25),
                document_no="同意函1号",
                now=NOW,
            )
        return agreement

    def apply(
        self,
        agreement,
        mode: str,
        columns: list[str],
        *,
        predicate=None,
        k=5,
        purpose="public_welfare",
    ):
        return services.application_submit(
            actor=self.operator_user,
            operator=agreement.operator,
            agreement=agreement,
            scenario_id=agreement.scenarios.first().pk,
            purpose_class=purpose,
            purpose="信贷风控",
            security_measures="专区内处理",
            items=[
                {
                    "registration_code": self.people.code,
                    "mode": mode,
                    "columns": columns,
                    "row_predicate": predicate,
                    "min_group_size": k,
                }
            ],
            now=NOW,
        )

    def licence(self, mode: str, *, agreement=None, columns=None, predicate=None, k=5, **quota):
        agreement = agreement or self.agreement()
        application = self.apply(
            agreement,
            mode,
            columns or ["区", "金额", "身份证号"],
            predicate=predicate,
            k=k,
            purpose="industry_development",
        )
        services.application_holder_review(
            actor=self.holder, application=application, decision="approved", now=NOW
        )
        (licence,) = services.application_agency_review(
            actor=self.agency_user,
            application=application,
            decision="approved",
            daily_quota=quota.get("daily_quota"),
            total_quota=quota.get("total_quota"),
            now=NOW,
        )
        return licence


@pytest.fixture
def ops(world) -> Ops:
    return Ops(world)
