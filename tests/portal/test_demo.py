"""The open portal's demo data: the registry demo and the portal demo loaded once for the module
(inside a transaction rolled back at the end, so other modules never see them), then checked for
coverage, realistic files, timeliness, usage and idempotency."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import zipfile
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Max
from django.test.utils import override_settings
from django.utils import timezone

from portal.demo import loader
from portal.demo.catalogue import CATALOGUE
from portal.demo.values import Ctx
from portal.models import (
    Dataset,
    DatasetEvent,
    DatasetStatus,
    Distribution,
    DistributionVersion,
    UsageRecord,
)
from registry.models import OpenCategory, Resource
from registry.workdays import SHANGHAI

pytestmark = pytest.mark.smoke


# First in the module: it needs a database without the demo, and the module's demo fixture
# (once created) holds the demo until the module ends.
def test_load_portal_demo_asks_for_the_registry_demo_first(db):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_portal_demo", stdout=StringIO())

    assert not Dataset.objects.exists()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("portal-demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        out = StringIO()
        call_command("load_portal_demo", stdout=out)
        yield out.getvalue(), media
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db, settings):
    output, media = demo_output
    settings.MEDIA_ROOT = media  # the files the module's load stored (tests get their own root)
    return output


def published():
    return Dataset.objects.filter(status=DatasetStatus.PUBLISHED)


def test_loading_prints_one_summary_line_with_the_counts(demo):
    lines = [line for line in demo.splitlines() if line.strip()]

    assert len(lines) == 1
    assert "Portal demo loaded" in lines[0] and "80 published" in lines[0]


def test_eighty_datasets_are_published_across_holders_provinces_themes_and_frequencies(demo):
    datasets = published()

    assert datasets.count() >= 75
    assert datasets.values("holder").distinct().count() >= 30
    assert datasets.values("province_code").distinct().count() >= 10
    assert datasets.filter(province_code="000000").exists()  # central bodies
    assert datasets.values("theme").distinct().count() >= 14
    assert datasets.values("industry").distinct().count() >= 12
    assert set(datasets.values_list("update_frequency", flat=True)) >= {
        "realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular",
    }  # fmt: skip


def test_a_dozen_are_conditional_and_two_were_withdrawn_with_a_reason(demo):
    conditional = published().filter(open_category=OpenCategory.CONDITIONAL)
    withdrawn = Dataset.objects.filter(status=DatasetStatus.WITHDRAWN)

    assert 10 <= conditional.count() <= 15
    assert set(conditional.values_list("licence__code", flat=True)) == {"conditional-agreement"}
    assert withdrawn.count() == 2
    for dataset in withdrawn:
        assert dataset.withdrawal_reason and dataset.withdrawn_at < timezone.now()
        assert dataset.events.filter(action="withdraw", actor__isnull=False).exists()


def test_licences_are_mostly_the_default_with_some_cc_by_and_cc0(demo):
    counts = dict(published().values_list("licence__code").annotate(n=Count("id")))

    assert counts["platform-open"] > sum(counts.values()) / 2
    assert counts["cc-by-4.0"] >= 5 and counts["cc0-1.0"] >= 2


def test_descriptions_are_markdown_with_lists_and_a_link_to_the_registry_record(demo):
    for dataset in published().select_related("resource"):
        assert "\n- " in dataset.description
        assert f"(/registry/records/{dataset.resource.code}/)" in dataset.description
        assert len(dataset.tags) >= 3


def test_tabular_files_with_thousands_of_rows_have_previews(demo):
    big = DistributionVersion.objects.filter(row_count__gte=1000)

    assert big.filter(format="CSV", row_count__gte=5000).count() >= 4
    assert big.filter(format="XLSX", row_count__gte=2000).exists()
    assert big.filter(format="JSON").exists()
    for version in big:
        assert version.preview["columns"] and len(version.preview["rows"]) >= 10


def test_a_gbk_csv_a_bom_csv_and_codes_with_leading_zeros_are_among_the_files(demo):
    gbk = DistributionVersion.objects.filter(format="CSV", encoding="gb18030", row_count=3000)
    bom = DistributionVersion.objects.filter(format="CSV", encoding="utf-8-sig")
    stops = DistributionVersion.objects.filter(original_name__startswith="公交线路站点_").first()

    assert gbk.exists() and bom.exists()
    with default_storage.open(gbk.first().file.name, "rb") as raw:
        assert "许可证编号".encode("gbk") in raw.read(200)
    column = stops.preview["columns"].index("站点编号")
    assert stops.preview["rows"][0][column] == "000001"


def test_every_format_a_portal_offers_is_present_and_valid(demo):
    formats = set(DistributionVersion.objects.values_list("format", flat=True))

    assert {"CSV", "XLSX", "JSON", "GEOJSON", "XML", "PDF", "ZIP"} <= formats
    geo = DistributionVersion.objects.filter(
        format="GEOJSON", original_name__contains="公园"
    ).first()
    with default_storage.open(geo.file.name, "rb") as raw:
        collection = json.load(raw)
    ring = collection["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and all(
        112.9 < lon < 114.1 and 22.5 < lat < 23.9 for lon, lat in ring
    )
    bundle = DistributionVersion.objects.get(format="ZIP")
    with default_storage.open(bundle.file.name, "rb") as raw:
        assert {"README.txt", "census_objects.csv", "fields.csv"} == set(
            zipfile.ZipFile(io.BytesIO(raw.read())).namelist()
        )
    with default_storage.open(
        DistributionVersion.objects.filter(format="PDF").first().file.name, "rb"
    ) as raw:
        assert raw.read(5) == b"%PDF-"


def test_several_datasets_are_overdue_and_most_are_on_time(demo):
    now = timezone.now()
    overdue = published().filter(update_due_at__lt=now)

    assert 5 <= overdue.count() <= 10
    assert published().filter(update_due_at__gte=now).count() > 50
    assert published().filter(update_due_at__isnull=True, update_frequency="irregular").exists()
    assert {"daily", "monthly"} <= set(overdue.values_list("update_frequency", flat=True))


def test_some_files_have_a_history_of_two_or_three_versions_in_time_order(demo):
    counts = Distribution.objects.annotate(n=Count("versions")).values_list("n", flat=True)

    assert sum(1 for n in counts if n == 3) >= 5 and sum(1 for n in counts if n == 2) >= 30
    for dist in Distribution.objects.annotate(n=Count("versions")).filter(n__gt=1):
        versions = list(dist.versions.order_by("number"))
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert [v.uploaded_at for v in versions] == sorted(v.uploaded_at for v in versions)
        assert dist.current_version_id == versions[-1].pk


def test_every_moment_is_in_the_past_after_the_record_was_coded_and_from_2025(demo):
    now = timezone.now()
    first = dt.datetime(2025, 1, 1, tzinfo=SHANGHAI)
    for dataset in Dataset.objects.select_related("resource"):
        assert first <= dataset.published_at < now
        assert dataset.published_at > dataset.resource.registered_at
        assert (
            dataset.data_updated_at
            == dataset.distributions.aggregate(m=Max("versions__uploaded_at"))["m"]
        )
    assert not DatasetEvent.objects.filter(at__gt=now).exists()
    assert not UsageRecord.objects.filter(at__gt=now).exists()


def test_downloads_are_metered_with_varied_counts_that_agree_with_the_rows(demo):
    rows = UsageRecord.objects.filter(kind="download")
    counts = sorted(published().values_list("download_count", flat=True))

    assert 300 <= rows.count() <= 1500
    assert counts[-1] >= 15 and counts[0] <= 2
    mismatched = Dataset.objects.annotate(n=Count("usage")).exclude(n=F("download_count"))
    assert not mismatched.exists()
    assert rows.filter(at__gte=timezone.now() - dt.timedelta(days=7)).count() > 50
    conditional = rows.filter(dataset__open_category=OpenCategory.CONDITIONAL)
    assert not conditional.filter(user__isnull=True).exists()  # only the holder's staff


def test_a_file_renders_to_the_same_bytes_twice(demo):
    at = dt.datetime(2026, 5, 20, 10, 30, tzinfo=SHANGHAI)
    kinds_seen = set()
    for spec in CATALOGUE:
        for file in spec.files:
            if file.kind in kinds_seen:
                continue
            kinds_seen.add(file.kind)
            first = file.render(Ctx(rng=random.Random("same"), at=at, version=1))
            again = file.render(Ctx(rng=random.Random("same"), at=at, version=1))
            assert first == again, file.title
    assert kinds_seen == {
        "csv",
        "csv-bom",
        "csv-gbk",
        "xlsx",
        "json",
        "geojson",
        "xml",
        "pdf",
        "zip",
    }


def test_loading_again_creates_nothing_and_says_so(demo):
    models = (Dataset, Distribution, DistributionVersion, UsageRecord, DatasetEvent)
    before = [model.objects.count() for model in models]
    out = StringIO()

    call_command("load_portal_demo", stdout=out)

    assert [model.objects.count() for model in models] == before
    assert "already loaded" in out.getvalue()
    assert loader.is_loaded()


def test_the_records_left_unpublished_can_still_be_published_by_their_holders(demo):
    open_records = Resource.objects.filter(
        status__in=["active", "expiring"],
        current_version__open_category__in=["unconditional", "conditional"],
    )
    unpublished = open_records.filter(dataset__isnull=True)

    assert 3 <= unpublished.count() <= 12


def test_load_portal_demo_refuses_production_settings(monkeypatch, db):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.production")

    with pytest.raises(CommandError, match="production"):
        call_command("load_portal_demo", stdout=StringIO())
