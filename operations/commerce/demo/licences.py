"""The authorisation the commerce demo builds on: part 1's licences when its demo left
suitable ones (an operator with aggregates-only, verification-only and in-domain licences),
otherwise an agency, a scheme, an agreement and three licences over 广东省市场主体登记信息,
made through part 1's services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile

from operations import services as ops
from operations.models import Licence, LicenceMode, LicenceStatus, Party, PartyKind, PartyMember
from portal.datastore.models import DatastoreTable, IngestJob, IngestStatus
from portal.datastore.services import ingest_run
from portal.models import Dataset
from registry.demo.organisations import DEMO_PASSWORD
from registry.models import Organisation, RoleAssignment
from registry.services import organisation_create
from registry.validators import make_credit_code

MODES = (LicenceMode.AGGREGATES_ONLY, LicenceMode.VERIFICATION_ONLY, LicenceMode.IN_DOMAIN_ROWS)
DATASET = "广东省市场主体登记信息"
AGENCY_NAME = "广东省政务服务和数据管理局"
AGENCY_USER = "gd_data_agency"
OPERATOR_USER = "gz_datagroup"
COLUMNS = ["统一社会信用代码", "主体类型", "注册资本", "登记机关", "登记状态", "主体名称"]


@dataclass
class Authorisation:
    agency: Party
    agency_user: object
    operator: Party
    operator_user: object
    licences: dict[str, Licence]


def user(username: str):
    account, created = get_user_model().objects.get_or_create(
        username=username, defaults={"password": make_password(DEMO_PASSWORD)}
    )
    return account


def existing() -> Authorisation | None:
    """Part 1's demo: an operator holding active licences of every mode, with members."""
    for operator in Party.objects.filter(
        kind=PartyKind.OPERATOR, identity_verified_at__isnull=False
    ):
        found = {}
        for mode in MODES:
            candidates = operator.licences.filter(
                mode=mode, status=LicenceStatus.ACTIVE, resource__dataset__title=DATASET
            ).select_related("agreement__agency")
            licence = next((x for x in candidates if set(COLUMNS) <= set(x.allowed_columns)), None)
            if (
                licence
                and DatastoreTable.objects.filter(
                    distribution__dataset__resource_id=licence.resource_id
                ).exists()
            ):
                found[mode] = licence
        member = operator.members.select_related("user").first()
        if len(found) == len(MODES) and member:
            agency = found[LicenceMode.AGGREGATES_ONLY].agreement.agency
            agency_member = agency.members.select_related("user").first()
            if agency_member:
                return Authorisation(agency, agency_member.user, operator, member.user, found)
    return None


def ensure_table(dataset: Dataset) -> None:
    """Load the dataset's first tabular file now if the worker has not yet."""
    if DatastoreTable.objects.filter(distribution__dataset=dataset).exists():
        return
    for job in IngestJob.objects.filter(
        version__distribution__dataset=dataset, status=IngestStatus.QUEUED
    ).order_by("id"):
        ingest_run(job_id=job.pk, clock=lambda: dt.datetime.now(dt.UTC))
        if DatastoreTable.objects.filter(distribution__dataset=dataset).exists():
            return


def _party(org: Organisation, kind: str, admin, now) -> Party:
    party = Party.objects.filter(organisation=org, kind=kind).first()
    if party is None:
        party = ops.party_register(
            actor=admin,
            credit_code=org.credit_code,
            kind=kind,
            legal_representative="陈建国",
            authorised_contact="林晓峰",
            contact_phone="020-83133000",
            now=now,
        )
    if not party.is_verified:
        ops.party_verify(actor=admin, party=party, method="credit_code", result="passed", now=now)
        party.refresh_from_db()
    return party


