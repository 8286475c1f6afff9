"""Entitlements are enforced inside the query on every path: API, export, console preview
and aggregates. A column outside the licence never comes back, however it is asked for."""

import json

import pytest

from operations.models import AccessLog, LicenceMode

SECRET = "姓名"  # in the table, never in a licence below


def post(client, licence, body):
    return client.post(
        f"/api/v1/operations/licences/{licence.pk}/query/",
        data=json.dumps(body),
        content_type="application/json",
    )


@pytest.fixture
def as_operator(client, ops):
    client.force_login(ops.operator_user)
    return client


def _no_secret(response):
    text = response.content.decode()
    assert SECRET not in text
    assert "张三" not in text and "甲1" not in text


# --------------------------------------------------------------------------- in-domain rows


def test_rows_licence_returns_only_licensed_columns(ops, as_operator):
    licence = ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"])
    response = post(as_operator, licence, {"limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert [f["id"] for f in body["fields"]] == ["区", "金额"]
    assert set(body["records"][0]) == {"区", "金额"}
    _no_secret(response)


@pytest.mark.parametrize(
    "body",
    [
        {"fields": ["姓名"]},
        {"filters": {"姓名": "张三"}},
        {"filters": {"field": "姓名", "op": "startswith", "value": "张"}},
        {"sort": "姓名"},
        {"group_by": ["姓名"]},
        {"aggregates": [{"func": "count", "field": "姓名"}]},
        {"aggregates": "max:姓名"},
    ],
)
def test_a_column_outside_the_licence_is_unknown_wherever_it_is_named(ops, as_operator, body):
    licence = ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"])
    response = post(as_operator, licence, body)
    assert response.status_code == 400
    problem = response.json()
    assert problem["allowed_fields"] == ["区", "金额"] or "allowed_fields" not in problem
    assert "姓名" not in problem.get("allowed_fields", [])
    assert "身份证号" not in response.content.decode()


def test_full_text_search_over_every_column_is_refused_under_a_licence(ops, as_operator):
    licence = ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"])
    response = post(as_operator, licence, {"q": "张三"})
    assert response.status_code == 403
    assert response.json()["type"].endswith("licence_refused")


def test_the_row_predicate_is_applied_before_the_clients_filters(ops, as_operator):
    licence = ops.licence(
        LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"], predicate={"区": "越秀区"}
    )
    body = post(as_operator, licence, {"limit": 100}).json()
    assert {r["区"] for r in body["records"]} == {"越秀区"}
    assert body["total"] == 3
    # An OR in the client's filter cannot escape the predicate.
    widened = post(
        as_operator,
        licence,
        {"filters": {"or": [{"区": "天河区"}, {"field": "金额", "op": "gte", "value": 0}]}},
    ).json()
    assert {r["区"] for r in widened["records"]} == {"越秀区"}


def test_rows_licence_never_exports(ops, as_operator):
    licence = ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"])
    response = post(as_operator, licence, {"format": "csv"})
    assert response.status_code == 403
    assert AccessLog.objects.filter(licence=licence, outcome="refused", channel="export").exists()


# --------------------------------------------------------------------------- aggregates only


def test_aggregates_only_suppresses_groups_below_k_inside_the_query(ops, as_operator):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    body = post(as_operator, licence, {"group_by": ["区"], "aggregates": "count:*,sum:金额"}).json()
    groups = {r["区"]: r["count"] for r in body["records"]}
    assert groups == {"天河区": 12, "白云区": 12}  # 越秀区 has 3 rows < k
    assert body["suppressed_groups"] == 1
    log = AccessLog.objects.get(licence=licence, outcome="served")
    assert (log.groups_returned, log.groups_suppressed, log.rows_returned) == (2, 1, 0)


def test_aggregates_only_refuses_records_and_extreme_value_functions(ops, as_operator):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    raw = post(as_operator, licence, {"fields": ["区"]})
    assert raw.status_code == 403
    assert "records" not in raw.json()
    extreme = post(as_operator, licence, {"group_by": ["区"], "aggregates": "max:金额"})
    assert extreme.status_code == 403


def test_a_filter_cannot_isolate_a_group_smaller_than_k(ops, as_operator):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    body = post(
        as_operator,
        licence,
        {"filters": {"身份证号": "440101199001011234"}, "aggregates": "sum:金额"},
    ).json()
    assert body["records"] == []
    assert body["suppressed_groups"] == 1


def test_aggregates_only_export_carries_only_groups_of_k_or_more(ops, as_operator):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    response = post(as_operator, licence, {"group_by": ["区"], "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "天河区" in text and "白云区" in text
    assert "越秀区" not in text
    assert AccessLog.objects.filter(licence=licence, channel="export", outcome="served").exists()


def test_aggregates_only_export_of_records_is_refused(ops, as_operator):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    response = post(as_operator, licence, {"fields": ["区"], "format": "jsonl"})
    assert response.status_code == 403


# --------------------------------------------------------------------------- verification


def test_verification_answers_only_yes_or_no(ops, as_operator):
    licence = ops.licence(LicenceMode.VERIFICATION_ONLY, columns=["身份证号", "区"])
    yes = post(
        as_operator, licence, {"filters": {"身份证号": "440101199001011234", "区": "天河区"}}
    )
    assert yes.json() == {"licence": licence.pk, "mode": "verification_only", "match": True}
    no = post(as_operator, licence, {"filters": {"身份证号": "440101199001011234", "区": "白云区"}})
    assert no.json()["match"] is False
    assert list(
        AccessLog.objects.filter(outcome="served").values_list("verification_result", flat=True)
    ) == [False, True]


@pytest.mark.parametrize(
    "body",
    [
        {"filters": {"身份证号": "440101199001011234"}, "fields": ["区"]},
        {"filters": {"身份证号": "440101199001011234"}, "group_by": ["区"]},
        {"filters": {"field": "身份证号", "op": "startswith", "value": "4401"}},
        {"filters": {"身份证号": ["440101199001011234", "x"]}},
        {"filters": {"姓名": "张三"}},
        {},
        {"filters": {"身份证号": "440101199001011234"}, "format": "csv"},
    ],
)
def test_verification_refuses_anything_but_equality_on_licensed_fields(ops, as_operator, body):
    licence = ops.licence(LicenceMode.VERIFICATION_ONLY, columns=["身份证号", "区"])
    response = post(as_operator, licence, body)
    assert response.status_code in (400, 403)
    assert "records" not in response.json() and "match" not in response.json()


# --------------------------------------------------------------------------- console / preview


def test_console_shows_suppressed_groups_and_refuses_rows_for_an_aggregates_licence(
    ops, as_operator
):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    url = f"/operations/operator/licences/{licence.pk}/"
    page = as_operator.post(url, {"kind": "aggregate", "group_by": "区", "aggregate": "count:*"})
    text = page.content.decode()
    assert "天河区" in text and "越秀区" not in text
    assert 'id="suppressed"' in text
    refused = as_operator.post(url, {"kind": "records", "fields": ["区"]}).content.decode()
    assert 'id="console-error"' in refused
    assert 'id="console-result"' not in refused


def test_console_preview_of_a_rows_licence_shows_only_licensed_columns(ops, as_operator):
    licence = ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"])
    page = as_operator.post(f"/operations/operator/licences/{licence.pk}/", {"kind": "records"})
    assert page.status_code == 200
    assert "天河区" in page.content.decode()
    _no_secret(page)


def test_the_open_datastore_api_does_not_widen_for_a_licence_holder(ops, client):
    ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"])
    client.force_login(ops.operator_user)
    distribution = ops.people_table.distribution_id
    response = client.get(f"/api/v1/datastore/{distribution}/records", {"fields": "姓名"})
    assert response.status_code in (401, 403)
    _no_secret(response)


def test_the_portal_dataset_page_shows_a_licence_holder_no_preview_of_conditional_data(ops, client):
    ops.licence(LicenceMode.IN_DOMAIN_ROWS, columns=["区", "金额"])
    client.force_login(ops.operator_user)
    page = client.get(f"/datasets/{ops.people_ds.slug}/")
    assert page.status_code == 200
    text = page.content.decode()  # the field list is public metadata; the values are not
    assert "甲1" not in text and "440101199001011234" not in text and "天河区" not in text
