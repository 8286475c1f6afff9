"""The OpenAPI document describes every registry endpoint, validates, and has no warnings."""

from __future__ import annotations

import json

from django.core.management import call_command

REGISTRY_PATHS = [
    "regions/",
    "regions/{code}/",
    "platforms/",
    "organisations/",
    "me/",
    "registrations/",
    "registrations/{id}/",
    "registrations/{id}/attachments/",
    "registrations/{id}/attachments/{attachment_id}/download",
    "registrations/{id}/events/",
    "registrations/{id}/submit",
    "registrations/{id}/withdraw",
    "registrations/{id}/accept",
    "registrations/{id}/require-supplement",
    "registrations/{id}/not-accept",
    "registrations/{id}/return",
    "registrations/{id}/reject",
    "registrations/{id}/approve-review",
    "registrations/{id}/complete",
    "notices/",
    "notices/{id}/",
    "notices/{id}/objections/",
    "objections/",
    "objections/{id}/uphold",
    "objections/{id}/dismiss",
    "records/",
    "records/{code}/",
    "records/{code}/versions/{number}/",
    "dashboard/",
]


def schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_lists_every_registry_endpoint(client, db):
    paths = schema(client)["paths"]

    missing = [p for p in REGISTRY_PATHS if f"/api/v1/registry/{p}" not in paths]
    assert missing == []


def test_every_registry_operation_documents_its_errors_as_problem_json(client, db):
    paths = schema(client)["paths"]

    for path, operations in paths.items():
        if not path.startswith("/api/v1/registry/"):
            continue
        for method, operation in operations.items():
            if method == "parameters":
                continue
            errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
            assert errors, (method, path)
            for response in errors.values():
                assert "application/problem+json" in response["content"], (method, path)


def test_the_documented_request_bodies_hold_no_state_or_owner_fields(client, db):
    components = schema(client)["components"]["schemas"]

    for name in ("RegistrationCreateRequest", "PatchedRegistrationUpdateRequest"):
        properties = set(components[name]["properties"])
        assert properties.isdisjoint(
            {"status", "applicant", "platform", "resource", "code", "submitted_at", "mandate"}
        ), name
    transition = schema(client)["paths"]["/api/v1/registry/registrations/{id}/accept"]["post"]
    assert set(transition["responses"]) >= {"200", "403", "404", "409"}


def test_spectacular_validates_the_schema_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert "/api/v1/registry/records/{code}/" in target.read_text(encoding="utf-8")
