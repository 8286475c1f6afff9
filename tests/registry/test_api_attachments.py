"""Attachments through the API: size limit (413 before buffering), type sniffed from the bytes,
hostile names kept only as metadata, downloads as attachments to those who can see them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import Attachment
from tests.conftest import PDF_BYTES, pdf

API = "/api/v1/registry/"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def upload(client, reg_id: int, file, kind: str = "description", **extra):
    return client.post(
        API + f"registrations/{reg_id}/attachments/", {"kind": kind, "file": file, **extra}
    )


def raw_multipart(filename: str, content: bytes, kind: str = "description") -> tuple[bytes, str]:
    """A multipart body written by hand: Django's test client would strip the directories
    from a hostile file name before sending it."""
    boundary = "----registry-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_holder_attaches_a_pdf_and_gets_its_digest(client, world):
    reg = world.draft(attach=False)
    client.force_login(world.holder)

    response = upload(client, reg.pk, pdf("数据说明.pdf"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "description"
    assert body["original_name"] == "数据说明.pdf"
    assert body["size"] == len(PDF_BYTES)
    assert body["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert body["content_type"] == "application/pdf"
    listed = client.get(API + f"registrations/{reg.pk}/attachments/").json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_a_file_over_the_limit_is_refused_while_streaming(client, world, settings):
    settings.REGISTRY_ATTACHMENT_MAX_BYTES = 1024
    reg = world.draft(attach=False)
    client.force_login(world.holder)

    too_big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2000, "application/pdf")

    response = upload(client, reg.pk, too_big)

    assert "1024" in problem(response, 413)["detail"]
    assert not Attachment.objects.filter(registration=reg).exists()


def test_a_request_body_far_over_the_limit_is_refused_before_reading(client, world, settings):
    settings.REGISTRY_ATTACHMENT_MAX_BYTES = 1024
    reg = world.draft(attach=False)
    client.force_login(world.holder)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 200_000, "application/pdf")

    problem(upload(client, reg.pk, big), 413)

    assert not Attachment.objects.filter(registration=reg).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("report.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 120),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 120),
        ("scan.png", PDF_BYTES),  # a real PDF whose name claims another type
        ("notes.txt", b"plain text"),
    ],
    ids=["html-as-pdf", "elf-as-pdf", "exe", "exe-as-pdf", "pdf-as-png", "text"],
)
def test_content_that_is_not_an_allowed_document_is_refused(client, world, name, content):
    reg = world.draft(attach=False)
    client.force_login(world.holder)

    response = upload(client, reg.pk, SimpleUploadedFile(name, content, "application/pdf"))

    assert "file" in problem(response, 400)["errors"]
    assert not Attachment.objects.filter(registration=reg).exists()


def test_a_hostile_file_name_is_kept_only_as_metadata(client, world, settings):
    reg = world.draft(attach=False)
    client.force_login(world.holder)
    body, content_type = raw_multipart("../../etc/passwd.pdf", PDF_BYTES)

    response = client.post(
        API + f"registrations/{reg.pk}/attachments/", body, content_type=content_type
    )

    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert attachment.original_name == "passwd.pdf"
    assert "passwd" not in attachment.file.name
    assert ".." not in attachment.file.name
    assert attachment.file.name.startswith("registry/attachments/")
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not list(Path(settings.MEDIA_ROOT).rglob("passwd*"))


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"kind": "selfie"}, "kind"), ({"registration": "1"}, "registration"), ({"file": ""}, "file")],
)
def test_attachment_fields_are_validated(client, world, extra, field):
    reg = world.draft(attach=False)
    client.force_login(world.holder)
    data = {"kind": "description", "file": pdf(), **extra}

    response = client.post(API + f"registrations/{reg.pk}/attachments/", data)

    assert field in problem(response, 400)["errors"]
    assert not Attachment.objects.filter(registration=reg).exists()


def test_attaching_to_a_submitted_application_is_a_409(client, world):
    reg = world.submitted()
    client.force_login(world.holder)

    body = problem(upload(client, reg.pk, pdf()), 409)

    assert body["current_state"] == "submitted"
    assert reg.attachments.count() == 2


@pytest.mark.parametrize(("persona", "status"), [("other_holder", 404), ("reviewer", 403)])
def test_only_the_filer_may_attach(client, world, persona, status):
    reg = world.submitted()
    client.force_login(getattr(world, persona))

    problem(upload(client, reg.pk, pdf()), status)

    assert reg.attachments.count() == 2


# --------------------------------------------------------------------------- download


def test_download_is_an_attachment_with_an_rfc_6266_name_and_nosniff(client, world):
    reg = world.draft(attach=False)
    client.force_login(world.holder)
    attachment_id = upload(client, reg.pk, pdf("数据说明 v1.pdf")).json()["id"]

    response = client.get(API + f"registrations/{reg.pk}/attachments/{attachment_id}/download")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('数据说明 v1.pdf', safe='')}" in disposition
    assert 'filename="' in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_reviewer_of_the_platform_may_download(client, world):
    reg = world.submitted()
    attachment = reg.attachments.first()
    client.force_login(world.reviewer)

    response = client.get(API + f"registrations/{reg.pk}/attachments/{attachment.pk}/download")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("persona", "status"),
    [("zj_reviewer", 404), ("other_holder", 404), ("citizen", 404), (None, 403)],
)
def test_those_who_cannot_see_the_application_cannot_download(client, world, persona, status):
    reg = world.submitted()
    attachment = reg.attachments.first()
    if persona:
        client.force_login(getattr(world, persona))

    response = client.get(API + f"registrations/{reg.pk}/attachments/{attachment.pk}/download")

    problem(response, status)


def test_an_attachment_id_from_another_application_is_not_found(client, world):
    mine = world.draft()
    theirs = world.draft(user=world.other_holder, holder=world.other_holder_org)
    client.force_login(world.holder)
    foreign = theirs.attachments.first()

    problem(client.get(API + f"registrations/{mine.pk}/attachments/{foreign.pk}/download"), 404)
