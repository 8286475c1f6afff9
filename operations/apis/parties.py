from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from operations import selectors, services
from operations.apis.common import TAGS, OperationsApi, Strict, problems
from operations.models import (
    DocumentKind,
    IdentityVerification,
    Party,
    QualificationDocument,
    SecurityCommitment,
    VerificationMethod,
    VerificationResult,
)
from registry.errors import NotFound


class PartyOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name")
    credit_code = serializers.CharField(source="organisation.credit_code")

    class Meta:
        model = Party
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "legal_representative",
            "authorised_contact",
            "identity_verified_at",
        ]


class VerificationOutput(serializers.ModelSerializer):
    verified_by = serializers.CharField(source="verified_by.username")

    class Meta:
        model = IdentityVerification
        fields = ["id", "method", "result", "note", "verified_at", "verified_by"]


class MyPartiesApi(OperationsApi):
    @extend_schema(
        tags=TAGS,
        operation_id="operations_my_parties",
        summary="The agencies and operators I act for",
        responses={200: PartyOutput(many=True), **problems(401)},
    )
    def get(self, request):
        return Response(PartyOutput(selectors.parties_of(request.user), many=True).data)


class PartyVerificationApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsPartyVerificationInput"

        method = serializers.ChoiceField(VerificationMethod.choices)
        result = serializers.ChoiceField(VerificationResult.choices)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_party_verify",
        summary="Record an identity verification (agency staff for operators; platform administrators)",
        request=InputSerializer,
        responses={201: VerificationOutput, **problems(400, 401, 403, 404)},
    )
    def post(self, request, party_id: int):
        party = Party.objects.filter(pk=party_id).first()
        if party is None:
            raise NotFound("No party with this id.")
        data = self.InputSerializer.validated(request.data)
        record = services.party_verify(actor=request.user, party=party, now=timezone.now(), **data)
        return Response(VerificationOutput(record).data, status=201)


class DocumentOutput(serializers.ModelSerializer):
    class Meta:
        model = QualificationDocument
        fields = ["id", "kind", "title", "valid_until", "uploaded_at"]


class PartyDocumentApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsPartyDocumentInput"

        kind = serializers.ChoiceField(DocumentKind.choices)
        title = serializers.CharField(max_length=200)
        valid_until = serializers.DateField(required=False, allow_null=True)
        file = serializers.FileField(required=False)

    @extend_schema(
        tags=TAGS,
        operation_id="operations_party_document",
        summary="Add a qualification document (the party's staff, agency staff, admins)",
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutput, **problems(400, 401, 403, 404)},
    )
    def post(self, request, party_id: int):
        party = _party(party_id)
        data = self.InputSerializer.validated(request.data)
        document = services.party_document_add(
            actor=request.user,
            party=party,
            kind=data["kind"],
            title=data["title"],
            upload=data.get("file"),
            valid_until=data.get("valid_until"),
            now=timezone.now(),
        )
        return Response(DocumentOutput(document).data, status=201)


class CommitmentOutput(serializers.ModelSerializer):
    class Meta:
        model = SecurityCommitment
        fields = ["id", "text", "signed_by", "signed_on", "recorded_at"]


class PartyCommitmentApi(OperationsApi):
    class InputSerializer(Strict):
        class Meta:
            ref_name = "OperationsPartyCommitmentInput"

        text = serializers.CharField(max_length=4000)
        signed_by = serializers.CharField(max_length=100)
        signed_on = serializers.DateField()

    @extend_schema(
        tags=TAGS,
        operation_id="operations_party_commitment",
        summary="Record a signed security commitment",
        request=InputSerializer,
        responses={201: CommitmentOutput, **problems(400, 401, 403, 404)},
    )
    def post(self, request, party_id: int):
        party = _party(party_id)
        data = self.InputSerializer.validated(request.data)
        commitment = services.party_commitment_record(
            actor=request.user,
            party=party,
            commitment=data["text"],
            signed_by=data["signed_by"],
            signed_on=data["signed_on"],
            now=timezone.now(),
        )
        return Response(CommitmentOutput(commitment).data, status=201)


def _party(party_id: int) -> Party:
    party = Party.objects.filter(pk=party_id).first()
    if party is None:
        raise NotFound("No party with this id.")
    return party
