"""A read-only, CKAN-compatible Action API at `/api/3/action/<name>`, so CKAN clients
(ckanapi, the CKAN harvester, portals that federate CKAN sites) can read this catalogue.

The envelope is CKAN's: `{"help": <url>, "success": true, "result": ...}`, errors
`{"help", "success": false, "error": {"__type", "message", <field>: [...]}}` with CKAN's
statuses (404 Not Found Error, 409 Validation Error, 403 Authorization Error, 400 for an unknown
action or a body that is not a JSON object). Parameters come from the query string (GET) or a
JSON object / form body (POST), as in CKAN; unknown parameters are ignored, wrong types and
out-of-range values are a 409. Searching goes through `portal.search`; nothing here writes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from portal.models import Licence, Theme
from portal.search import check_search_query, search_datasets
from portal.standards import ckan_datastore
from portal.standards.ckan_dicts import (
    group_dict,
    licence_dict,
    organization_dict,
    organization_name,
    package_dict,
    resource_dict,
)
from portal.standards.ckan_query import parse_fq, parse_sort, split_q
from portal.standards.common import base_url, bounded_int
from portal.standards.queries import datasets_described, datasets_in_order, files_of, publishers
from registry.errors import DomainError, NotFound, PermissionDenied, ValidationFailed

CKAN_VERSION = "2.10.0"
MAX_ROWS = 1000
MAX_START = 10_000_000
MAX_LIST = 1_000_000
# CKAN facet name → portal.search facet name.
FACETS: dict[str, str] = {
    "organization": "holder",
    "tags": "tag",
    "res_format": "format",
    "license_id": "licence",
    "groups": "theme",
}
Params = dict[str, Any]


def _envelope(request: HttpRequest, name: str, status: int, body: dict) -> HttpResponse:
    help_url = f"{base_url(request)}{reverse('ckan-action', args=['help_show'])}?" + urlencode(
        {"name": name}
    )
    payload = {"help": help_url, **body}
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False),
        status=status,
        content_type="application/json;charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(request: HttpRequest, name: str, status: int, error: dict) -> HttpResponse:
    return _envelope(request, name, status, {"success": False, "error": error})


def _domain_error(request: HttpRequest, name: str, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        return _error(
            request, name, 404, {"__type": "Not Found Error", "message": f"Not found: {exc}"}
        )
    if isinstance(exc, PermissionDenied) or exc.status in (401, 403):
        error = {"__type": "Authorization Error", "message": f"Access denied: {exc}"}
        return _error(request, name, 403 if exc.status != 401 else 401, error)
    if exc.status in (429, 503):  # rate limits and query timeouts keep their status
        error = {"__type": exc.title, "message": str(exc)}
        response = _error(request, name, exc.status, error)
        for header, value in (exc.extra or {}).get("headers", {}).items():
            response[header] = value
        return response
    return _error(
        request,
        name,
        409,
        {"__type": "Validation Error", "message": str(exc), **(exc.errors or {})},
    )


@csrf_exempt  # read-only and anonymous: there is no state for a forged request to change
def action(request: HttpRequest, name: str) -> HttpResponse:
    handler = ACTIONS.get(name)
    if handler is None:
        message = f"Bad request - Action name not known: {name}"
        return _error(request, name, 400, {"__type": "Bad Request", "message": message})
    if request.method not in ("GET", "POST"):
        message = f"Bad request - Method {request.method} is not allowed; use GET or POST."
        return _error(request, name, 405, {"__type": "Bad Request", "message": message})
    try:
        params = _request_params(request)
    except ValueError as exc:
        message = f"Bad request - JSON Error: {exc}"
        return _error(request, name, 400, {"__type": "Bad Request", "message": message})
    try:
        result = handler(params, request)
    except DomainError as exc:
        return _domain_error(request, name, exc)
    return _envelope(request, name, 200, {"success": True, "result": result})


def _mixed(query_dict) -> Params:
    """CKAN's reading of repeated parameters: one value → a string, several → a list."""
    return {k: v[0] if len(v) == 1 else v for k, v in query_dict.lists()}


def _request_params(request: HttpRequest) -> Params:
    if request.method == "GET":
        return _mixed(request.GET)
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _mixed(request.POST)
    body = request.body
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"Error decoding JSON data: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(
            "Request data JSON decoded to a non-object but it needs to be a dictionary."
        )
    return data


# ---------------------------------------------------------------------- parameter readers


