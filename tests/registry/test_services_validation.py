"""Metadata rules of DOMAIN.md §2, checked by `check_metadata` (every problem at once) and
through the filing services."""

from __future__ import annotations

import datetime as dt

import pytest

from registry import services
from registry.errors import ValidationFailed
from tests.conftest import at, metadata

RESOURCE = "resource"


def errors_for(object_type: str = RESOURCE, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        services.check_metadata(metadata(**overrides), object_type=object_type)
    return caught.value.errors


def clean(object_type: str = RESOURCE, **overrides) -> dict:
    return services.check_metadata(metadata(**overrides), object_type=object_type)


def test_the_example_metadata_is_valid(db):
    out = clean()

    assert out["name"] == "广州市公共交通线路站点数据"
    assert out["formats"] == ["CSV", "API"]
    assert out["general_sublevel"] is None


# --------------------------------------------------------------------------- grading and opening


@pytest.mark.parametrize("grade", ["core", "important"])
def test_core_and_important_data_are_never_unconditional(db, grade):
    errors = errors_for(security_grade=grade, open_category="unconditional")

    assert list(errors) == ["open_category"]


@pytest.mark.parametrize("grade", ["core", "important"])
def test_core_and_important_data_may_be_conditional_or_not_open(db, grade):
    assert clean(security_grade=grade, open_category="conditional")["security_grade"] == grade
    assert clean(security_grade=grade, open_category="not_open")["open_category"] == "not_open"


@pytest.mark.parametrize("flag", ["contains_personal_info", "contains_trade_secret"])
@pytest.mark.parametrize("category", ["unconditional", "conditional"])
def test_sensitive_data_needs_recorded_consent_and_a_note_before_opening(db, flag, category):
    errors = errors_for(**{flag: True, "open_category": category})

    assert set(errors) == {"consent_recorded", "consent_note"}
    ok = clean(
        **{flag: True, "open_category": category},
        consent_recorded=True,
        consent_note="已取得数据主体书面授权",
    )
    assert ok["consent_recorded"] is True


def test_sensitive_data_that_is_not_open_needs_no_consent(db):
    out = clean(contains_personal_info=True, open_category="not_open")

    assert out["contains_personal_info"] is True


def test_not_open_data_cannot_be_in_authorised_operation_scope(db):
    errors = errors_for(open_category="not_open", in_operation_scope=True)

    assert list(errors) == ["in_operation_scope"]
    assert clean(open_category="conditional", in_operation_scope=True)["in_operation_scope"]


def test_an_open_data_resource_cannot_be_not_open(db):
    errors = errors_for(object_type="open_resource", open_category="not_open")

    assert list(errors) == ["open_category"]


@pytest.mark.parametrize(
    ("grade", "sublevel", "ok"),
    [
        ("general", 1, True),
        ("general", 4, True),
        ("general", 0, False),
        ("general", 5, False),
        ("general", "2", False),
        ("general", True, False),
        ("important", 2, False),
        ("core", 1, False),
    ],
)
def test_a_sublevel_is_1_to_4_and_only_for_general_data(db, grade, sublevel, ok):
    open_category = "conditional" if grade != "general" else "unconditional"
    data = {"security_grade": grade, "general_sublevel": sublevel, "open_category": open_category}
    if ok:
        assert clean(**data)["general_sublevel"] == sublevel
    else:
        assert list(errors_for(**data)) == ["general_sublevel"]


# --------------------------------------------------------------------------- shapes and references


def test_a_period_that_ends_before_it_starts_is_refused(db):
    errors = errors_for(period_start="2026-05-01", period_end="2026-04-30")

    assert errors == {"period_end": ["The end of the period is before its start."]}
    out = clean(period_start="2020-01-01", period_end=dt.date(2025, 12, 31))
    assert out["period_start"] == dt.date(2020, 1, 1)


def test_a_datetime_for_a_period_bound_is_taken_as_its_date(db):
    out = clean(period_start=dt.datetime(2020, 1, 1, 8, 30), period_end="2020-12-31")

    assert out["period_start"] == dt.date(2020, 1, 1)
    assert type(out["period_start"]) is dt.date


def test_a_malformed_date_is_refused(db):
    assert list(errors_for(period_start="2026-02-30")) == ["period_start"]


def test_unknown_region_codes_are_refused_and_listed(db):
    errors = errors_for(coverage_regions=["440100", "999999", "44010"])

    assert errors == {"coverage_regions": ["Unknown region codes: 999999, 44010."]}


@pytest.mark.parametrize("value", ["440100", ["440100", 4401], {"code": "440100"}])
def test_coverage_regions_must_be_a_list_of_codes(db, value):
    if value == "440100":
        assert list(errors_for(coverage_regions=value)) == ["coverage_regions"]
    else:
        assert "coverage_regions" in errors_for(coverage_regions=value)


def test_duplicate_and_typeless_data_items_are_refused(db):
    errors = errors_for(
        data_items=[
            {"name": "编号", "type": "code"},
            {"name": "编号", "type": "string"},
            {"name": "ＩＤ", "type": "string"},
            {"name": "id", "type": "string"},
            {"name": "名称"},
            {"name": "  ", "type": "string"},
            {"name": "备注", "type": "string", "colour": "red"},
            "a bare string",
        ]
    )

    assert errors["data_items[1].name"] == ["Duplicate data item name '编号'."]
    assert "data_items[3].name" in errors  # id duplicates the full-width ＩＤ
    assert "data_items[4].type" in errors
    assert errors["data_items[5].name"] == ["This field is required."]
    assert errors["data_items[6]"] == ["Unknown keys: colour."]
    assert "data_items[7]" in errors
    assert "data_items[0].name" not in errors


def test_too_many_data_items_are_refused(db):
    items = [{"name": f"字段{i}", "type": "string"} for i in range(services.MAX_DATA_ITEMS + 1)]

    assert errors_for(data_items=items) == {"data_items": ["At most 1000 data items."]}


def test_unknown_formats_and_enum_values_are_refused(db):
    errors = errors_for(
        formats=["CSV", "EXE"],
        industry="Z",
        update_frequency="hourly",
        security_grade="secret",
        open_category="maybe",
    )

    assert set(errors) == {
        "formats",
        "industry",
        "update_frequency",
        "security_grade",
        "open_category",
    }


def test_unknown_fields_are_refused_so_state_cannot_be_mass_assigned(db):
    errors = errors_for(status="approved", code="44000012026000001", holder=1)

    assert set(errors) == {"status", "code", "holder"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("record_count", -1),
        ("record_count", True),
        ("byte_size", "100"),
        ("byte_size", 2**63),
        ("consent_recorded", "yes"),
        ("in_operation_scope", 1),
        ("name", ["not", "text"]),
        ("contact_email", "not-an-email"),
        ("contact_phone", "call me"),
    ],
)
def test_wrong_types_and_malformed_values_are_refused(db, field, value):
    assert field in errors_for(**{field: value})


