"""The CKAN-compatible Action API: CKAN's envelope, statuses and field shapes, every search
parameter, and clean errors (never a 500) for bad input."""

from __future__ import annotations

import json

import pytest

from portal.models import Dataset, DatasetStatus, Licence, Theme
from tests.conftest import at, make_org, make_user
from tests.portal.factories import add_file, make_dataset

API = "/api/3/action/"


def call(client, action: str, **params):
    return client.get(API + action, params)


def ok(response):
    assert response.status_code == 200, response.content[:800]
    body = json.loads(response.content)
    assert body["success"] is True
    assert body["help"].startswith("http://testserver/api/3/action/help_show?name=")
    return body["result"]


def failed(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.content[:800]
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["success"] is False
    assert body["error"]["__type"] == kind
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def catalogue(world):
    """Three published datasets of two holders, one conditional, and one withdrawn."""
    bus = make_dataset(world, title="广州市公交站点", tags=["公交", "交通"], now=at(2026, 4, 1))
    add_file(bus, name="stops.csv", now=at(2026, 4, 1))
    add_file(bus, name="stops.json", fmt="JSON", media_type="application/json", now=at(2026, 4, 1))
    hospital_org = make_org("佛山市卫生健康局", region="440600")
    hospital = make_dataset(
        world,
        title="佛山市医院名录",
        holder_org=hospital_org,
        user=make_user(holder_staff=hospital_org),
        tags=["医疗"],
        theme=Theme.objects.get(code="health"),
        licence=Licence.objects.get(code="cc-by-4.0"),
        now=at(2026, 4, 2),
    )
    add_file(hospital, name="hospitals.csv", now=at(2026, 4, 2))
    credit = make_dataset(
        world,
        title="企业信用明细",
        open_category="conditional",
        theme=Theme.objects.get(code="credit"),
        tags=["信用", "交通"],
        now=at(2026, 4, 3),
    )
    add_file(credit, name="credit.xlsx", fmt="XLSX", media_type="application/vnd.ms-excel")
    gone = make_dataset(world, title="已下线的公交数据", now=at(2026, 4, 4))
    Dataset.objects.filter(pk=gone.pk).update(status=DatasetStatus.WITHDRAWN)
    return {"bus": bus, "hospital": hospital, "credit": credit, "gone": gone, "org": hospital_org}


def names(result) -> list[str]:
    return [p["name"] for p in result["results"]]


# ---------------------------------------------------------------------- envelope and errors


def test_an_unknown_action_is_a_400_like_ckan(client, db):
    error = failed(call(client, "package_create"), 400, "Bad Request")
    assert error["message"] == "Bad request - Action name not known: package_create"


def test_a_missing_dataset_is_a_not_found_error(client, catalogue):
    failed(call(client, "package_show", id="no-such-thing"), 404, "Not Found Error")


def test_a_withdrawn_dataset_is_not_found_anywhere(client, catalogue):
    gone = catalogue["gone"]
    failed(call(client, "package_show", id=gone.slug), 404, "Not Found Error")
    assert gone.slug not in ok(call(client, "package_list"))
    assert gone.slug not in names(ok(call(client, "package_search", q="公交")))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rows": "abc"}, "rows"),
        ({"rows": "100000"}, "rows"),
        ({"rows": "-1"}, "rows"),
        ({"start": "x"}, "start"),
        ({"sort": "popularity desc"}, "sort"),
        ({"sort": "title_string sideways"}, "sort"),
        ({"fq": "author:bob"}, "fq"),
        ({"fq": "OR tags:a"}, "fq"),
        ({"fq": "tags:a OR"}, "fq"),
        ({"fq": "tags:a OR OR tags:b"}, "fq"),
        ({"fq": "tags:a AND OR tags:b"}, "fq"),
        ({"fq": "-tags:a OR tags:b"}, "fq"),
        ({"fq": "tags:a OR -tags:b"}, "fq"),
        ({"fq": "NOT tags:a"}, "fq"),
        ({"fq": "tags:(a AND b)"}, "fq"),
        ({"fq": "metadata_modified:(a OR b)"}, "fq"),
        ({"fq": "(tags:a)"}, "fq"),
        ({"fq": "tags:a*"}, "fq"),
        ({"fq": "{!lucene}tags:a"}, "fq"),
        ({"fq": 'tags:"unterminated'}, "fq"),
        ({"fq": "metadata_modified:yesterday"}, "fq"),
        ({"fq": "metadata_modified:[NOW-1DAY TO *]"}, "fq"),
        ({"fq": "tags:[a TO b]"}, "fq"),
        ({"facet.field": "tags"}, "facet.field"),
        ({"facet.field": '["author"]'}, "facet.field"),
        ({"facet.limit": "many"}, "facet.limit"),
        ({"q": "公交" * 150}, "q"),
    ],
)
def test_bad_search_parameters_are_clean_validation_errors(client, catalogue, params, field):
    error = failed(client.get(API + "package_search", params), 409, "Validation Error")
    assert field in error


