"""A party's qualification file on the pages: its staff upload documents and record security
commitments; the agency's staff read and download them to verify the operator; nobody else sees
them (404); bad uploads are refused beside the field and write nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from operations.models import QualificationDocument, SecurityCommitment
from tests.conftest import PDF_BYTES, make_user


def _upload(client, party, **overrides):
    data = {
        "action": "document",
        "kind": "business_licence",
        "title": "营业执照副本",
        "valid_until": "2030-12-31",
        "file": SimpleUploadedFile("licence.pdf", PDF_BYTES, content_type="application/pdf"),
        **overrides,
    }
    return client.post(reverse("operations:party", args=[party.pk]), data)


def test_the_operator_uploads_a_document_and_the_agency_downloads_it(ops, client):
    client.force_login(ops.operator_user)
    home = client.get(reverse("operations:operator-home")).content.decode()
    assert reverse("operations:party", args=[ops.operator.pk]) in home

    response = _upload(client, ops.operator)

    assert response.status_code == 302
    document = QualificationDocument.objects.get(party=ops.operator)
    assert (document.kind, document.title, str(document.valid_until)) == (
        "business_licence",
        "营业执照副本",
        "2030-12-31",
    )
    assert document.uploaded_by == ops.operator_user
    page = client.get(reverse("operations:party", args=[ops.operator.pk])).content.decode()
    assert "营业执照副本" in page and "2030-12-31" in page

    client.force_login(ops.agency_user)
    agency_home = client.get(reverse("operations:agency-home")).content.decode()
    assert reverse("operations:party", args=[ops.operator.pk]) in agency_home
    download = client.get(reverse("operations:party-document", args=[ops.operator.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_another_operator_or_a_stranger_gets_404_and_anonymous_users_log_in(ops, client):
    client.force_login(ops.operator_user)
    _upload(client, ops.operator)
    document = QualificationDocument.objects.get()
    urls = [
        reverse("operations:party", args=[ops.operator.pk]),
        reverse("operations:party-document", args=[ops.operator.pk, document.pk]),
    ]
    for user in (ops.other_operator_user, make_user("stranger")):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert _upload(client, ops.operator).status_code == 404
    assert QualificationDocument.objects.count() == 1
    client.logout()
    assert client.get(urls[0]).status_code == 302
    # A document of another party is not reachable through this party's address.
    client.force_login(ops.other_operator_user)
    _upload(client, ops.other_operator, title="他人的执照")
    other = QualificationDocument.objects.get(party=ops.other_operator)
    client.force_login(ops.operator_user)
    url = reverse("operations:party-document", args=[ops.operator.pk, other.pk])
    assert client.get(url).status_code == 404


def test_bad_uploads_are_refused_beside_the_field_and_write_nothing(ops, client):
    client.force_login(ops.operator_user)
    no_title = _upload(client, ops.operator, title="  ")
    disguised = _upload(
        client,
        ops.operator,
        file=SimpleUploadedFile(
            "licence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        ),
    )
    bad_date = _upload(client, ops.operator, valid_until="明年")

    for response in (no_title, disguised, bad_date):
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
    assert (
        "仅支持 PDF" in disguised.content.decode() or "Allowed: PDF" in disguised.content.decode()
    )
    assert not QualificationDocument.objects.exists()


def test_the_operator_records_a_security_commitment(ops, client):
    client.force_login(ops.operator_user)
    url = reverse("operations:party", args=[ops.operator.pk])
    response = client.post(
        url,
        {
            "action": "commitment",
            "commitment": "严格落实数据安全保护义务，原始数据不出域。",
            "signed_by": "张三",
            "signed_on": "2026-06-01",
        },
    )
    assert response.status_code == 302
    commitment = SecurityCommitment.objects.get(party=ops.operator)
    assert commitment.signed_by == "张三" and commitment.recorded_by == ops.operator_user
    assert "原始数据不出域" in client.get(url).content.decode()
    refused = client.post(
        url, {"action": "commitment", "commitment": "", "signed_by": "", "signed_on": ""}
    )
    assert refused.status_code == 200 and SecurityCommitment.objects.count() == 1
