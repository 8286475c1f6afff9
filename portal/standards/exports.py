"""Bulk metadata exports: the whole published catalogue as CSV (`/catalogue.csv`) or JSON
(`/catalogue.json`), and one dataset's full metadata (`/datasets/<slug>/metadata.json`).

Both bulk files are streamed and read in keyset batches (never the whole catalogue in memory).
The CSV is UTF-8 with a byte-order mark so that Excel opens Chinese text correctly, and every
text cell that a spreadsheet would run as a formula (leading `= + - @`, tab or carriage return)
is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.models import Dataset
from portal.standards.ckan_dicts import organization_name, package_dict
from portal.standards.common import absolute, base_url, dataset_path
from portal.standards.dcat import dataset_document_urls
from portal.standards.queries import coverage_codes, datasets_described, files_of, region_names
from registry.api_common import plain_problem as problem
from registry.apis.records import PublicMetadataSerializer

BATCH = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: tuple[str, ...] = (
    "registration_code",
    "name",
    "title",
    "description",
    "organization",
    "organization_credit_code",
    "region",
    "province",
    "theme",
    "industry",
    "tags",
    "license_id",
    "license_title",
    "open_category",
    "update_frequency",
    "formats",
    "num_resources",
    "coverage_regions",
    "temporal_start",
    "temporal_end",
    "metadata_created",
    "metadata_modified",
    "data_updated_at",
    "update_due_at",
    "download_count",
    "url",
    "metadata_url",
)


def neutralise(value: Any) -> str:
    """A cell as text, defused if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _local(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def batches() -> Iterator[list[Dataset]]:
    """Every published dataset, described, in id order and batches of BATCH."""
    last = 0
    while True:
        batch = list(datasets_described().filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def csv_row(dataset: Dataset, base: str) -> list[str]:
    version = dataset.resource.current_version
    page = base + dataset_path(dataset.slug)
    values = [
        dataset.resource.code,
        dataset.slug,
        dataset.title,
        dataset.description,
        dataset.holder.name,
        dataset.holder.credit_code,
        dataset.region_id,
        dataset.province_code,
        dataset.theme.name if dataset.theme else "",
        dataset.industry,
        ";".join(dataset.tags),
        dataset.licence.code,
        dataset.licence.name,
        dataset.open_category,
        dataset.update_frequency,
        ";".join(dataset.formats),
        len(files_of(dataset)),
        ";".join(coverage_codes(dataset)),
        version.period_start.isoformat() if version and version.period_start else "",
        version.period_end.isoformat() if version and version.period_end else "",
        _local(dataset.published_at),
        _local(dataset.metadata_updated_at),
        _local(dataset.data_updated_at),
        _local(dataset.update_due_at),
        dataset.download_count,
        page,
        base + reverse("dataset-metadata-json", args=[dataset.slug]),
    ]
    return [neutralise(v) for v in values]


def _csv_chunks(base: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield "\ufeff" + _drain(buffer)
    for batch in batches():
        for dataset in batch:
            writer.writerow(csv_row(dataset, base))
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _attachment(response: HttpResponse | StreamingHttpResponse, extension: str):
    name = f"catalogue-{timezone.localdate().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalogue_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_chunks(base_url(request)), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, "csv")


def metadata_dict(dataset: Dataset, request: HttpRequest, regions: dict[str, str]) -> dict:
    """package_show's dictionary plus the registry record behind the dataset and the links to
    its other descriptions."""
    out = package_dict(dataset, request)
    out["organization_name"] = organization_name(dataset.holder)
    out["registration"] = _registration(dataset, request, regions)
    out["links"] = {
        "page": base_url(request) + dataset_path(dataset.slug),
        **dataset_document_urls(request, dataset.slug),
    }
    return out


def _registration(dataset: Dataset, request: HttpRequest, regions: dict[str, str]) -> dict:
    resource = dataset.resource
    version = resource.current_version
    metadata = dict(PublicMetadataSerializer(version).data) if version is not None else {}
    if version is not None:
        metadata["coverage_regions"] = [
            {"code": code, "name": regions.get(code, "")} for code in coverage_codes(dataset)
        ]
    return {
        "code": resource.code,
        "status": resource.status,
        "object_type": resource.object_type,
        "registered_at": _local(resource.registered_at) or None,
        "valid_until": resource.valid_until.isoformat() if resource.valid_until else None,
        "version": version.number if version is not None else None,
        "record_url": _record_url(request, resource.code),
        "metadata": metadata,
    }


def _record_url(request: HttpRequest, code: str | None) -> str | None:
    if not code:
        return None
    try:
        return absolute(request, reverse("registry:record-detail", args=[code]))
    except NoReverseMatch:
        return None


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


@require_GET
def dataset_metadata_json(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = datasets_described().filter(slug=slug).first()
    if dataset is None:
        return problem(404, "Not found", "No such dataset.", type_slug="not-found")
    body = _json(metadata_dict(dataset, request, region_names([dataset])))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json_chunks(request: HttpRequest) -> Iterator[str]:
    yield "["
    first = True
    for batch in batches():
        regions = region_names(batch)
        for dataset in batch:
            yield ("\n" if first else ",\n") + _json(metadata_dict(dataset, request, regions))
            first = False
    yield "\n]\n"


@require_GET
def catalogue_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _json_chunks(request), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, "json")