def test_repeated_scalar_parameters_are_a_validation_error(client, catalogue):
    response = client.get(API + "package_search?rows=1&rows=2")
    assert "rows" in failed(response, 409, "Validation Error")


def test_a_body_that_is_not_a_json_object_is_a_400(client, db):
    for body in ("[1, 2]", "{not json", '"text"'):
        response = client.post(API + "package_search", body, content_type="application/json")
        failed(response, 400, "Bad Request")


def test_post_json_bodies_work_without_csrf_tokens(client, catalogue):
    client.handler.enforce_csrf_checks = True
    response = client.post(
        API + "package_search",
        json.dumps({"q": "医院", "rows": 5, "facet.field": ["tags"]}),
        content_type="application/json",
    )
    result = ok(response)
    assert names(result) == [catalogue["hospital"].slug]
    assert result["facets"] == {"tags": {"医疗": 1}}


def test_unknown_parameters_are_ignored(client, catalogue):
    result = ok(call(client, "package_search", include_private="true", frobnicate="1"))
    assert result["count"] == 3


def test_other_methods_are_refused(client, db):
    assert client.put(API + "package_list").status_code == 405


# ---------------------------------------------------------------------- package_list / show


def test_package_list_pages_with_limit_and_offset(client, catalogue):
    everything = ok(call(client, "package_list"))
    expected = sorted(catalogue[k].slug for k in ("bus", "hospital", "credit"))
    assert everything == expected
    assert ok(call(client, "package_list", limit=1, offset=1)) == expected[1:2]
    failed(call(client, "package_list", limit="ten"), 409, "Validation Error")


def test_package_show_has_ckans_field_shapes(client, catalogue):
    bus = catalogue["bus"]
    package = ok(call(client, "package_show", id=bus.slug))
    assert package == ok(call(client, "package_show", id=str(bus.pk)))
    assert package["id"] == str(bus.pk)
    assert package["name"] == bus.slug
    assert package["title"] == "广州市公交站点"
    assert package["state"] == "active" and package["type"] == "dataset"
    assert package["private"] is False
    assert package["license_id"] == "platform-open"
    assert package["metadata_created"] == "2026-04-01T02:00:00.000000"
    assert package["organization"]["name"] == bus.holder.credit_code.lower()
    assert package["organization"]["title"] == "广州市交通运输局"
    assert package["tags"][0].keys() >= {"name", "display_name"}
    assert {t["name"] for t in package["tags"]} == {"公交", "交通"}
    assert package["num_tags"] == 2 and package["num_resources"] == 2
    assert package["groups"][0]["name"] == "transport"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["registration_code"] == bus.resource.code
    assert extras["open_category"] == "unconditional"
    assert extras["update_frequency"] == "monthly"
    assert extras["coverage_regions"] == "440100"
    first = package["resources"][0]
    assert set(first) >= {
        "id", "package_id", "name", "description", "format", "mimetype", "size", "url",
        "hash", "created", "last_modified", "position",
    }  # fmt: skip
    assert [r["position"] for r in package["resources"]] == [0, 1]
    assert first["package_id"] == str(bus.pk)
    assert first["format"] == "CSV" and first["mimetype"] == "text/csv"
    assert first["url"].endswith(f"/datasets/{bus.slug}/files/{first['id']}/latest")
    assert len(first["hash"]) == 64 and first["size"] == 8


def test_a_conditional_resource_points_at_the_dataset_page(client, catalogue):
    credit = catalogue["credit"]
    resource = ok(call(client, "package_show", id=credit.slug))["resources"][0]
    assert resource["url"] == f"http://testserver/datasets/{credit.slug}/"
    assert ok(call(client, "resource_show", id=resource["id"])) == resource


def test_resource_show_of_a_withdrawn_or_unknown_resource_is_not_found(client, catalogue):
    gone = add_file(catalogue["gone"]).distribution_id
    failed(call(client, "resource_show", id=str(gone)), 404, "Not Found Error")
    failed(call(client, "resource_show", id="abc"), 404, "Not Found Error")
    failed(call(client, "resource_show"), 409, "Validation Error")


# ---------------------------------------------------------------------- package_search


def test_search_defaults_to_ten_rows_of_the_newest_modified(client, world, catalogue):
    for i in range(11):
        make_dataset(world, title=f"批量数据集{i}", now=at(2026, 3, 1 + i))
    result = ok(call(client, "package_search"))
    assert result["count"] == 14
    assert len(result["results"]) == 10
    assert result["sort"] == "score desc, metadata_modified desc"
    assert names(result)[:3] == [catalogue[k].slug for k in ("credit", "hospital", "bus")]
    assert result["facets"] == {} and result["search_facets"] == {}


