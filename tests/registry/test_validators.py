"""统一社会信用代码 (GB 32100-2015) and the organisation service that relies on it."""

from __future__ import annotations

import pytest

from registry import services
from registry.errors import ValidationFailed
from registry.models import Organisation
from registry.validators import (
    credit_code_check_char,
    credit_code_problem,
    make_credit_code,
    normalise_credit_code,
)

VALID = "91350100M000100Y43"  # a published example code


def test_a_real_credit_code_is_valid():
    assert credit_code_problem(VALID) is None
    assert credit_code_check_char(VALID[:17]) == "3"


def test_a_wrong_check_character_is_refused_and_the_right_one_named():
    assert credit_code_problem(VALID[:17] + "4") == "Check character is wrong (expected 3)."


@pytest.mark.parametrize("code", [VALID[:17], VALID + "0", "", "9"])
def test_a_code_of_the_wrong_length_is_refused(code):
    assert credit_code_problem(code) == f"Must be 18 characters, got {len(code)}."


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_the_standard_never_uses_are_refused(letter):
    code = VALID[:9] + letter + VALID[10:]

    problem = credit_code_problem(code)

    assert problem is not None and problem.startswith(f"Characters not allowed: {letter}")


def test_the_region_part_must_be_six_digits():
    code = make_credit_code("91A50100M000100Y4")

    assert credit_code_problem(code) == "Characters 3-8 must be the 6-digit region code."


@pytest.mark.parametrize(
    "raw",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",
        "91350100m000100y43",
        " 9135 0100 M000 100Y43 ",
        "9135\u30000100M000100Y43",
    ],
)
def test_full_width_lower_case_and_spaced_input_is_normalised(raw):
    code = normalise_credit_code(raw)

    assert code == VALID
    assert credit_code_problem(code) is None


def test_made_codes_are_valid():
    for prefix in ("11440100MB0000001", "12330100MB0000002", "91110000X00000000"):
        assert credit_code_problem(make_credit_code(prefix)) is None


# --------------------------------------------------------------------------- organisations


def create(**overrides) -> Organisation:
    data = {
        "name": "福州市大数据发展管理委员会",
        "credit_code": VALID,
        "org_type": "data_authority",
        "region_code": "350100",
    }
    data.update(overrides)
    return services.organisation_create(**data)


def test_an_organisation_is_stored_with_the_normalised_code(db):
    org = create(credit_code="９１３５０１００ｍ０００１００ｙ４３", name="  福州市数据局 ")

    assert org.credit_code == VALID
    assert org.name == "福州市数据局"
    assert org.region_id == "350100"


@pytest.mark.parametrize(
    "duplicate", [VALID, VALID.lower(), "９１３５０１００Ｍ０００１００Ｙ４３"]
)
def test_a_duplicate_credit_code_is_refused_even_in_another_case_or_width(db, duplicate):
    create()

    with pytest.raises(ValidationFailed) as caught:
        create(credit_code=duplicate, name="另一个单位")

    assert caught.value.errors == {"credit_code": ["Already registered."]}
    assert Organisation.objects.filter(credit_code=VALID).count() == 1


@pytest.mark.parametrize("region", ["999999", "3501", "", "35０100x"])
def test_an_unknown_region_code_is_refused(db, region):
    with pytest.raises(ValidationFailed) as caught:
        create(region_code=region)

    assert caught.value.errors == {"region_code": ["Unknown region code."]}
    assert not Organisation.objects.filter(credit_code=VALID).exists()


def test_a_full_width_region_code_is_accepted(db):
    assert create(region_code="３５０１００").region_id == "350100"


def test_every_organisation_problem_is_reported_at_once(db):
    with pytest.raises(ValidationFailed) as caught:
        create(name=" ", credit_code=VALID[:17] + "0", org_type="club", region_code="000001")

    assert set(caught.value.errors) == {"name", "credit_code", "org_type", "region_code"}
    assert caught.value.errors["credit_code"] == ["Check character is wrong (expected 3)."]


def test_contact_details_are_checked_and_normalised(db):
    with pytest.raises(ValidationFailed) as caught:
        create(contact_phone="call me", contact_email="nobody", contact_name="名" * 101)
    org = create(contact_phone="０５９１－１２３４５６７８", contact_email="ＤＡＴＡ@fz.gov.cn")

    assert set(caught.value.errors) == {"contact_phone", "contact_email", "contact_name"}
    assert (org.contact_phone, org.contact_email) == ("0591-12345678", "DATA@fz.gov.cn")


def test_a_credit_code_that_is_not_text_is_refused(db):
    with pytest.raises(ValidationFailed) as caught:
        create(credit_code=913501001)

    assert list(caught.value.errors) == ["credit_code"]
