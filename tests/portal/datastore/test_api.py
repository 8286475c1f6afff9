import datetime as dt
import json

import pytest
from django.utils import timezone

from portal.developer import services as key_services
from portal.models import UsageRecord
from tests.portal.datastore.conftest import load
from tests.portal.factories import make_dataset

CSV = "站点,区,线路数\n天河客运站,天河区,12\n体育中心,天河区,8\n公园前,越秀区,15\n".encode()


@pytest.fixture
def table(dataset):
    job, table = load(dataset, CSV)
    return table


def url(table, suffix="records"):
    return f"/api/v1/datastore/{table.distribution_id}/{suffix}"


def key_for(user, **kw):
    _, plaintext = key_services.key_create(
        user=user,
        name="测试",
        scope="all_open",
        expires_at=timezone.now() + dt.timedelta(days=30),
        now=timezone.now(),
        **kw,
    )
    return plaintext


def test_anonymous_query_on_unconditional_data_is_metered(client, table):
    response = client.get(url(table), {"filters": json.dumps({"区": "天河区"}), "sort": "-线路数"})
    assert response.status_code == 200
    body = response.json()
    assert [r["站点"] for r in body["records"]] == ["天河客运站", "体育中心"]
    assert body["total"] == 2 and body["total_estimated"] is False
    assert "X-RateLimit-Limit" in response
    usage = UsageRecord.objects.get(kind="api_call")
    assert usage.rows == 2 and usage.status == 200 and usage.bytes == len(response.content)
    table.distribution.dataset.refresh_from_db()
    assert table.distribution.dataset.api_call_count == 1


def test_info_describes_fields(client, table):
    response = client.get(f"/api/v1/datastore/{table.distribution_id}")
    assert response.status_code == 200
    assert [f["id"] for f in response.json()["fields"]] == ["站点", "区", "线路数"]
    assert response.json()["fields"][2]["type"] == "integer"