def test_rows_and_start_page_through_the_results(client, catalogue):
    first = ok(call(client, "package_search", rows=2, sort="name asc"))
    second = ok(call(client, "package_search", rows=2, start=2, sort="name asc"))
    assert names(first) + names(second) == sorted(
        catalogue[k].slug for k in ("bus", "hospital", "credit")
    )
    assert ok(call(client, "package_search", rows=0))["results"] == []


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("metadata_modified desc", ["credit", "hospital", "bus"]),
        ("metadata_created desc", ["credit", "hospital", "bus"]),
        ("metadata_modified asc", ["bus", "hospital", "credit"]),
        ("title_string asc", ["credit", "hospital", "bus"]),
        ("title_string desc", ["bus", "hospital", "credit"]),
        ("id asc", ["bus", "hospital", "credit"]),
    ],
)
def test_each_ckan_sort_orders_the_results(client, catalogue, sort, order):
    result = ok(call(client, "package_search", sort=sort))
    assert names(result) == [catalogue[k].slug for k in order]


def test_free_text_finds_chinese_words(client, catalogue):
    result = ok(call(client, "package_search", q="医院"))
    assert names(result) == [catalogue["hospital"].slug]
    assert ok(call(client, "package_search", q="*:*"))["count"] == 3


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("tags:交通", {"bus", "credit"}),
        ('tags:"交通" +res_format:CSV', {"bus"}),
        ("res_format:xlsx", {"credit"}),
        ("license_id:cc-by-4.0", {"hospital"}),
        ("groups:health", {"hospital"}),
        ("-groups:health", {"bus", "credit"}),
        ("tags:交通 AND groups:credit", {"credit"}),
        ("groups:health OR groups:credit", {"hospital", "credit"}),
        ("groups:(health OR credit) tags:交通", {"credit"}),
        ('tags:("公交" OR 医疗)', {"bus", "hospital"}),
        ("+dataset_type:dataset", {"bus", "hospital", "credit"}),
        ("metadata_modified:[2026-04-02T00:00:00Z TO *]", {"hospital", "credit"}),
        ("metadata_created:[* TO 2026-04-02]", {"bus"}),
        ("metadata_modified:{2026-04-01T02:00:00Z TO 2026-04-03T02:00:00Z}", {"hospital"}),
    ],
)
def test_each_supported_fq_term_filters_the_results(client, catalogue, fq, expected):
    result = ok(call(client, "package_search", fq=fq))
    assert set(names(result)) == {catalogue[k].slug for k in expected}
    assert result["count"] == len(expected)


def test_fq_by_organization_and_name(client, catalogue):
    org = catalogue["org"].credit_code.lower()
    assert names(ok(call(client, "package_search", fq=f"organization:{org}"))) == [
        catalogue["hospital"].slug
    ]
    slug = catalogue["bus"].slug
    assert names(ok(call(client, "package_search", fq=f'name:"{slug}"'))) == [slug]


def test_the_ckan_harvesters_incremental_query_works(client, catalogue):
    """ckanext-harvest: organizations_filter_include joined by OR, the changes since the last
    run as a metadata_modified range, sorted by id, 100 rows a page."""
    holders = " OR ".join(
        f"organization:{catalogue[k].holder.credit_code.lower()}" for k in ("bus", "hospital")
    )
    params = {
        "fq": f"{holders} metadata_modified:[2026-04-01T18:00:00.123456Z TO *]",
        "sort": "id asc",
        "rows": "100",
        "start": "0",
    }
    result = ok(client.get(API + "package_search", params))
    assert names(result) == [catalogue[k].slug for k in ("hospital", "credit")]


def test_fielded_terms_in_q_filter_and_the_rest_is_text(client, catalogue):
    result = ok(call(client, "package_search", q="tags:交通 信用"))
    assert names(result) == [catalogue["credit"].slug]


def test_facets_have_ckans_two_shapes(client, catalogue):
    result = ok(
        call(
            client,
            "package_search",
            **{
                "facet.field": '["res_format", "tags", "organization", "license_id", "groups"]',
                "fq": "tags:交通",
            },
        )
    )
    assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1, "XLSX": 1}
    assert result["facets"]["tags"] == {"交通": 2, "公交": 1, "信用": 1}
    assert result["search_facets"]["res_format"]["title"] == "res_format"
    items = result["search_facets"]["tags"]["items"]
    assert items[0] == {"name": "交通", "display_name": "交通", "count": 2}
    organizations = result["search_facets"]["organization"]["items"]
    assert organizations == [
        {
            "name": catalogue["bus"].holder.credit_code.lower(),
            "display_name": "广州市交通运输局",
            "count": 2,
        }
    ]
    groups = {i["name"]: i["display_name"] for i in result["search_facets"]["groups"]["items"]}
    assert groups == {"transport": "交通出行", "credit": "信用服务"}
    limited = ok(call(client, "package_search", **{"facet.field": '["tags"]', "facet.limit": 1}))
    assert limited["facets"]["tags"] == {"交通": 2}