def _invalid(errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed("Invalid parameters.", errors=errors)


def _text(params: Params, name: str, default: str = "", *, max_length: int = 2000) -> str:
    value = params.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _invalid({name: ["Must be a single string."]})
    if len(value) > max_length:
        raise _invalid({name: [f"At most {max_length} characters."]})
    if "\x00" in value:
        raise _invalid({name: ["Must not contain NUL characters."]})
    return value


def _bool(params: Params, name: str, default: bool = False) -> bool:
    value = params.get(name, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off", ""):
        return False
    raise _invalid({name: ["Must be true or false."]})


def _int(params: Params, name: str, *, default: int, low: int, high: int) -> int:
    errors: dict[str, list[str]] = {}
    value = bounded_int(params.get(name), name, default=default, low=low, high=high, errors=errors)
    if errors:
        raise _invalid(errors)
    return value


def _id(params: Params, name: str = "id") -> str:
    value = _text(params, name, max_length=200).strip()
    if not value:
        raise _invalid({name: ["Missing value"]})
    return value


def _string_list(params: Params, name: str) -> list[str]:
    """A list of strings given as a JSON list (CKAN's `facet.field='["tags"]'`) or a list."""
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _invalid({name: ['Must be a JSON list of strings, e.g. ["tags"].']}) from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid({name: ["Must be a list of strings."]})
    return value


# ---------------------------------------------------------------------- actions


def package_list(params: Params, request: HttpRequest) -> list[str]:
    """Return a list of the names of the site's datasets (packages).

    :param limit: if given, the list of datasets will be broken into pages of at most
        ``limit`` datasets per page and only one page will be returned at a time (optional)
    :param offset: when ``limit`` is given, the offset to start returning packages from
    """
    limit = _int(params, "limit", default=MAX_LIST, low=0, high=MAX_LIST)
    offset = _int(params, "offset", default=0, low=0, high=MAX_START)
    names = datasets_described().order_by("slug").values_list("slug", flat=True)
    return list(names[offset : offset + limit])


def package_show(params: Params, request: HttpRequest) -> dict:
    """Return the metadata of a dataset (package) and its resources.

    :param id: the id or name of the dataset
    """
    return package_dict(_dataset(_id(params)), request)


def _dataset(ident: str):
    lookup = Q(slug=ident)
    if ident.isdigit() and len(ident) < 19:
        lookup |= Q(pk=int(ident))
    dataset = datasets_described().filter(lookup).first()
    if dataset is None:
        raise NotFound("Dataset not found")
    return dataset


def resource_show(params: Params, request: HttpRequest) -> dict:
    """Return the metadata of a resource.

    :param id: the id of the resource
    """
    ident = _id(params)
    if not (ident.isdigit() and len(ident) < 19):
        raise NotFound("Resource was not found.")
    dataset = datasets_described().filter(distributions__pk=int(ident)).first()
    if dataset is None:
        raise NotFound("Resource was not found.")
    for position, distribution in enumerate(files_of(dataset)):
        if distribution.pk == int(ident):
            return resource_dict(dataset, distribution, position, request)
    raise NotFound("Resource was not found.")


def package_search(params: Params, request: HttpRequest) -> dict:
    """Search for datasets.

    :param q: the search query, free text; fielded ``field:value`` terms are filters
    :param fq: filter terms ``[+|-]field:value`` or ``field:"value"``, ANDed (``OR`` between
        terms, or ``field:(a OR b)``, for alternatives), on organization,
        tags, res_format, license_id, groups, name, id, owner_org, dataset_type, capacity, and
        ranges on metadata_modified / metadata_created
    :param rows: the maximum number of matching rows to return (default 10, at most 1000)
    :param start: the offset in the complete result of the first row to return
    :param sort: e.g. ``score desc, metadata_modified desc`` (the default), ``metadata_modified
        desc``, ``metadata_created desc``, ``title_string asc``, ``name asc``, ``id asc``
    :param facet.field: a JSON list of fields to facet on (organization, tags, res_format,
        license_id, groups)
    :param facet.limit: the maximum number of values per facet (default 50, -1 for all)
    """
    text, restrict = split_q(_text(params, "q"))
    restrict &= parse_fq(_text(params, "fq"))
    for extra in _string_list(params, "fq_list"):
        restrict &= parse_fq(extra, param="fq_list")
    rows = _int(params, "rows", default=10, low=0, high=MAX_ROWS)
    start = _int(params, "start", default=0, low=0, high=MAX_START)
    sort = _text(params, "sort").strip() or "score desc, metadata_modified desc"
    relevance, order_by = parse_sort(sort, has_text=bool(text))
    facet_fields = _facet_fields(params)
    facet_limit = _int(params, "facet.limit", default=50, low=-1, high=MAX_LIST)
    # check_search_query validates the text; CKAN's paging bounds are wider than the pages'.
    query = dataclasses.replace(
        check_search_query(q=text), sort="relevance", offset=start, limit=rows
    )
    result = search_datasets(
        query,
        facet_fields=tuple(FACETS[f] for f in facet_fields),
        restrict=restrict,
        order_by=() if relevance else order_by,
    )
    facets = _facets(result.facets, facet_fields, facet_limit)
    datasets = datasets_in_order([d.pk for d in result.datasets])
    return {
        "count": result.total,
        "sort": sort,
        "results": [package_dict(d, request) for d in datasets],
        "facets": {
            field: {i["name"]: i["count"] for i in items} for field, items in facets.items()
        },
        "search_facets": {
            field: {"title": field, "items": items} for field, items in facets.items()
        },
    }


def _facet_fields(params: Params) -> list[str]:
    if not _bool(params, "facet", True):
        return []
    fields = list(dict.fromkeys(_string_list(params, "facet.field")))
    unknown = [f for f in fields if f not in FACETS]
    if unknown:
        raise _invalid(
            {"facet.field": [f"Unknown facet {unknown[0]!r}. Allowed: {', '.join(FACETS)}."]}
        )
    return fields


def _facets(found: dict, fields: list[str], limit: int) -> dict[str, list[dict]]:
    holder_ids = [int(v.value) for v in found.get("holder", [])]
    org_names = {str(o.pk): organization_name(o) for o in publishers().filter(pk__in=holder_ids)}
    out: dict[str, list[dict]] = {}
    for field in fields:
        values = found[FACETS[field]]
        if limit >= 0:
            values = values[:limit]
        names = org_names if field == "organization" else {}
        out[field] = [
            {"name": names.get(v.value, v.value), "display_name": v.label, "count": v.count}
            for v in values
            if v.count > 0
        ]
    return out


_ORG_SORTS = {
    "name": ("credit_code",),
    "title": ("name",),
    "package_count": ("package_count",),
}


def organization_list(params: Params, request: HttpRequest) -> list:
    """Return a list of the names of the site's organizations (those that publish data).

    :param all_fields: return full organization dictionaries instead of names
    :param sort: ``title asc`` (default), ``name``, ``title`` or ``package_count``, asc|desc
    :param limit: at most this many (default 1000, or 25 with all_fields)
    :param offset: the offset of the first one returned
    """
    all_fields = _bool(params, "all_fields")
    limit = _int(params, "limit", default=25 if all_fields else 1000, low=0, high=1000)
    offset = _int(params, "offset", default=0, low=0, high=MAX_START)
    sort = _text(params, "sort", "title asc", max_length=100).split()
    if len(sort) == 1:
        sort.append("asc")
    if len(sort) != 2 or sort[0] not in _ORG_SORTS or sort[1].lower() not in ("asc", "desc"):
        raise _invalid({"sort": [f"'field asc|desc' with field one of {', '.join(_ORG_SORTS)}."]})
    sign = "-" if sort[1].lower() == "desc" else ""
    order = [sign + column for column in _ORG_SORTS[sort[0]]] + ["pk"]
    orgs = list(publishers().order_by(*order)[offset : offset + limit])
    if not all_fields:
        return [organization_name(o) for o in orgs]
    return [organization_dict(o, request, package_count=o.package_count) for o in orgs]


def organization_show(params: Params, request: HttpRequest) -> dict:
    """Return the details of an organization.

    :param id: the id or name (credit code) of the organization
    :param include_datasets: include a list of its datasets (at most 1000)
    """
    ident = _id(params)
    lookup = Q(credit_code__iexact=ident)
    if ident.isdigit() and len(ident) < 19:
        lookup |= Q(pk=int(ident))
    organisation = publishers().filter(lookup).first()
    if organisation is None:
        raise NotFound("Organization was not found.")
    out = organization_dict(organisation, request, package_count=organisation.package_count)
    if _bool(params, "include_datasets"):
        datasets = datasets_described().filter(holder=organisation).order_by("slug")[:MAX_ROWS]
        out["packages"] = [package_dict(d, request) for d in datasets]
    return out


def group_list(params: Params, request: HttpRequest) -> list:
    """Return a list of the names of the site's groups (the catalogue themes).

    :param all_fields: return full group dictionaries instead of names
    """
    themes = Theme.objects.all()
    if _bool(params, "all_fields"):
        return [group_dict(t) for t in themes]
    return [t.code for t in themes]


def license_list(params: Params, request: HttpRequest) -> list:
    """Return the list of licenses available for datasets on the site."""
    return [licence_dict(licence, request) for licence in Licence.objects.all()]


def status_show(params: Params, request: HttpRequest) -> dict:
    """Return a dictionary with information about the site's configuration."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": settings.PLATFORM_NAME,
        "site_description": settings.PLATFORM_NAME_EN,
        "site_url": base_url(request),
        "locale_default": "zh_Hans_CN",
        "error_emails_to": None,
        "extensions": ["dcat"],
    }


def help_show(params: Params, request: HttpRequest) -> str:
    """Return the help string for a particular API action.

    :param name: action function name (e.g. ``package_search``)
    """
    name = _text(params, "name", max_length=100)
    handler = ACTIONS.get(name)
    if handler is None:
        raise NotFound(f"Action function not found: {name}")
    return handler.__doc__ or ""


ACTIONS: dict[str, Callable[[Params, HttpRequest], Any]] = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "license_list": license_list,
    "status_show": status_show,
    "help_show": help_show,
    "datastore_search": ckan_datastore.datastore_search,
    "datastore_info": ckan_datastore.datastore_info,
}
