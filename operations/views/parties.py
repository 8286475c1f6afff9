"""A party's qualification file: its documents (营业执照, 等级保护证明, 资质证书 …), signed
data-security commitments and identity verifications. Its own staff add to it; those who vet
it (platform administrators; any agency's staff, for an operator) read it, download the
documents and add to it too. Anyone else gets a 404."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from operations import services
from operations.forms import CommitmentForm, DocumentForm
from operations.models import Party, QualificationDocument
from operations.views.common import attempt
from registry.views.filing import content_disposition


def _party(user, party_id: int) -> Party:
    party = Party.objects.select_related("organisation").filter(pk=party_id).first()
    if party is None or not services.may_see_party(user, party):
        raise Http404
    return party


@login_required
@require_http_methods(["GET", "POST"])
def party_detail(request: HttpRequest, party_id: int) -> HttpResponse:
    party = _party(request.user, party_id)
    action = request.POST.get("action")
    document_form = DocumentForm(
        request.POST if action == "document" else None,
        request.FILES if action == "document" else None,
    )
    commitment_form = CommitmentForm(request.POST if action == "commitment" else None)
    now = timezone.now()
    done = None
    if action == "document" and document_form.is_valid():
        data = document_form.cleaned_data
        done = attempt(
            request,
            document_form,
            lambda: services.party_document_add(
                actor=request.user,
                party=party,
                kind=data["kind"],
                title=data["title"],
                upload=data.get("file"),
                valid_until=data.get("valid_until"),
                now=now,
            ),
            _("材料已上传。"),
        )
    elif action == "commitment" and commitment_form.is_valid():
        done = attempt(
            request,
            commitment_form,
            lambda: services.party_commitment_record(
                actor=request.user, party=party, now=now, **commitment_form.cleaned_data
            ),
            _("安全承诺已记录。"),
        )
    if done:
        return redirect("operations:party", party.pk)
    context = {
        "nav": "",
        "party": party,
        "documents": party.documents.select_related("uploaded_by"),
        "commitments": party.commitments.select_related("recorded_by"),
        "verifications": party.verifications.select_related("verified_by"),
        "document_form": document_form,
        "commitment_form": commitment_form,
    }
    return render(request, "operations/party.html", context)


@login_required
def document_download(request: HttpRequest, party_id: int, document_id: int) -> HttpResponse:
    """Always as a download (never inline), named after the document's title."""
    party = _party(request.user, party_id)
    document = QualificationDocument.objects.filter(party=party, pk=document_id).first()
    if document is None or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = document.file.name.rsplit(".", 1)[-1].lower()
    content_type = mimetypes.guess_type(f"x.{extension}")[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(f"{document.title}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