def test_search_costs_a_fixed_number_of_queries(
    client, world, catalogue, django_assert_max_num_queries
):
    for i in range(8):
        add_file(make_dataset(world, title=f"查询数据集{i}"), name=f"f{i}.csv")
    with django_assert_max_num_queries(12):
        ok(call(client, "package_search", rows=20, **{"facet.field": '["tags","organization"]'}))


# ---------------------------------------------------------------------- organizations, status


def test_organization_list_names_publishers_only(client, world, catalogue):
    make_org("没有数据集的单位")
    listed = ok(call(client, "organization_list"))
    expected = {catalogue[k].holder.credit_code.lower() for k in ("bus", "hospital")}
    assert set(listed) == expected
    full = ok(call(client, "organization_list", all_fields="true", sort="package_count desc"))
    assert [o["package_count"] for o in full] == [2, 1]
    assert full[0]["is_organization"] is True and full[0]["type"] == "organization"
    assert len(ok(call(client, "organization_list", limit=1, offset=1))) == 1
    failed(call(client, "organization_list", sort="colour asc"), 409, "Validation Error")
    failed(call(client, "organization_list", all_fields="maybe"), 409, "Validation Error")


def test_organization_show_by_name_or_id_with_datasets(client, catalogue):
    org = catalogue["org"]
    by_name = ok(call(client, "organization_show", id=org.credit_code.lower()))
    assert by_name["title"] == "佛山市卫生健康局" and by_name["package_count"] == 1
    assert "packages" not in by_name
    with_datasets = ok(call(client, "organization_show", id=str(org.pk), include_datasets="true"))
    assert [p["name"] for p in with_datasets["packages"]] == [catalogue["hospital"].slug]
    failed(call(client, "organization_show", id=make_org().credit_code), 404, "Not Found Error")


@pytest.mark.smoke
def test_status_show_looks_like_ckan_2_10(client, db):
    status = ok(call(client, "status_show"))
    assert status["ckan_version"].startswith("2.10.")
    assert status["site_url"] == "http://testserver"
    assert status["site_title"]
    assert "dcat" in status["extensions"]


def test_help_show_documents_each_action(client, db):
    assert "fq" in ok(call(client, "help_show", name="package_search"))
    failed(call(client, "help_show", name="nope"), 404, "Not Found Error")


def test_themes_are_groups_and_the_licence_register_is_the_license_list(client, db):
    assert "transport" in ok(call(client, "group_list"))
    licences = {lic["id"]: lic for lic in ok(call(client, "license_list"))}
    assert licences["cc-by-4.0"]["url"] == "https://creativecommons.org/licenses/by/4.0/"


HOSTILE = [
    None,
    True,
    12,
    -5,
    1.5,
    [],
    ["a", "b"],
    {"x": 1},
    "",
    " ",
    "\x00",
    "'; DROP TABLE portal_dataset; --",
    "9" * 40,
    "公交" * 2000,
    '["tags", 1]',
    "[*",
    '"',
    "metadata_modified:[2026-13-45 TO *]",
    "tags:(",
    "tags:\\",
]
PARAMETERS = {
    "package_list": ["limit", "offset"],
    "package_show": ["id"],
    "resource_show": ["id"],
    "package_search": [
        "q", "fq", "fq_list", "rows", "start", "sort", "facet", "facet.field", "facet.limit"
    ],
    "organization_list": ["all_fields", "limit", "offset", "sort"],
    "organization_show": ["id", "include_datasets"],
    "group_list": ["all_fields"],
    "help_show": ["name"],
}  # fmt: skip


def test_hostile_parameters_never_cause_a_server_error(client, catalogue):
    tried = 0
    for action, parameters in PARAMETERS.items():
        for parameter in parameters:
            for value in HOSTILE:
                body = json.dumps({parameter: value})
                response = client.post(API + action, body, content_type="application/json")
                assert response.status_code < 500, (action, parameter, value, response.content)
                assert json.loads(response.content)["success"] in (True, False)
                if isinstance(value, str):
                    response = client.get(API + action, {parameter: value})
                    assert response.status_code < 500, (action, parameter, value)
                tried += 1
    assert tried > 300