def test_post_body_queries_and_next_url_pages(client, table):
    response = client.post(
        url(table),
        {"filters": {"field": "线路数", "op": "gte", "value": 10}, "fields": ["站点"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["records"] == [{"站点": "天河客运站"}, {"站点": "公园前"}]
    first = client.get(url(table), {"limit": 2, "sort": "站点"}).json()
    second = client.get(first["next_url"]).json()
    assert len(first["records"]) == 2 and len(second["records"]) == 1
    assert second["next"] is None


def test_bad_queries_are_problem_documents(client, table):
    response = client.get(url(table), {"fields": "nope"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("unknown_field")
    assert problem["allowed_fields"] == ["站点", "区", "线路数"]
    assert (
        client.get(url(table) + "?limit=1&limit=2").json()["type"].endswith("duplicate_parameter")
    )
    assert client.get(url(table), {"limit": 5000}).json()["type"].endswith("limit_too_large")
    assert UsageRecord.objects.filter(kind="api_call").count() == 0


def test_unknown_resource_is_404(client, db):
    assert client.get("/api/v1/datastore/999999/records").status_code == 404


def test_a_key_in_the_url_is_refused(client, table):
    response = client.get(url(table), {"api_key": "abc"})
    assert response.status_code == 400


def test_bad_keys_get_one_generic_401(client, table, world):
    plaintext = key_for(world.citizen)
    good = client.get(url(table), HTTP_X_API_KEY=plaintext)
    assert good.status_code == 200
    # The last character changed (a key that ended in "x" was once "changed" to itself).
    bad = client.get(
        url(table), HTTP_X_API_KEY=plaintext[:-1] + ("y" if plaintext[-1] == "x" else "x")
    )
    garbage = client.get(url(table), HTTP_AUTHORIZATION="Api-Key nonsense")
    assert bad.status_code == garbage.status_code == 401
    assert bad.json()["detail"] == garbage.json()["detail"]


def test_conditional_data_needs_a_user_with_access(client, world):
    dataset = make_dataset(world, open_category="conditional")
    job, table = load(dataset, CSV)
    assert client.get(url(table)).status_code == 401
    assert client.get(url(table), HTTP_X_API_KEY=key_for(world.citizen)).status_code == 403
    assert client.get(url(table), HTTP_X_API_KEY=key_for(world.holder)).status_code == 200


def test_csv_export_streams_the_whole_result(client, table):
    response = client.get(url(table), {"format": "csv", "sort": "线路数"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        "站点,区,线路数",
        "体育中心,天河区,8",
        "天河客运站,天河区,12",
        "公园前,越秀区,15",
    ]


def test_holder_reingests_with_overrides_and_reads_the_job(client, world, table):
    client.force_login(world.holder)
    response = client.post(
        url(table, "ingest"),
        {"type_overrides": {"线路数": "text"}},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    status = client.get(f"/api/v1/datastore/jobs/{job_id}")
    assert status.status_code == 200 and status.json()["status"] == "queued"
    client.force_login(world.citizen)
    assert client.get(f"/api/v1/datastore/jobs/{job_id}").status_code == 404
    assert client.post(url(table, "ingest"), {}, content_type="application/json").status_code == 404


def test_the_schema_documents_the_datastore(client, db):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/datastore/{resource}/records" in schema["paths"]


def test_ckan_datastore_search_answers_as_ckan_does(client, table):
    response = client.get(
        "/api/3/action/datastore_search",
        {
            "resource_id": table.distribution_id,
            "filters": json.dumps({"区": "天河区"}),
            "sort": "线路数 desc",
            "limit": 1,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    result = body["result"]
    assert result["total"] == 2 and result["total_was_estimated"] is False
    assert result["records"][0]["站点"] == "天河客运站" and "_id" in result["records"][0]
    assert [f["id"] for f in result["fields"]] == ["_id", "站点", "区", "线路数"]
    assert result["fields"][3]["type"] == "int8"
    assert "offset=1" in result["_links"]["next"]
    lists = client.get(
        "/api/3/action/datastore_search",
        {
            "resource_id": table.distribution_id,
            "records_format": "lists",
            "fields": "站点",
            "include_total": "false",
        },
    ).json()["result"]
    assert "total" not in lists and lists["records"][0][1] == "天河客运站"


def test_ckan_datastore_errors_keep_ckans_envelope(client, table):
    bad = client.get(
        "/api/3/action/datastore_search", {"resource_id": table.distribution_id, "fields": "nope"}
    )
    assert bad.status_code == 409 and bad.json()["error"]["__type"] == "Validation Error"
    missing = client.get("/api/3/action/datastore_search", {"resource_id": 99999})
    assert missing.status_code == 404 and missing.json()["success"] is False
    assert client.get("/api/3/action/datastore_search").status_code == 409


def test_ckan_datastore_info_lists_fields_and_count(client, table):
    result = client.get("/api/3/action/datastore_info", {"id": table.distribution_id}).json()[
        "result"
    ]
    assert result["meta"]["count"] == 3
    assert [f["id"] for f in result["fields"]] == ["站点", "区", "线路数"]


def test_dataset_page_has_an_api_section_with_fields_and_examples(client, table):
    dataset = table.distribution.dataset
    page = client.get(f"/datasets/{dataset.slug}/").content.decode()
    assert f"/api/v1/datastore/{table.distribution_id}/records" in page
    assert "<code>线路数</code>" in page


def test_holder_sees_job_progress_and_reingests_with_types_from_the_staff_page(
    client, world, table
):
    dataset = table.distribution.dataset
    client.force_login(world.holder)
    page_url = f"/publish/datasets/{dataset.slug}/files/{table.distribution_id}/"
    page = client.get(page_url).content.decode()
    assert "<progress" in page and 'name="type:线路数"' in page
    response = client.post(page_url + "reingest/", {"type:线路数": "text"})
    assert response.status_code == 302
    from portal.datastore.models import IngestJob

    job = IngestJob.objects.filter(version=table.version).order_by("-id").first()
    assert job.status == "queued" and job.type_overrides["线路数"] == "text"
    bad = client.post(page_url + "reingest/", {"type:线路数": "blob"}, follow=True)
    assert "Allowed types" in bad.content.decode() or "允许" in bad.content.decode()
    client.force_login(world.citizen)
    assert client.post(page_url + "reingest/", {"type:线路数": "text"}).status_code == 404


def test_the_anonymous_daily_quota_is_a_429_with_retry_after(client, table):
    from portal.developer.models import ApiPlan

    ApiPlan.objects.filter(code="anonymous").update(quota_per_day=2, account_quota_per_day=2)
    statuses = [client.get(url(table)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get(url(table))
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
    assert "headers" not in refused.json()
    assert UsageRecord.objects.filter(kind="api_call", status=200).count() == 2


def test_a_metered_records_call_with_a_key_makes_at_most_twelve_statements(
    client, table, django_assert_max_num_queries
):
    from tests.conftest import make_user

    plaintext = key_for(make_user("api_caller"))
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {plaintext}"}
    params = {"filters": json.dumps({"区": "天河区"}), "sort": "-线路数", "total": "none"}
    assert client.get(url(table), params, **headers).status_code == 200  # warm caches
    # Key, table, rate bump, then in one transaction: settings, query, settings back, usage
    # row, quota bump (savepoints of the test's own transaction included).
    with django_assert_max_num_queries(12):
        response = client.get(url(table), params, **headers)
    assert response.status_code == 200
    assert [r["站点"] for r in response.json()["records"]] == ["天河客运站", "体育中心"]
    assert response["X-Quota-Remaining"] and response["X-RateLimit-Remaining"]
    assert UsageRecord.objects.filter(kind="api_call", status=200).count() == 2


def test_a_records_call_that_times_out_is_a_503_recorded_without_quota(
    client, table, settings, monkeypatch
):
    from psycopg import sql

    from portal.datastore import execute

    settings.DATASTORE_STATEMENT_TIMEOUT_MS = 50
    # The page is read by `execute.run_json`, through `records_json_sql`.
    monkeypatch.setattr(
        execute, "records_json_sql", lambda table, spec: (sql.SQL("SELECT pg_sleep(2)"), [])
    )
    response = client.get(url(table))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("query_timeout")
    assert list(UsageRecord.objects.values_list("status", flat=True)) == [503]
    table.distribution.dataset.refresh_from_db()
    assert table.distribution.dataset.api_call_count == 0
    monkeypatch.undo()
    # The connection is usable again and the next call is served and counted.
    assert client.get(url(table)).status_code == 200
    assert UsageRecord.objects.filter(status=200).count() == 1