def build(*, admin, start: dt.date, now: dt.datetime) -> Authorisation:
    """An agency, a scheme and an agreement from `start`, and three licences."""
    found = existing()
    if found:
        return found
    dataset = Dataset.objects.select_related("resource").get(title=DATASET)
    ensure_table(dataset)
    agency_org = Organisation.objects.filter(name=AGENCY_NAME).first() or organisation_create(
        name=AGENCY_NAME,
        credit_code=make_credit_code("11440000MB2026001"),
        org_type="organ",
        region_code="440000",
        contact_name="林晓峰",
        contact_phone="020-83133000",
    )
    agency = _party(agency_org, PartyKind.AGENCY, admin, now)
    agency_user = user(AGENCY_USER)
    PartyMember.objects.get_or_create(party=agency, user=agency_user)
    operator_user = user(OPERATOR_USER)
    operator_org = (
        RoleAssignment.objects.filter(user=operator_user, organisation__org_type="operator")
        .first()
        .organisation
    )
    operator = _party(operator_org, PartyKind.OPERATOR, admin, now)
    PartyMember.objects.get_or_create(party=operator, user=operator_user)
    code = dataset.resource.code
    scheme = ops.scheme_create(
        actor=agency_user,
        agency=agency,
        title="广东省市场主体登记数据授权运营实施方案",
        modes=["scenario"],
        domains=["营商环境"],
        registration_codes=[code],
        scenarios=["普惠金融信贷风控", "企业信用服务"],
        now=now,
    )
    ops.scheme_approve(
        actor=agency_user,
        scheme=scheme,
        approver="广东省人民政府",
        document_no=f"粤府函〔{start.year}〕18号",
        approved_on=start,
        now=now,
    )
    ops.scheme_publish_selection(
        actor=agency_user,
        scheme=scheme,
        procedure="public_tender",
        decided_on=start,
        result_summary="经公开招标，确定广州数据集团有限公司为运营机构。",
        operator_ids=[operator.pk],
        now=now,
    )
    scheme.refresh_from_db()
    agreement = ops.agreement_create(
        actor=agency_user,
        scheme=scheme,
        operator=operator,
        title="市场主体登记数据授权运营协议",
        registration_codes=[code],
        scenario_ids=list(scheme.scenarios.values_list("pk", flat=True)),
        start_date=start,
        end_date=start.replace(year=start.year + 4),
        signed_on=start,
        security_duties="数据在运营平台专区内加工，原始数据不出域。",
        charging_terms="按核定上限价格收费。",
        reporting_duties="每年3月31日前报送年度运营报告。",
        exit_plan="协议终止后30日内删除数据、移交产品。",
        public_summary="授权运营市场主体登记数据，服务普惠金融和企业信用。",
        now=now,
    )
    ops.consent_record(
        actor=agency_user,
        agreement=agreement,
        registration_code=code,
        consented_on=start,
        document_no=f"粤市监函〔{start.year}〕7号",
        now=now,
    )
    holder_user = (
        RoleAssignment.objects.filter(organisation=dataset.resource.holder, role="holder_staff")
        .first()
        .user
    )
    licences = {}
    for mode in MODES:
        application = ops.application_submit(
            actor=operator_user,
            operator=operator,
            agreement=agreement,
            scenario_id=agreement.scenarios.first().pk,
            purpose_class="industry_development",
            purpose="面向金融机构提供企业登记统计与核验服务",
            security_measures="专区内处理，结果审计",
            items=[
                {
                    "registration_code": code,
                    "mode": mode,
                    "columns": COLUMNS,
                    "row_predicate": None,
                    "min_group_size": 5,
                }
            ],
            now=now,
        )
        ops.application_holder_review(
            actor=holder_user, application=application, decision="approved", now=now
        )
        (licences[mode],) = ops.application_agency_review(
            actor=agency_user, application=application, decision="approved", now=now
        )
    return Authorisation(agency, agency_user, operator, operator_user, licences)


def evidence(name: str) -> ContentFile:
    return ContentFile(
        b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name=name
    )
