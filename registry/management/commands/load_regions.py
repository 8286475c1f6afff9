"""Load GB/T 2260 divisions from the shared reference data. Re-runnable: upserts by code."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registry.models import NATIONAL_REGION_CODE, Platform, PlatformLevel, Region, RegionLevel

DEFAULT_DIR = settings.BASE_DIR / "registry" / "data" / "regions"
# Special administrative regions and Taiwan, whose cities the NBS table does not list.
EXTRA_PROVINCES = {"81": "香港特别行政区", "82": "澳门特别行政区", "71": "台湾省"}


class Command(BaseCommand):
    help = "Load (or refresh) GB/T 2260 regions and the registration platforms."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(DEFAULT_DIR))
        parser.add_argument("--no-platforms", action="store_true")

    def handle(self, *args, **options):
        folder = Path(options["dir"])
        for name in ("provinces.csv", "cities.csv", "areas.csv"):
            if not (folder / name).exists():
                raise CommandError(f"{folder / name} is missing")
        with transaction.atomic():
            counts = load_regions(folder)
            if not options["no_platforms"]:
                counts["platforms"] = ensure_platforms()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}: {v}" for k, v in counts.items())))


def _upsert(rows: list[Region]) -> None:
    """One INSERT … ON CONFLICT per batch instead of a query per row (about 3,400 rows)."""
    Region.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "parent", "province_code"],
    )


def load_regions(folder: Path) -> dict[str, int]:
    rows = [
        Region(
            code=NATIONAL_REGION_CODE,
            name="全国",
            level=RegionLevel.NATIONAL,
            parent_id=None,
            province_code=NATIONAL_REGION_CODE,
        )
    ]
    counts = {"provinces": 0, "cities": 0, "counties": 0}
    provinces: dict[str, str] = {}
    with open(folder / "provinces.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            provinces[row["code"]] = row["name"]
    for code2, name in EXTRA_PROVINCES.items():
        provinces.setdefault(code2, name)
    for code2, name in provinces.items():
        code = code2.ljust(6, "0")
        rows.append(
            Region(
                code=code,
                name=name,
                level=RegionLevel.PROVINCE,
                parent_id=NATIONAL_REGION_CODE,
                province_code=code,
            )
        )
        counts["provinces"] += 1
    with open(folder / "cities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            province = row["provinceCode"].ljust(6, "0")
            rows.append(
                Region(
                    code=row["code"].ljust(6, "0"),
                    name=row["name"],
                    level=RegionLevel.CITY,
                    parent_id=province,
                    province_code=province,
                )
            )
            counts["cities"] += 1
    with open(folder / "areas.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            province = row["provinceCode"].ljust(6, "0")
            city = row["cityCode"].ljust(6, "0")
            if row["code"] == city:
                # A prefecture-level city without counties (东莞市, 中山市, 儋州市) is listed
                # again as its own "area": it stays a city, never its own parent.
                continue
            rows.append(
                Region(
                    code=row["code"],
                    name=row["name"],
                    level=RegionLevel.COUNTY,
                    parent_id=city,
                    province_code=province,
                )
            )
            counts["counties"] += 1
    # HK-MO-TW.json lists district names without GB/T 2260 codes, so only the three
    # provincial-level codes (810000, 820000, 710000) are loaded.
    _upsert(rows)
    return counts


def ensure_platforms() -> int:
    Platform.objects.update_or_create(
        level=PlatformLevel.NATIONAL,
        defaults={
            "code": "national",
            "name": "国家公共数据资源登记平台",
            "region_id": NATIONAL_REGION_CODE,
            "is_live": True,
        },
    )
    count = 1
    for region in Region.objects.filter(level=RegionLevel.PROVINCE):
        Platform.objects.get_or_create(
            region=region,
            defaults={
                "code": region.code[:2],
                "level": PlatformLevel.PROVINCIAL,
                "name": f"{region.name}公共数据资源登记平台",
                "is_live": region.code[:2] not in {"71", "81", "82"},
            },
        )
        count += 1
    return count
