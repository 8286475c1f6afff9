"""Workflow transitions: one POST endpoint per service. Each answers with the application as it
now stands, including the actions the requesting user may take next. Illegal source states are
a 409 naming the current state and the allowed actions; a reviewer acting on an application
outside their platform but within their sight is a 403, outside their sight a 404 (the
services, used by the pages too, answer 404 in both cases: the 403 is the API's courtesy to a
caller who can already see the application)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from registry import services
from registry.apis.common import (
    RegistrationOutputSerializer,
    StrictInputSerializer,
    SupplementItemSerializer,
    check_may_file,
    check_may_review,
    problems,
    registration_after_write,
    registration_data,
)
from registry.models import Registration
from registry.selectors import access_registration

TAGS = ["registration workflow"]
RESPONSES = {200: RegistrationOutputSerializer, **problems(400, 403, 404, 409)}


class NoInputSerializer(StrictInputSerializer):
    class Meta:
        ref_name = "NoInput"


class ReasonInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "ReasonInput"


class OptionalReasonInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "OptionalReasonInput"


class SupplementInputSerializer(StrictInputSerializer):
    items = serializers.ListField(child=SupplementItemSerializer(), min_length=1, max_length=100)

    class Meta:
        ref_name = "SupplementInput"


class TransitionApi(APIView):
    """Fetch within the user's sight (else 404), validate the body, run the service."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    input_serializer: ClassVar[type[serializers.Serializer]] = NoInputSerializer
    service: ClassVar[Callable[..., Registration]]
    by_filer: ClassVar[bool] = False

    def post(self, request, pk: int) -> Response:
        reg = access_registration(user=request.user, pk=pk)
        now = timezone.now()
        # Visible but not theirs to act on: a 403 that says why (the 404 came first).
        if self.by_filer:
            check_may_file(request.user, reg, now)
        else:
            check_may_review(request.user, reg)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        args: dict[str, Any] = dict(serializer.validated_data)
        if "items" in args:
            args["items"] = [dict(item) for item in args["items"]]
        reg = type(self).service(actor=request.user, registration=reg, now=now, **args)
        return Response(registration_data(registration_after_write(reg), request=request, now=now))


def _schema(summary: str, request=NoInputSerializer):
    return extend_schema(
        tags=TAGS,
        summary=summary,
        description="Answers with the application as it now stands and the caller's next "
        "`allowed_actions`.",
        request=request,
        responses=RESPONSES,
    )


@_schema("Submit (draft or supplemented → submitted; returned → under review)")
class SubmitApi(TransitionApi):
    by_filer = True
    service = services.registration_submit


@_schema("Withdraw an open application", OptionalReasonInputSerializer)
class WithdrawApi(TransitionApi):
    by_filer = True
    input_serializer = OptionalReasonInputSerializer
    service = services.registration_withdraw


@_schema("Accept (submitted → under formal review)")
class AcceptApi(TransitionApi):
    service = services.registration_accept


@_schema("Require a supplement: one notice listing every missing item", SupplementInputSerializer)
class RequireSupplementApi(TransitionApi):
    input_serializer = SupplementInputSerializer
    service = services.registration_require_supplement


@_schema("Do not accept (reason required)", ReasonInputSerializer)
class NotAcceptApi(TransitionApi):
    input_serializer = ReasonInputSerializer
    service = services.registration_not_accept


@_schema("Return for correction (reason required)", ReasonInputSerializer)
class ReturnApi(TransitionApi):
    input_serializer = ReasonInputSerializer
    service = services.registration_return


@_schema("Reject (reason required)", ReasonInputSerializer)
class RejectApi(TransitionApi):
    input_serializer = ReasonInputSerializer
    service = services.registration_reject


@_schema("Formal review passed: into public notice")
class ApproveReviewApi(TransitionApi):
    service = services.registration_approve_review


@_schema("Issue the code once the notice has ended with no objection pending")
class CompleteApi(TransitionApi):
    service = services.registration_complete
