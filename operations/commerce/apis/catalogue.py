"""Products, ceilings, prices, the public price list and product calls."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from operations import selectors as ops_selectors
from operations.commerce import metering, selectors
from operations.commerce.apis.common import (
    CeilingOut,
    CommerceInput,
    PriceOut,
    ProductDetailOut,
    ProductOut,
)
from operations.commerce.models import ChargingUnit, ProductKind, TariffShape
from operations.commerce.services import pricing, products
from portal.developer.access import request_id_of
from registry.api_common import StandardPagination
from registry.apis.common import problems
from registry.errors import NotFound
from registry.models import ObjectType, Resource

TAGS = ["operations-commerce"]


class ProductListCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceProductListCreateInput"

        licence = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=ProductKind.choices)
        name = serializers.CharField(max_length=200)
        summary = serializers.CharField(max_length=4000)
        data_source_statement = serializers.CharField(max_length=4000)
        query = serializers.JSONField()
        parameters = serializers.JSONField(required=False)

    @extend_schema(tags=TAGS, responses={200: ProductOut(many=True)}, summary="Products I may see")
    def get(self, request):
        qs = selectors.products_for(request.user)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProductOut(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: ProductDetailOut, **problems(400, 404)},
        summary="Create a draft product on one of my operator's licences",
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        licence = ops_selectors.access_licence(user=request.user, licence_id=values.pop("licence"))
        product = products.product_create(
            actor=request.user, licence=licence, data=values, now=timezone.now()
        )
        return Response(ProductDetailOut(product).data, status=status.HTTP_201_CREATED)


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: ProductDetailOut, **problems(404)})
    def get(self, request, product_id: int):
        product = selectors.access_product(user=request.user, product_id=product_id)
        return Response(ProductDetailOut(product).data)


class ProductRecordApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceProductRecordInput"

        record_code = serializers.CharField(max_length=40)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: ProductDetailOut, **problems(400, 404)},
        summary="Attach the product's registry record (type 2, data product or service)",
    )
    def post(self, request, product_id: int):
        product = selectors.access_own_product(user=request.user, product_id=product_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = Resource.objects.filter(
            code=data.validated_data["record_code"],
            object_type=ObjectType.DATA_PRODUCT,
            holder=product.operator.organisation,
        ).first()
        if record is None:
            raise NotFound("No product record of this operator has that code.")
        product = products.product_attach_record(
            actor=request.user, product=product, record=record, now=timezone.now()
        )
        return Response(ProductDetailOut(product).data)


class ProductTransitionApi(APIView):
    permission_classes = [IsAuthenticated]
    action = ""

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceProductTransitionInput"

        reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: ProductDetailOut, **problems(400, 404, 409)},
        summary="List, suspend or withdraw a product",
    )
    def post(self, request, product_id: int):
        product = selectors.access_own_product(user=request.user, product_id=product_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        if self.action == "list":
            product = products.product_list(actor=request.user, product=product, now=now)
        else:
            product = products.product_set_status(
                actor=request.user,
                product=product,
                status=self.action,
                reason=data.validated_data.get("reason", ""),
                now=now,
            )
        return Response(ProductDetailOut(product).data)


class CeilingCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceCeilingCreateInput"

        unit = serializers.ChoiceField(choices=ChargingUnit.choices)
        amount = serializers.DecimalField(max_digits=16, decimal_places=6, min_value=0)
        basis = serializers.CharField(max_length=2000)
        document_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: CeilingOut, **problems(400, 404)},
        summary="Set a ceiling (implementing agency); live prices above it are suspended",
    )
    def post(self, request, product_id: int):
        product = selectors.access_agency_product(user=request.user, product_id=product_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ceiling = pricing.ceiling_set(
            actor=request.user, product=product, now=timezone.now(), **data.validated_data
        )
        return Response(CeilingOut(ceiling).data, status=status.HTTP_201_CREATED)


class PricePublishApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommercePricePublishInput"

        unit = serializers.ChoiceField(choices=ChargingUnit.choices)
        shape = serializers.ChoiceField(choices=TariffShape.choices)
        unit_price = serializers.DecimalField(
            max_digits=16, decimal_places=6, min_value=0, required=False
        )
        tiers = serializers.JSONField(required=False)
        period_fee = serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=0, required=False
        )
        included_quantity = serializers.DecimalField(
            max_digits=20, decimal_places=6, min_value=0, required=False
        )

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: PriceOut, **problems(400, 404)},
        summary="Publish a price version (must be at or below every ceiling in force)",
    )
    def post(self, request, product_id: int):
        product = selectors.access_own_product(user=request.user, product_id=product_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        price = pricing.price_publish(
            actor=request.user, product=product, data=dict(data.validated_data), now=timezone.now()
        )
        return Response(PriceOut(price).data, status=status.HTTP_201_CREATED)


class PriceListApi(APIView):
    """明码标价: every listed product with its ceilings and actual price."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, responses={200: ProductDetailOut(many=True)}, summary="Public price list"
    )
    def get(self, request):
        qs = selectors.products_listed().prefetch_related("ceilings", "prices")
        return Response(ProductDetailOut(qs, many=True).data)


class ProductCallApi(APIView):
    """Call a product with the order's credential (`Authorization: Api-Key <key>` or
    `X-API-Key`). Metered on the order; refused calls are not billed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=TAGS,
        request=inline_serializer(
            "ProductCallInput", {"parameters": serializers.DictField(required=False)}
        ),
        responses={200: OpenApiTypes.OBJECT, **problems(400, 403, 404, 409)},
        summary="Call a product under its licence (metered)",
    )
    def post(self, request, product_id: int):
        auth = request.headers.get("Authorization", "")
        scheme, _, credentials = auth.strip().partition(" ")
        raw = (
            credentials.strip() if scheme.lower() == "api-key" else request.headers.get("X-API-Key")
        )
        credential = metering.authenticate(raw)
        values = request.data.get("parameters") or {} if isinstance(request.data, dict) else {}
        if not isinstance(values, dict):
            values = {}
        request_id, _ = request_id_of(request)
        result = metering.product_call(
            credential=credential, product_id=product_id, values=values, request_id=request_id
        )
        response = HttpResponse(result.body, content_type="application/json")
        response["X-Request-ID"] = str(result.usage.usage.request_id)
        return response
