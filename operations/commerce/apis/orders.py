"""Orders: quote, accept (credential shown once), close, rotate the credential, usage."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from operations.commerce import selectors
from operations.commerce.apis.billing import IDEMPOTENCY
from operations.commerce.apis.common import CommerceInput, OrderOut
from operations.commerce.idempotency import idempotent
from operations.commerce.models import PurposeClass
from operations.commerce.services import orders
from portal.developer import keys
from registry.api_common import StandardPagination
from registry.apis.common import problems
from registry.errors import NotFound

TAGS = ["operations-commerce"]


class OrderListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceOrderListCreateInput"

        product = serializers.IntegerField()
        consumer = serializers.IntegerField(required=False, help_text="When you act for several.")
        purpose_class = serializers.ChoiceField(choices=PurposeClass.choices)
        scenario = serializers.CharField(max_length=300)
        priority_scenario = serializers.IntegerField(required=False)
        attestation = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        evidence = serializers.FileField(required=False)

    @extend_schema(tags=TAGS, responses={200: OrderOut(many=True)}, summary="Orders I may see")
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.orders_for(request.user), request, view=self)
        return paginator.get_paginated_response(OrderOut(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=InputSerializer,
        responses={201: OrderOut, **problems(400, 404, 409)},
        summary="Order a listed product for a purpose class (quoted at once)",
    )
    def post(self, request):
        def run():
            data = self.InputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            consumers = selectors.consumers_of(request.user)
            consumer_id = values.pop("consumer", None)
            consumer = (
                consumers.filter(pk=consumer_id).first() if consumer_id else consumers.first()
            )
            if consumer is None:
                raise NotFound("You act for no consumer organisation with this id.")
            product = selectors.access_product(user=request.user, product_id=values.pop("product"))
            order = orders.order_create(
                actor=request.user,
                consumer=consumer,
                product=product,
                data=values,
                now=timezone.now(),
            )
            return Response(OrderOut(order).data, status=status.HTTP_201_CREATED)

        return idempotent(request, run)


class OrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: OrderOut, **problems(404)})
    def get(self, request, order_id: int):
        return Response(OrderOut(selectors.access_order(user=request.user, order_id=order_id)).data)


_KEY_OUT = inline_serializer(
    "OrderKeyOutput",
    {
        "order": OrderOut(),
        "key": serializers.CharField(
            allow_null=True,
            help_text="Shown once; never stored. null in a replayed response "
            "(Idempotent-Replayed: true): rotate the credential if the first response was lost.",
        ),
        "key_prefix": serializers.CharField(help_text="The key's public prefix."),
    },
)
KEY_NOT_REPLAYED = (
    "The credential is shown once, in the first response to this Idempotency-Key, and is not "
    "stored. If that response was lost, rotate the order's credential."
)


def _key_response(order, key: str) -> Response:
    prefix, _ = keys.parse_key(key)
    return Response({"order": OrderOut(order).data, "key": key, "key_prefix": prefix})


def _without_key(body: dict) -> dict:
    """What an accept or rotation stores for its replay: everything but the plaintext key."""
    return {**body, "key": None, "detail": KEY_NOT_REPLAYED}


class OrderAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=None,
        responses={200: _KEY_OUT, **problems(404, 409)},
        summary="Accept the quote: the order becomes active and a credential is issued",
    )
    def post(self, request, order_id: int):
        def run():
            order = selectors.access_order(user=request.user, order_id=order_id)
            order, key = orders.order_accept(actor=request.user, order=order, now=timezone.now())
            return _key_response(order, key)

        return idempotent(request, run, redact=_without_key)


class CredentialRotateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=None,
        responses={200: _KEY_OUT, **problems(404, 409)},
    )
    def post(self, request, order_id: int):
        def run():
            order = selectors.access_order(user=request.user, order_id=order_id)
            key = orders.credential_rotate(actor=request.user, order=order, now=timezone.now())
            return _key_response(order, key)

        return idempotent(request, run, redact=_without_key)


class OrderCloseApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(CommerceInput):
        class Meta:
            ref_name = "CommerceOrderCloseInput"

        reason = serializers.CharField(max_length=2000)

    @extend_schema(
        tags=TAGS,
        parameters=[IDEMPOTENCY],
        request=InputSerializer,
        responses={200: OrderOut, **problems(400, 404, 409)},
    )
    def post(self, request, order_id: int):
        def run():
            order = selectors.access_order(user=request.user, order_id=order_id)
            data = self.InputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            order = orders.order_close(
                actor=request.user,
                order=order,
                reason=data.validated_data["reason"],
                now=timezone.now(),
            )
            return Response(OrderOut(order).data)

        return idempotent(request, run)


class UsageOut(serializers.Serializer):
    request_id = serializers.UUIDField(source="usage.request_id")
    at = serializers.DateTimeField()
    calls = serializers.IntegerField()
    records = serializers.IntegerField()
    bytes = serializers.IntegerField()
    billable = serializers.BooleanField()
    status = serializers.IntegerField(source="usage.status")
    price_version = serializers.IntegerField(
        source="price_version.number", allow_null=True, default=None
    )


class OrderUsageApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: UsageOut(many=True), **problems(404)},
        summary="Metered calls of an order",
    )
    def get(self, request, order_id: int):
        order = selectors.access_order(user=request.user, order_id=order_id)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.usage_for(request.user, order), request, view=self
        )
        return paginator.get_paginated_response(UsageOut(page, many=True).data)