@pytest.mark.parametrize(("field", "limit"), [("name", 200), ("summary", 4000), ("domain", 100)])
def test_oversized_text_is_refused(db, field, limit):
    assert errors_for(**{field: "数" * (limit + 1)}) == {field: [f"At most {limit} characters."]}


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize("blank", ["", "   ", "\u3000\u3000", "\x00", " \x00 \t\n"])
def test_whitespace_only_and_nul_only_required_text_is_missing(db, blank):
    errors = errors_for(name=blank, summary=blank)

    assert errors == {"name": ["This field is required."], "summary": ["This field is required."]}


def test_nul_characters_are_removed_and_text_is_trimmed(db):
    out = clean(name="  广州市\x00公交数据\u3000", summary="摘要\x00")

    assert out["name"] == "广州市公交数据"
    assert out["summary"] == "摘要"


def test_full_width_codes_are_normalised_but_chinese_punctuation_is_kept(db):
    out = clean(
        formats=["ｃｓｖ", "ＪＳＯＮ", "CSV"],
        coverage_regions=["４４０１００", "440100"],
        industry="Ｇ",
        open_category="ｕｎｃｏｎｄｉｔｉｏｎａｌ",
        contact_phone="０２０－１２３４５６７８",
        data_items=[{"name": "线路编号", "type": "ＣＯＤＥ"}],
        summary="线路、站点（含首末班时间）。",
    )

    assert out["formats"] == ["CSV", "JSON"]
    assert out["coverage_regions"] == ["440100"]
    assert out["industry"] == "G"
    assert out["open_category"] == "unconditional"
    assert out["contact_phone"] == "020-12345678"
    assert out["data_items"] == [{"name": "线路编号", "type": "code", "description": ""}]
    assert out["summary"] == "线路、站点（含首末班时间）。"


def test_every_problem_is_reported_at_once(db):
    errors = errors_for(
        name="",
        industry="Z",
        security_grade="core",
        open_category="unconditional",
        period_start="2026-02-01",
        period_end="2026-01-01",
        coverage_regions=["123456"],
    )

    assert set(errors) == {"name", "industry", "open_category", "period_end", "coverage_regions"}


# --------------------------------------------------------------------------- through the services


def test_creating_with_invalid_metadata_writes_nothing(world):
    from registry.models import Registration, Resource

    before = (Resource.objects.count(), Registration.objects.count())

    with pytest.raises(ValidationFailed):
        world.draft(security_grade="important", open_category="unconditional")

    assert (Resource.objects.count(), Registration.objects.count()) == before


def test_an_update_is_validated_against_the_merged_metadata(world):
    reg = world.draft(security_grade="important", open_category="conditional")

    with pytest.raises(ValidationFailed) as caught:
        services.registration_update(
            actor=world.holder,
            registration=reg,
            data={"open_category": "unconditional"},
            now=at(2026, 3, 2),
        )

    assert list(caught.value.errors) == ["open_category"]
    reg.refresh_from_db()
    assert reg.open_category == "conditional"
