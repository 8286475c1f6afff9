"""The public page of one dataset: metadata, data dictionary, files with their version history,
a preview of tabular files (escaped), a chart where the preview suits one, and how to fetch
the data from programs. The same URL serves DCAT (Turtle / JSON-LD) to clients that ask for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from portal.models import Dataset, Distribution, DistributionVersion
from portal.preview_chart import chart_for_preview
from portal.selectors import access_dataset, can_download
from portal.selectors_catalogue import dataset_versions
from registry.errors import NotFound

PREVIEW_ROWS = 20
PREVIEW_COLUMNS = 60


@dataclass
class FileRow:
    distribution: Distribution
    current: DistributionVersion
    older: list[DistributionVersion]
    downloads: int
    latest_url: str
    preview: dict[str, Any] | None
    columns: list[str]


def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Imported here: the standards module builds on the catalogue, not the other way round.
    from portal.standards.dcat import dataset_rdf_response, negotiate_format

    try:
        dataset = access_dataset(slug=slug)
    except NotFound:
        raise Http404 from None
    fmt = negotiate_format(request)
    if fmt:
        return dataset_rdf_response(dataset, fmt, request)
    may_download = can_download(user=request.user, dataset=dataset)
    files = _file_rows(dataset, with_preview=may_download)
    record = dataset.resource
    chart, chart_file = _first_chart(files) if may_download else (None, None)
    context = {
        "dataset": dataset,
        "record": record,
        "meta": record.current_version,
        "files": files,
        "file_columns": [(f.distribution, f.columns) for f in files if f.columns],
        "chart": chart,
        "chart_file": chart_file,
        "may_download": may_download,
        "snippets": _snippets(request, dataset, files),
        "datastore_apis": _datastore_apis(request, dataset),
        "now": timezone.now(),
    }
    return render(request, "portal/catalogue/dataset_detail.html", context)


def _file_rows(dataset: Dataset, *, with_preview: bool = True) -> list[FileRow]:
    """The files; their preview rows only for a user who may download the data (the column
    names, part of the data dictionary, are public)."""
    versions = dataset_versions(dataset)
    rows = []
    for dist in dataset.distributions.all():  # prefetched: those with a current version
        history = versions.get(dist.pk, [])
        preview = _preview_table(dist.current_version.preview)
        rows.append(
            FileRow(
                distribution=dist,
                current=dist.current_version,
                older=[v for v in history if v.pk != dist.current_version_id],
                downloads=sum(v.download_count for v in history),
                latest_url=reverse(
                    "distribution-latest",
                    kwargs={"slug": dataset.slug, "distribution_id": dist.pk},
                ),
                preview=preview if with_preview else None,
                columns=preview["columns"] if preview else [],
            )
        )
    return rows


def _preview_table(preview: Any) -> dict[str, Any] | None:
    """The first rows as strings, ragged rows padded, capped in both directions. Values stay
    text: the template escapes them."""
    if not isinstance(preview, dict) or not preview.get("columns"):
        return None
    columns = [str(c) for c in preview["columns"]][:PREVIEW_COLUMNS]
    rows = []
    for row in (preview.get("rows") or [])[:PREVIEW_ROWS]:
        if not isinstance(row, list | tuple):
            continue
        cells = ["" if v is None else str(v) for v in row[: len(columns)]]
        rows.append(cells + [""] * (len(columns) - len(cells)))
    return {"columns": columns, "rows": rows, "truncated": len(preview["columns"]) > len(columns)}


def _first_chart(files: list[FileRow]) -> tuple[dict | None, Distribution | None]:
    for row in files:
        if row.preview is None:
            continue
        chart = chart_for_preview(row.current.preview)
        if chart is not None:
            chart["title"] = row.distribution.title
            return chart, row.distribution
    return None, None


def _datastore_apis(request: HttpRequest, dataset: Dataset) -> list[dict[str, Any]]:
    """One entry per file loaded into the datastore: its fields and working examples."""
    from portal.datastore.selectors import tables_of_dataset

    out = []
    for table in tables_of_dataset(dataset).values():
        base = request.build_absolute_uri(f"/api/v1/datastore/{table.distribution_id}/records")
        first = table.columns[0]["id"] if table.columns else ""
        out.append(
            {
                "table": table,
                "fields": table.columns,
                "records_url": base,
                "example_url": base + "?" + urlencode({"limit": 5, "sort": first}),
                "csv_url": base + "?" + urlencode({"format": "csv"}),
                "first_field": first,
            }
        )
    return out


def _snippets(request: HttpRequest, dataset: Dataset, files: list[FileRow]) -> dict[str, Any]:
    """Copy-paste examples with absolute URLs. File names are built from the slug and the
    format only, so nothing a holder typed ends up in a shell command."""
    package_show = request.build_absolute_uri(
        "/api/3/action/package_show?" + urlencode({"id": dataset.slug})
    )
    out: dict[str, Any] = {
        "package_show": package_show,
        "turtle": request.build_absolute_uri(f"/datasets/{dataset.slug}.ttl"),
        "jsonld": request.build_absolute_uri(f"/datasets/{dataset.slug}.jsonld"),
        "file": None,
    }
    if files:
        first = files[0]
        extension = "".join(ch for ch in first.current.format.lower() if ch.isalnum()) or "dat"
        out["file"] = {
            "url": request.build_absolute_uri(first.latest_url),
            "name": f"{dataset.slug}.{extension}",
            "title": first.distribution.title,
        }
    return out
