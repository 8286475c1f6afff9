"""GB/T 2260 regions and the registration platforms, loaded by a re-runnable command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from registry.models import Platform, PlatformLevel, Region, RegionLevel

SPECIAL = {"810000": "香港特别行政区", "820000": "澳门特别行政区", "710000": "台湾省"}


def counts() -> tuple[int, ...]:
    return (
        Region.objects.count(),
        Region.objects.filter(level=RegionLevel.PROVINCE).count(),
        Region.objects.filter(level=RegionLevel.CITY).count(),
        Region.objects.filter(level=RegionLevel.COUNTY).count(),
        Platform.objects.count(),
    )


def test_reloading_the_regions_is_idempotent(db):
    before = counts()
    out = StringIO()

    call_command("load_regions", stdout=out)

    assert counts() == before
    assert "provinces: 34" in out.getvalue()
    assert before[3] > 2800  # every county-level division of the reference data


def test_there_are_34_provincial_level_divisions_under_the_nationwide_region(db):
    provinces = Region.objects.filter(level=RegionLevel.PROVINCE)

    assert provinces.count() == 34
    assert set(provinces.values_list("parent_id", flat=True)) == {"000000"}
    for code, name in SPECIAL.items():
        assert provinces.get(code=code).name == name
    assert provinces.get(code="440000").name == "广东省"
    nationwide = Region.objects.get(code="000000")
    assert nationwide.level == RegionLevel.NATIONAL and nationwide.is_national


def test_a_county_links_to_its_city_and_province(db):
    tianhe = Region.objects.select_related("parent__parent__parent").get(code="440106")

    assert tianhe.name == "天河区" and tianhe.level == RegionLevel.COUNTY
    assert (tianhe.parent.code, tianhe.parent.level) == ("440100", RegionLevel.CITY)
    assert (tianhe.parent.parent.code, tianhe.parent.parent.level) == (
        "440000",
        RegionLevel.PROVINCE,
    )
    assert tianhe.parent.parent.parent.code == "000000"
    assert tianhe.province_code == tianhe.parent.province_code == "440000"


def test_every_level_links_to_the_level_above_in_the_same_province(db):
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    cities = Region.objects.filter(level=RegionLevel.CITY)

    assert not counties.exclude(parent__level=RegionLevel.CITY).exists()
    assert not cities.exclude(parent__level=RegionLevel.PROVINCE).exists()
    assert not counties.exclude(province_code=F("parent__province_code")).exists()
    assert not cities.exclude(province_code=F("parent_id")).exists()
    assert not Region.objects.exclude(code__regex=r"^\d{6}$").exists()


def test_there_is_one_national_platform_and_one_per_province(db):
    national = Platform.objects.get(level=PlatformLevel.NATIONAL)
    provincial = Platform.objects.filter(level=PlatformLevel.PROVINCIAL)

    assert national.region_id == "000000" and national.is_live
    assert provincial.count() == 34
    assert set(provincial.values_list("region_id", flat=True)) == set(
        Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", flat=True)
    )
    assert Platform.objects.get(code="44").region_id == "440000"


def test_hong_kong_macao_and_taiwan_platforms_are_not_live(db):
    not_live = set(Platform.objects.filter(is_live=False).values_list("region_id", flat=True))

    assert not_live == set(SPECIAL)


def test_reloading_keeps_an_administrators_live_flag(db):
    Platform.objects.filter(code="33").update(is_live=False)

    call_command("load_regions", verbosity=0)

    assert Platform.objects.get(code="33").is_live is False


def test_a_missing_reference_file_is_a_clear_error(db, tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n", encoding="utf-8")

    with pytest.raises(CommandError, match="cities.csv is missing"):
        call_command("load_regions", dir=str(tmp_path))


@pytest.mark.parametrize(("code", "province"), [("441900", "440000"), ("460400", "460000")])
def test_a_city_without_counties_stays_a_city_under_its_province(db, code, province):
    # 东莞市 and 儋州市 appear in the county table with their own city code.
    city = Region.objects.get(code=code)

    assert city.level == RegionLevel.CITY
    assert city.parent_id == province
    assert not city.children.exists()
