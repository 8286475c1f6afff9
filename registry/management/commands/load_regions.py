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


def _upsert(code: str, name: str, level: str, parent: str | None, province: str) -> None:
    Region.objects.update_or_create(
        code=code,
        defaults={"name": name, "level": level, "parent_id": parent, "province_code": province},
    )


def load_regions(folder: Path) -> dict[str, int]:
    _upsert(NATIONAL_REGION_CODE, "全国", RegionLevel.NATIONAL, None, NATIONAL_REGION_CODE)
    counts = {"provinces": 0, "cities": 0, "counties": 0}
    provinces: dict[str, str] = {}
    with open(folder / "provinces.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            provinces[row["code"]] = row["name"]
    for code2, name in EXTRA_PROVINCES.items():
        provinces.setdefault(code2, name)
    for code2, name in provinces.items():
        code = code2.ljust(6, "0")
        _upsert(code, name, RegionLevel.PROVINCE, NATIONAL_REGION_CODE, code)
        counts["provinces"] += 1
    with open(folder / "cities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            province = row["provinceCode"].ljust(6, "0")
            _upsert(row["code"].ljust(6, "0"), row["name"], RegionLevel.CITY, province, province)
            counts["cities"] += 1
    with open(folder / "areas.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            province = row["provinceCode"].ljust(6, "0")
            city = row["cityCode"].ljust(6, "0")
            _upsert(row["code"], row["name"], RegionLevel.COUNTY, city, province)
            counts["counties"] += 1
    # HK-MO-TW.json lists district names without GB/T 2260 codes, so only the three
    # provincial-level codes (810000, 820000, 710000) are loaded.
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
