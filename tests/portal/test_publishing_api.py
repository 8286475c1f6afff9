"""The publishing API: holder staff only, scoped to their organisations, strict input
(unknown and read-only names are a 400 naming them), problem+json errors, OpenAPI coverage."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from portal.models import Dataset, DatasetStatus
from tests.portal.publishing_helpers import add_file, coded_record, publish

LIST = "/api/v1/portal/datasets/"


def detail(dataset) -> str:
    return reverse("portal-api:my-dataset-detail", args=[dataset.slug])


def post_json(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def basic(user) -> dict:
    token = base64.b64encode(f"{user.username}:pw-123456!".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_publishing_through_the_api_with_basic_auth(client, world):
    resource = coded_record(world, name="广州市共享单车停放点")

    response = post_json(
        client,
        LIST,
        {"record_code": resource.code, "tags": ["单车", "停放"]},
        **basic(world.holder),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["record_code"] == resource.code
    assert body["title"] == "广州市共享单车停放点"
    assert body["status"] == "published" and body["open_category"] == "unconditional"
    assert body["tags"] == ["单车", "停放"]
    assert body["distributions"] == [] and body["overdue"] is False
    assert Dataset.objects.get().slug == body["slug"]


def test_the_list_holds_only_my_organisations_datasets(client, world):
    mine = publish(world)
    other_record = coded_record(world, name="别人的数据")
    publish(world, resource=other_record)  # the same holder: also mine
    client.force_login(world.other_holder)

    theirs = client.get(LIST).json()

    assert theirs["count"] == 0
    client.force_login(world.holder)
    assert {d["slug"] for d in client.get(LIST).json()["results"]} >= {mine.slug}


@pytest.mark.parametrize(
    "field", ["status", "holder", "open_category", "slug", "download_count", "published_at"]
)
def test_registry_and_platform_fields_are_a_400_naming_them(client, world, field):
    resource = coded_record(world)
    client.force_login(world.holder)

    response = post_json(client, LIST, {"record_code": resource.code, field: "x"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][field] == ["This field is read-only."]
    assert not Dataset.objects.exists()


def test_unknown_fields_and_bad_values_are_named(client, world):
    resource = coded_record(world)
    client.force_login(world.holder)

    response = post_json(
        client, LIST, {"record_code": resource.code, "colour": "red", "licence": "nope", "tags": 5}
    )

    errors = response.json()["errors"]
    assert response.status_code == 400
    assert errors["colour"] == ["Unknown field."]
    assert "tags" in errors


def test_service_validation_errors_are_problem_json_too(client, world):
    resource = coded_record(world)
    client.force_login(world.holder)

    response = post_json(client, LIST, {"record_code": resource.code, "licence": "nope"})

    assert response.status_code == 400
    assert response.json()["errors"]["licence"][0].startswith("Unknown value 'nope'")


def test_publishing_a_record_twice_is_409(client, world):
    dataset = publish(world)
    client.force_login(world.holder)

    response = post_json(client, LIST, {"record_code": dataset.resource.code})

    assert response.status_code == 409
    assert response.json()["type"].endswith("/conflict")


def test_another_organisations_record_is_404(client, world):
    resource = coded_record(world)
    client.force_login(world.other_holder)

    response = post_json(client, LIST, {"record_code": resource.code})

    assert response.status_code == 404


def test_people_who_are_not_holder_staff_are_refused(client, world):
    assert client.get(LIST).status_code in (401, 403)
    client.force_login(world.citizen)
    response = client.get(LIST)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_reading_a_dataset_with_its_files(client, world):
    dataset = publish(world)
    version = add_file(world, dataset, content=b"a,b\n1,2\n")
    client.force_login(world.holder)

    body = client.get(detail(dataset)).json()

    (dist,) = body["distributions"]
    assert dist["format"] == "CSV"
    assert dist["current_version"]["sha256"] == version.sha256
    assert dist["current_version"]["preview"] == {"columns": ["a", "b"], "rows": [["1", "2"]]}
    assert dist["latest_url"].endswith(f"/datasets/{dataset.slug}/files/{dist['id']}/latest")


def test_another_organisations_dataset_is_404(client, world):
    dataset = publish(world)
    client.force_login(world.other_holder)

    assert client.get(detail(dataset)).status_code == 404
    assert (
        client.patch(detail(dataset), {"title": "x"}, content_type="application/json").status_code
        == 404
    )


def test_patching_changes_only_the_fields_sent(client, world):
    dataset = publish(world, data={"tags": ["公交"]})
    client.force_login(world.holder)

    response = client.patch(
        detail(dataset), {"title": "新标题", "tags": "甲、乙"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "新标题"
    assert response.json()["tags"] == ["甲", "乙"]
    patched = client.patch(
        detail(dataset), {"status": "withdrawn"}, content_type="application/json"
    )
    assert patched.status_code == 400
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED


def test_withdraw_and_republish(client, world):
    dataset = publish(world)
    client.force_login(world.holder)
    withdraw = reverse("portal-api:dataset-withdraw", args=[dataset.slug])

    assert post_json(client, withdraw, {}).status_code == 400
    assert post_json(client, withdraw, {"reason": "整改"}).json()["status"] == "withdrawn"
    again = post_json(client, withdraw, {"reason": "整改"})
    assert again.status_code == 409
    assert again.json()["current_state"] == "withdrawn"
    back = client.post(reverse("portal-api:dataset-republish", args=[dataset.slug]))
    assert back.status_code == 200 and back.json()["status"] == "published"


def test_creating_a_distribution_then_uploading_to_it(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dataset = publish(world)
    client.force_login(world.holder)

    created = post_json(
        client,
        reverse("portal-api:distribution-create", args=[dataset.slug]),
        {"title": "年度汇总", "description": "按年"},
    )
    dist_id = created.json()["id"]
    url = reverse("portal-api:distribution-versions", args=[dataset.slug, dist_id])
    uploaded = client.post(url, {"file": SimpleUploadedFile("年度.csv", b"a\n1\n")})
    refused = client.post(url, {"file": SimpleUploadedFile("x.csv", b"MZ\x90\x00" + b"\x00" * 60)})
    missing = client.post(url, {"note": "x"})
    listed = client.get(url)

    assert created.status_code == 201 and created.json()["current_version"] is None
    assert uploaded.status_code == 201 and uploaded.json()["number"] == 1
    assert refused.status_code == 400
    assert refused.json()["errors"]["file"] == ["The file is an executable program, not data."]
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {"note"}
    assert [v["number"] for v in listed.json()] == [1]


# --------------------------------------------------------------------------- OpenAPI

PORTAL_PATHS = [
    "datasets/",
    "datasets/{slug}/",
    "datasets/{slug}/withdraw",
    "datasets/{slug}/republish",
    "datasets/{slug}/distributions/",
    "datasets/{slug}/distributions/{distribution_id}/versions/",
]


def test_the_schema_documents_every_publishing_endpoint_and_its_errors(client, db):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    for path in PORTAL_PATHS:
        operations = paths[f"/api/v1/portal/{path}"]
        for method, operation in operations.items():
            if method == "parameters":
                continue
            errors = {c: r for c, r in operation["responses"].items() if c >= "400"}
            assert errors, (method, path)
            assert all("application/problem+json" in r["content"] for r in errors.values())
    upload = paths["/api/v1/portal/datasets/{slug}/distributions/{distribution_id}/versions/"]
    assert "413" in upload["post"]["responses"]
    assert "multipart/form-data" in upload["post"]["requestBody"]["content"]
