"""Conditional-access API under /api/v1/portal/access/: apply, follow, decide, revoke, report
use, and the public outcomes. Logged-in users (session or HTTP Basic); objects outside the
caller's scope are 404; status, decision and grant fields are never writable (a 400 names
them); illegal transitions are 409 with `current_state` and `allowed_actions`. Errors are RFC
9457 problem+json (registry.api_common)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.access import selectors, services
from portal.access.models import AccessApplication, Grant, UsageReport
from portal.models import Dataset
from portal.selectors import datasets_public
from registry.apis.common import StrictInputSerializer as RegistryStrict
from registry.apis.common import problems
from registry.errors import ValidationFailed

TAGS = ["portal: conditional access"]

# Names a client may read but never write (status, decision, grant, dates …): a 400 names them.
WRITABLE = {"purpose", "scenario", "security_measures", "period_days", "datasets", "content"}
READ_ONLY = (
    frozenset(
        {
            f.name
            for model in (AccessApplication, Grant, UsageReport)
            for f in model._meta.get_fields()
        }
        | {"allowed_actions", "overdue", "grant", "decision", "state", "extended"}
    )
    - WRITABLE
    - {"applicant_organisation", "contact_phone"}
)


class StrictInput(RegistryStrict):
    read_only_names = READ_ONLY


class DatasetRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class GrantOutputSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    number = serializers.CharField(source="application.number")
    holder = serializers.CharField(source="holder.name")
    datasets = DatasetRefSerializer(many=True)
    state = serializers.SerializerMethodField()
    report_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Grant
        ref_name = "AccessGrant"
        fields = [
            "id",
            "application",
            "number",
            "holder",
            "datasets",
            "status",
            "state",
            "starts_at",
            "expires_at",
            "report_interval_days",
            "next_report_due",
            "report_overdue",
            "revoked_at",
            "revoke_reason",
        ]

    def get_state(self, grant: Grant) -> str:
        return services.grant_state(grant, timezone.now())

    def get_report_overdue(self, grant: Grant) -> bool:
        return grant.report_overdue_at(timezone.now())


class ApplicationOutputSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.name")
    applicant = serializers.CharField(source="applicant.get_username")
    datasets = DatasetRefSerializer(many=True)
    extended = serializers.BooleanField(source="is_extended")
    overdue = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    grant = serializers.SerializerMethodField()

    class Meta:
        model = AccessApplication
        ref_name = "AccessApplication"
        fields = [
            "id",
            "number",
            "status",
            "holder",
            "applicant",
            "applicant_organisation",
            "contact_phone",
            "datasets",
            "purpose",
            "scenario",
            "security_measures",
            "period_days",
            "submitted_at",
            "review_deadline",
            "extended",
            "extension_reason",
            "overdue",
            "decided_at",
            "decision_reason",
            "allowed_actions",
            "grant",
        ]

    def get_overdue(self, app: AccessApplication) -> bool:
        return app.status == "submitted" and app.review_deadline < timezone.now()

    def get_allowed_actions(self, app: AccessApplication) -> list[str]:
        return actions_for(self.context["request"].user, app)

    @extend_schema_field(GrantOutputSerializer(allow_null=True))
    def get_grant(self, app: AccessApplication) -> dict | None:
        try:
            grant = app.grant
        except Grant.DoesNotExist:
            return None
        return GrantOutputSerializer(grant).data


def actions_for(user, app: AccessApplication) -> list[str]:
    allowed = services.allowed_actions(app)
    mine = {"withdraw"} if app.applicant_id == user.pk else set()
    if selectors.can_decide(user=user, application=app):
        mine |= {"extend", "approve", "reject"}
    return [a for a in allowed if a in mine]


class ApplicationInputSerializer(StrictInput):
    datasets = serializers.ListField(
        child=serializers.SlugField(max_length=60), min_length=1, max_length=20
    )
    purpose = serializers.CharField(max_length=4000)
    scenario = serializers.CharField(max_length=4000)
    security_measures = serializers.CharField(max_length=4000)
    period_days = serializers.IntegerField()
    applicant_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)

    class Meta:
        ref_name = "AccessApplicationInput"


def datasets_by_slug(slugs: list[str]) -> list[Dataset]:
    found = {d.slug: d for d in datasets_public().filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationFailed(
            "Unknown datasets.", errors={"datasets": [f"Unknown dataset: {s}" for s in missing]}
        )
    return [found[s] for s in slugs]


def _app_detail(request, app: AccessApplication, code: int = 200) -> Response:
    fresh = selectors.access_application(user=request.user, pk=app.pk)
    return Response(ApplicationOutputSerializer(fresh, context={"request": request}).data, code)


class ApplicationListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationOutputSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        user = self.request.user
        if self.request.query_params.get("role") == "review":
            return selectors.review_queue_ordered(selectors.applications_overseen_by(user))
        return selectors.applications_of(user)

    @extend_schema(
        tags=TAGS,
        summary="My applications; `?role=review`: the review queue of my organisations",
        responses={200: ApplicationOutputSerializer(many=True), **problems(401)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Apply for one holder's conditional datasets",
        request=ApplicationInputSerializer,
        responses={201: ApplicationOutputSerializer, **problems(400, 401, 409)},
    )
    def post(self, request) -> Response:
        serializer = ApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        datasets = datasets_by_slug(data.pop("datasets"))
        app = services.application_submit(
            applicant=request.user, datasets=datasets, data=data, now=timezone.now()
        )
        return _app_detail(request, app, status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="One application (the applicant's own, or one to my organisations)",
        responses={200: ApplicationOutputSerializer, **problems(401, 404)},
    )
    def get(self, request, pk: int) -> Response:
        return _app_detail(request, selectors.access_application(user=request.user, pk=pk))


class ReasonInput(StrictInput):
    reason = serializers.CharField(max_length=2000)

    class Meta:
        ref_name = "AccessReasonInput"


class ApproveInput(ReasonInput):
    granted_days = serializers.IntegerField(required=False, min_value=1)
    report_interval_days = serializers.IntegerField(required=False, min_value=7, max_value=365)

    class Meta:
        ref_name = "AccessApproveInput"


class _TransitionApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    input_serializer: type[serializers.Serializer] = ReasonInput

    def act(self, request, app, data: dict) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk: int) -> Response:
        app = selectors.access_application(user=request.user, pk=pk)
        serializer = self.input_serializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        self.act(request, app, dict(serializer.validated_data))
        return _app_detail(request, app)


def _transition_schema(summary: str, request_serializer):
    return extend_schema(
        tags=TAGS,
        summary=summary,
        request=request_serializer,
        responses={200: ApplicationOutputSerializer, **problems(400, 401, 404, 409)},
    )


class ApplicationExtendApi(_TransitionApi):
    @_transition_schema(
        "Extend the review deadline once (holder staff; reason required)", ReasonInput
    )
    def post(self, request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request, app, data):
        services.application_extend(
            actor=request.user, application=app, reason=data["reason"], now=timezone.now()
        )


class ApplicationApproveApi(_TransitionApi):
    input_serializer = ApproveInput

    @_transition_schema("Approve: creates a time-limited grant (holder staff)", ApproveInput)
    def post(self, request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request, app, data):
        services.application_approve(
            actor=request.user,
            application=app,
            reason=data["reason"],
            granted_days=data.get("granted_days"),
            report_interval_days=data.get("report_interval_days"),
            now=timezone.now(),
        )


class ApplicationRejectApi(_TransitionApi):
    @_transition_schema("Reject with a reason (holder staff)", ReasonInput)
    def post(self, request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request, app, data):
        services.application_reject(
            actor=request.user, application=app, reason=data["reason"], now=timezone.now()
        )


class EmptyInput(StrictInput):
    class Meta:
        ref_name = "AccessEmptyInput"


class ApplicationWithdrawApi(_TransitionApi):
    input_serializer = EmptyInput

    @_transition_schema("Withdraw my application while it is under review", None)
    def post(self, request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request, app, data):
        services.application_withdraw(actor=request.user, application=app, now=timezone.now())


class GrantListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = GrantOutputSerializer

    def get_queryset(self):
        user = self.request.user
        if self.request.query_params.get("role") == "holder":
            return selectors.grants_overseen_by(user)
        return selectors.grants_of(user)

    @extend_schema(
        tags=TAGS,
        summary="My grants; `?role=holder`: grants of my organisations' data",
        responses={200: GrantOutputSerializer(many=True), **problems(401)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class GrantDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS, summary="One grant", responses={200: GrantOutputSerializer, **problems(401, 404)}
    )
    def get(self, request, pk: int) -> Response:
        return Response(
            GrantOutputSerializer(selectors.access_grant(user=request.user, pk=pk)).data
        )


class GrantRevokeApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Revoke a grant (holder staff; reason required)",
        request=ReasonInput,
        responses={200: GrantOutputSerializer, **problems(400, 401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        grant = selectors.access_grant(user=request.user, pk=pk)
        serializer = ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = services.grant_revoke(
            actor=request.user,
            grant=grant,
            reason=serializer.validated_data["reason"],
            now=timezone.now(),
        )
        return Response(
            GrantOutputSerializer(selectors.access_grant(user=request.user, pk=pk)).data
        )


class ReportOutputSerializer(serializers.ModelSerializer):
    on_time = serializers.BooleanField()

    class Meta:
        model = UsageReport
        ref_name = "AccessUsageReport"
        fields = [
            "id",
            "period_start",
            "period_end",
            "content",
            "due_at",
            "submitted_at",
            "on_time",
        ]


class ReportInput(StrictInput):
    content = serializers.CharField(max_length=8000)

    class Meta:
        ref_name = "AccessUsageReportInput"


class GrantReportsApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Usage reports of a grant",
        responses={200: ReportOutputSerializer(many=True), **problems(401, 404)},
    )
    def get(self, request, pk: int) -> Response:
        grant = selectors.access_grant(user=request.user, pk=pk)
        return Response(ReportOutputSerializer(grant.reports.all(), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="File the usage report that is due (the grantee)",
        request=ReportInput,
        responses={201: ReportOutputSerializer, **problems(400, 401, 404, 409)},
    )
    def post(self, request, pk: int) -> Response:
        grant = selectors.access_grant(user=request.user, pk=pk)
        serializer = ReportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.usage_report_submit(
            actor=request.user,
            grant=grant,
            content=serializer.validated_data["content"],
            now=timezone.now(),
        )
        return Response(ReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)


class OutcomeSerializer(serializers.ModelSerializer):
    """No applicant, no organisation, no purpose: the public sees that a decision was made."""

    holder = serializers.CharField(source="holder.name")
    datasets = DatasetRefSerializer(many=True)
    on_time = serializers.SerializerMethodField()

    class Meta:
        model = AccessApplication
        ref_name = "AccessOutcome"
        fields = ["number", "holder", "datasets", "status", "submitted_at", "decided_at", "on_time"]

    def get_on_time(self, app: AccessApplication) -> bool:
        return bool(app.decided_on_time())


class OutcomeListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = OutcomeSerializer
    queryset = AccessApplication.objects.none()

    def get_queryset(self):
        return selectors.public_outcomes()

    @extend_schema(
        tags=TAGS,
        summary="Public outcomes of decided applications (no personal data)",
        responses={200: OutcomeSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
