"""Filing through the API: create, read, edit; scoping by role; mass assignment; bad input.
Every refusal is a problem+json document naming the field, and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from registry.models import Registration, RegistrationEvent, RegistrationStatus, Resource
from tests.conftest import make_user, metadata

API = "/api/v1/registry/"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


def post_json(client, path: str, data) -> object:
    return client.post(API + path, data, content_type="application/json")


def initial_body(world, **overrides) -> dict:
    body = {"holder": world.holder_org.pk, "object_type": "resource", **metadata()}
    body.update(overrides)
    return body


def counts() -> tuple[int, int, int]:
    return Registration.objects.count(), Resource.objects.count(), RegistrationEvent.objects.count()


# --------------------------------------------------------------------------- create


def test_holder_files_an_initial_registration_as_a_draft(client, world):
    client.force_login(world.holder)

    response = post_json(client, "registrations/", initial_body(world, reason="首次登记"))

    assert response.status_code == 201, response.content
    body = response.json()
    reg = Registration.objects.get(pk=body["id"])
    assert reg.status == RegistrationStatus.DRAFT
    assert reg.applicant == world.holder
    assert reg.platform == world.gd
    assert body["status"] == "draft"
    assert body["holder"] == {"id": world.holder_org.pk, "name": "广州市交通运输局"}
    assert body["platform"]["code"] == "44"
    assert body["record_code"] is None
    assert body["data_items"][0]["name"] == "线路编号"
    assert body["allowed_actions"] == ["update", "attach", "submit", "withdraw"]


def test_filing_for_an_organisation_the_user_does_not_staff_is_refused(client, world):
    client.force_login(world.holder)
    before = counts()

    response = post_json(
        client, "registrations/", initial_body(world, holder=world.other_holder_org.pk)
    )

    body = problem(response, 400)
    assert "holder" in body["errors"]
    assert counts() == before


def test_initial_filing_needs_holder_and_object_type(client, world):
    client.force_login(world.holder)

    response = post_json(client, "registrations/", metadata())

    body = problem(response, 400)
    assert set(body["errors"]) >= {"holder", "object_type"}


def test_holder_files_a_change_of_a_coded_record(client, world):
    record = world.coded().resource
    record.refresh_from_db()
    client.force_login(world.holder)

    response = post_json(
        client,
        "registrations/",
        {
            "registration_type": "change",
            "record_code": record.code,
            "reason": "新增线路",
            "summary": "全市公交线路、站点位置、首末班时间及票价。",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registration_type"] == "change"
    assert body["record_code"] == record.code
    assert body["summary"] == "全市公交线路、站点位置、首末班时间及票价。"
    assert body["name"] == "广州市公共交通线路站点数据"  # carried over from the record


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"registration_type": "change", "reason": "x"}, "record_code"),
        ({"registration_type": "change", "record_code": "NOPE"}, "reason"),
        (
            {"registration_type": "deregistration", "record_code": "NOPE", "reason": "x"},
            "record_code",
        ),
        (
            {"registration_type": "change", "record_code": "X", "reason": "x", "holder": 1},
            "holder",
        ),
    ],
)
def test_follow_up_filings_need_a_known_record_and_a_reason(client, world, body, field):
    client.force_login(world.holder)
    before = counts()

    response = post_json(client, "registrations/", body)

    assert field in problem(response, 400)["errors"]
    assert counts() == before


def test_other_holder_cannot_file_a_change_of_someone_elses_record(client, world):
    record = world.coded().resource
    record.refresh_from_db()
    client.force_login(world.other_holder)
    before = counts()

    response = post_json(
        client,
        "registrations/",
        {"registration_type": "deregistration", "record_code": record.code, "reason": "x"},
    )

    problem(response, 404)
    assert counts() == before


def test_anonymous_cannot_file_or_list_registrations(client, world):
    before = counts()

    problem(post_json(client, "registrations/", initial_body(world)), 403)
    problem(client.get(API + "registrations/"), 403)
    assert counts() == before


# --------------------------------------------------------------------------- scoping


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_holder_lists_own_filings_and_other_holder_sees_none_of_them(client, world):
    mine = world.draft()
    theirs = world.draft(user=world.other_holder, holder=world.other_holder_org)

    client.force_login(world.holder)
    assert ids(client.get(API + "registrations/")) == {mine.pk}
    client.force_login(world.other_holder)
    assert ids(client.get(API + "registrations/")) == {theirs.pk}
    problem(client.get(API + f"registrations/{mine.pk}/"), 404)
    problem(client.get(API + f"registrations/{mine.pk}/events/"), 404)


def test_citizen_sees_no_registrations(client, world):
    world.submitted()
    client.force_login(world.citizen)

    assert ids(client.get(API + "registrations/")) == set()


def test_zhejiang_reviewer_gets_404_on_a_guangdong_application(client, world):
    reg = world.submitted()
    client.force_login(world.zj_reviewer)

    problem(client.get(API + f"registrations/{reg.pk}/"), 404)
    assert ids(client.get(API + "registrations/")) == set()


@pytest.mark.parametrize("persona", ["zj_reviewer", "other_holder", "citizen"])
def test_list_filters_cannot_widen_scope(client, world, persona):
    world.submitted()
    client.force_login(getattr(world, persona))

    for query in (
        f"platform={world.gd.pk}",
        f"holder={world.holder_org.pk}",
        "status=submitted",
        f"platform={world.gd.pk}&holder={world.holder_org.pk}&status=submitted",
    ):
        assert ids(client.get(API + f"registrations/?{query}")) == set(), query


def test_reviewer_queue_narrows_by_status_and_type(client, world):
    submitted = world.submitted()
    under_review = world.under_review()
    world.draft()  # drafts are never in a review queue
    client.force_login(world.reviewer)

    assert ids(client.get(API + "registrations/")) == {submitted.pk, under_review.pk}
    assert ids(client.get(API + "registrations/?status=submitted")) == {submitted.pk}
    assert ids(client.get(API + "registrations/?registration_type=change")) == set()
    assert ids(client.get(API + "registrations/?ordering=deadline")) == {
        submitted.pk,
        under_review.pk,
    }


@pytest.mark.parametrize("query", ["status=nonsense", "platform=abc", "ordering=name"])
def test_invalid_list_filters_are_a_400(client, world, query):
    client.force_login(world.reviewer)

    body = problem(client.get(API + f"registrations/?{query}"), 400)

    assert query.split("=")[0] in body["errors"]


def test_national_reviewer_sees_every_application(client, world):
    gd = world.submitted()
    zj = world.submitted(user=world.other_holder, holder=world.other_holder_org)
    client.force_login(world.national_reviewer)

    assert ids(client.get(API + "registrations/")) == {gd.pk, zj.pk}
    assert client.get(API + f"registrations/{zj.pk}/").status_code == 200


def test_reviewer_sees_no_actions_on_an_application_they_may_not_decide(client, world):
    reg = world.submitted()

    client.force_login(world.national_reviewer)
    assert client.get(API + f"registrations/{reg.pk}/").json()["allowed_actions"] == []
    client.force_login(world.reviewer)
    assert client.get(API + f"registrations/{reg.pk}/").json()["allowed_actions"] == [
        "accept",
        "require_supplement",
        "not_accept",
    ]
    client.force_login(world.holder)
    assert client.get(API + f"registrations/{reg.pk}/").json()["allowed_actions"] == ["withdraw"]


# --------------------------------------------------------------------------- mass assignment


READ_ONLY_ON_CREATE = [
    {"status": "approved"},
    {"applicant": 1},
    {"platform": 1},
    {"code": "44000012026999999"},
    {"resource": 1},
    {"agent_organisation": 1},
    {"mandate": 1},
    {"submitted_at": "2026-01-01T00:00:00Z"},
    {"acceptance_deadline": "2030-01-01T00:00:00Z"},
    {"notice_end": "2026-01-01T00:00:00Z"},
    {"decided_at": "2026-01-01T00:00:00Z"},
    {"decision_reason": "ok"},
    {"supplement_items": []},
    {"allowed_actions": ["complete"]},
    {"id": 999},
]


@pytest.mark.parametrize("extra", READ_ONLY_ON_CREATE, ids=lambda d: next(iter(d)))
def test_read_only_fields_on_create_are_refused_and_nothing_is_written(client, world, extra):
    client.force_login(world.holder)
    before = counts()

    response = post_json(client, "registrations/", initial_body(world, **extra))

    body = problem(response, 400)
    field = next(iter(extra))
    assert body["errors"][field] == ["This field is read-only."]
    assert counts() == before


def test_every_read_only_field_is_named_at_once(client, world):
    client.force_login(world.holder)

    response = post_json(
        client,
        "registrations/",
        initial_body(world, status="approved", platform=world.zj.pk, applicant=world.reviewer.pk),
    )

    assert set(problem(response, 400)["errors"]) == {"status", "platform", "applicant"}


def test_unknown_fields_are_refused(client, world):
    client.force_login(world.holder)
    before = counts()

    response = post_json(client, "registrations/", initial_body(world, is_admin=True))

    assert problem(response, 400)["errors"] == {"is_admin": ["Unknown field."]}
    assert counts() == before


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "approved"},
        {"applicant": 1},
        {"platform": 1},
        {"holder": 1},
        {"object_type": "product"},
        {"registration_type": "deregistration"},
        {"code": "X"},
        {"resource": 1},
        {"review_deadline": "2030-01-01T00:00:00Z"},
    ],
    ids=lambda d: next(iter(d)),
)
def test_read_only_fields_on_patch_are_refused_and_nothing_changes(client, world, extra):
    reg = world.draft()
    client.force_login(world.holder)
    events = RegistrationEvent.objects.count()

    response = client.patch(
        API + f"registrations/{reg.pk}/",
        {"name": "改过的名称", **extra},
        content_type="application/json",
    )

    body = problem(response, 400)
    assert body["errors"][next(iter(extra))] == ["This field is read-only."]
    reg.refresh_from_db()
    assert reg.name == "广州市公共交通线路站点数据"
    assert reg.status == RegistrationStatus.DRAFT
    assert reg.platform == world.gd
    assert RegistrationEvent.objects.count() == events


# --------------------------------------------------------------------------- edit


def test_holder_edits_metadata_and_reason_of_a_draft(client, world):
    reg = world.draft()
    client.force_login(world.holder)

    response = client.patch(
        API + f"registrations/{reg.pk}/",
        {"name": "广州市公交站点数据", "record_count": 12000, "reason": "补充数据量"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    reg.refresh_from_db()
    assert (reg.name, reg.record_count, reg.reason) == ("广州市公交站点数据", 12000, "补充数据量")
    assert reg.events.filter(action="update").exists()


def test_editing_a_submitted_application_is_a_409(client, world):
    reg = world.submitted()
    client.force_login(world.holder)

    response = client.patch(
        API + f"registrations/{reg.pk}/", {"name": "新名称"}, content_type="application/json"
    )

    body = problem(response, 409)
    assert body["current_state"] == "submitted"
    assert "accept" in body["allowed_actions"]
    reg.refresh_from_db()
    assert reg.name == "广州市公共交通线路站点数据"


def test_other_holder_cannot_edit_and_learns_nothing(client, world):
    reg = world.draft()
    client.force_login(world.other_holder)

    problem(
        client.patch(
            API + f"registrations/{reg.pk}/", {"name": "x"}, content_type="application/json"
        ),
        404,
    )
    reg.refresh_from_db()
    assert reg.name == "广州市公共交通线路站点数据"


def test_patch_with_invalid_metadata_changes_nothing(client, world):
    reg = world.draft()
    client.force_login(world.holder)

    response = client.patch(
        API + f"registrations/{reg.pk}/",
        {"name": "新名称", "security_grade": "core"},  # core data stays unconditional: refused
        content_type="application/json",
    )

    assert "open_category" in problem(response, 400)["errors"]
    reg.refresh_from_db()
    assert (reg.name, reg.security_grade) == ("广州市公共交通线路站点数据", "general")


# --------------------------------------------------------------------------- bad input


BAD_INPUT = [
    ("name_too_long", {"name": "数" * 201}, "name"),
    ("summary_too_long", {"summary": "x" * 4001}, "summary"),
    ("name_blank", {"name": "   "}, "name"),
    ("name_missing", {"name": None}, "name"),
    (
        "too_many_data_items",
        {"data_items": [{"name": f"f{i}", "type": "string"} for i in range(2000)]},
        "data_items",
    ),
    ("data_items_a_string", {"data_items": "线路编号,站点名称"}, "data_items"),
    ("data_item_bad_type", {"data_items": [{"name": "a", "type": "blob"}]}, "data_items"),
    (
        "data_item_extra_key",
        {"data_items": [{"name": "a", "type": "string", "x": 1}]},
        "data_items",
    ),
    ("record_count_text", {"record_count": "abc"}, "record_count"),
    ("record_count_negative", {"record_count": -1}, "record_count"),
    ("byte_size_huge", {"byte_size": 2**70}, "byte_size"),
    ("boolean_as_string", {"contains_personal_info": "true"}, "contains_personal_info"),
    ("boolean_as_number", {"in_operation_scope": 1}, "in_operation_scope"),
    ("unknown_region", {"coverage_regions": ["440100", "999999"]}, "coverage_regions"),
    ("region_not_a_list", {"coverage_regions": "440100"}, "coverage_regions"),
    (
        "period_out_of_order",
        {"period_start": "2025-12-31", "period_end": "2025-01-01"},
        "period_end",
    ),
    ("period_not_a_date", {"period_start": "yesterday"}, "period_start"),
    (
        "important_unconditional",
        {"security_grade": "important", "open_category": "unconditional"},
        "open_category",
    ),
    ("core_unconditional", {"security_grade": "core"}, "open_category"),
    (
        "personal_info_without_consent",
        {"contains_personal_info": True, "open_category": "conditional"},
        "consent_recorded",
    ),
    (
        "trade_secret_without_consent",
        {"contains_trade_secret": True},
        "consent_recorded",
    ),
    (
        "not_open_in_operation_scope",
        {"open_category": "not_open", "in_operation_scope": True},
        "in_operation_scope",
    ),
    ("unknown_object_type", {"object_type": "spaceship"}, "object_type"),
    ("unknown_industry", {"industry": "Z"}, "industry"),
    ("unknown_format", {"formats": ["EXE"]}, "formats"),
    ("bad_phone", {"contact_phone": "call me"}, "contact_phone"),
    ("bad_email", {"contact_email": "not-an-email"}, "contact_email"),
    ("sublevel_out_of_range", {"general_sublevel": 9}, "general_sublevel"),
    (
        "sublevel_on_important",
        {"security_grade": "important", "open_category": "conditional", "general_sublevel": 2},
        "general_sublevel",
    ),
    ("holder_not_a_number", {"holder": "广州"}, "holder"),
]


@pytest.mark.parametrize(
    ("overrides", "field"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_is_a_400_naming_the_field_and_creates_nothing(client, world, overrides, field):
    client.force_login(world.holder)
    body = initial_body(world, **overrides)
    body = {k: v for k, v in body.items() if v is not None}
    before = counts()

    response = post_json(client, "registrations/", body)

    errors = problem(response, 400)["errors"]
    assert any(key == field or key.startswith(field + ".") for key in errors), errors
    assert counts() == before


@pytest.mark.parametrize("raw", ['{"name": "x",', "not json at all", "[1, 2, 3]", '"a string"'])
def test_a_malformed_body_is_a_400_problem_and_creates_nothing(client, world, raw):
    client.force_login(world.holder)
    before = counts()

    response = client.post(API + "registrations/", raw, content_type="application/json")

    problem(response, 400)
    assert counts() == before


def test_form_encoded_bodies_are_not_accepted_for_registrations(client, world):
    client.force_login(world.holder)
    before = counts()

    response = client.post(API + "registrations/", {"holder": world.holder_org.pk})

    problem(response, 415)
    assert counts() == before


# --------------------------------------------------------------------------- events


def test_event_log_lists_every_transition_with_its_actor(client, world):
    reg = world.under_review()
    client.force_login(world.holder)

    response = client.get(API + f"registrations/{reg.pk}/events/")

    assert response.status_code == 200
    rows = response.json()
    assert [row["action"] for row in rows] == ["create", "attach", "attach", "submit", "accept"]
    assert rows[-1]["actor"] == "gd_reviewer"
    assert (rows[-1]["from_status"], rows[-1]["to_status"]) == ("submitted", "under_review")


def test_agent_with_a_valid_mandate_files_for_the_principal(client, world):
    from registry.models import AgentMandate
    from tests.conftest import make_org

    agency = make_org("广东某代理公司", org_type="agent")
    agent = make_user(agent=agency)
    today = timezone.localdate()
    AgentMandate.objects.create(
        agent=agency,
        principal=world.holder_org,
        valid_from=today - dt.timedelta(days=365),
        valid_until=today + dt.timedelta(days=365),
    )
    client.force_login(agent)

    response = post_json(client, "registrations/", initial_body(world))

    assert response.status_code == 201, response.content
    assert response.json()["agent_organisation"] == {"id": agency.pk, "name": "广东某代理公司"}
    client.force_login(world.holder)
    assert ids(client.get(API + "registrations/")) == {response.json()["id"]}


def test_the_api_writes_exactly_the_model_metadata_fields():
    from registry.apis.common import MetadataInputSerializer
    from registry.models import METADATA_FIELDS

    assert set(MetadataInputSerializer().fields) == set(METADATA_FIELDS)
