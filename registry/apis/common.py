"""Pieces shared by the registry API modules: strict input serializers (unknown and read-only
fields are a 400, never silently dropped or applied), the problem+json schema, and the
registration representation with the actions the requesting user may take."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from registry import services
from registry.errors import PermissionDenied
from registry.models import (
    METADATA_FIELDS,
    Industry,
    Objection,
    ObjectionStatus,
    ObjectType,
    OpenCategory,
    Organisation,
    Platform,
    Registration,
    Resource,
    SecurityGrade,
    UpdateFrequency,
)
from registry.selectors import can_review, is_own_filing, scope_of
from registry.workdays import local_date

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Names a client may see in a representation but never write. Sending one is a 400 that names
# it (mass assignment), as is sending a name the API does not know at all.
READ_ONLY_NAMES = frozenset(
    {
        f.name
        for model in (Registration, Resource, Organisation, Objection)
        for f in model._meta.get_fields()
    }
    | {
        "holder",
        "object_type",
        "record_code",
        "allowed_actions",
        "current_deadline",
        "owner",
        "tier",
    }
)


# --------------------------------------------------------------------------- errors


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every error on this API is rendered."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name → messages (nested fields as `data_items[3].name`).",
    )
    current_state = serializers.CharField(required=False)
    allowed_actions = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        ref_name = "Problem"


_PROBLEM_TEXT = {
    400: "Invalid input; `errors` names each field.",
    401: "Not logged in.",
    403: "Not allowed.",
    404: "Not found, or outside the user's scope.",
    409: "Not allowed in the current state (`current_state`, `allowed_actions`), or lost a race.",
    413: "The upload is larger than the limit.",
}


def problems(*codes: int) -> dict[tuple[int, str], OpenApiResponse]:
    """Schema entries for the error responses an endpoint can give."""
    return {
        (code, PROBLEM_MEDIA_TYPE): OpenApiResponse(ProblemSerializer, _PROBLEM_TEXT[code])
        for code in codes
    }


# --------------------------------------------------------------------------- strict input


class StrictInputSerializer(serializers.Serializer):
    """Refuses names it does not declare: read-only ones (status, applicant, platform …) and
    unknown ones alike, each named in the 400, together with any other field errors."""

    # Names answered "read-only" rather than "unknown"; other apps pass their own.
    read_only_names: frozenset[str] = READ_ONLY_NAMES

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if isinstance(data, Mapping):
            for name in data:
                if name not in self.fields:
                    known = name in self.read_only_names
                    errors[str(name)] = ["This field is read-only." if known else "Unknown field."]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not errors or not isinstance(exc.detail, Mapping):
                raise
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return value


class StrictBooleanField(serializers.BooleanField):
    """A JSON boolean only: "true", "1" or 1 are refused rather than guessed at."""

    default_error_messages = {"invalid": "Must be true or false (a JSON boolean)."}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: strings and booleans are refused."""

    default_error_messages = {"invalid": "Must be an integer (a JSON number)."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class DataItemSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    type = serializers.ChoiceField(choices=services.DATA_ITEM_TYPES)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)

    class Meta:
        ref_name = "DataItem"


MAX_BIGINT = 9_223_372_036_854_775_807


class MetadataInputSerializer(StrictInputSerializer):
    """The writable metadata of DOMAIN.md §2. Shapes and types are checked here; the domain
    rules (required fields, grade vs open category, consent, region codes) by the service."""

    name = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(max_length=4000, required=False)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False)
    domain = serializers.CharField(max_length=100, required=False, allow_blank=True)
    data_items = serializers.ListField(
        child=DataItemSerializer(), max_length=services.MAX_DATA_ITEMS, required=False
    )
    coverage_regions = serializers.ListField(
        child=serializers.CharField(max_length=6), max_length=500, required=False
    )
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    record_count = StrictIntegerField(
        min_value=0, max_value=MAX_BIGINT, required=False, allow_null=True
    )
    byte_size = StrictIntegerField(
        min_value=0, max_value=MAX_BIGINT, required=False, allow_null=True
    )
    update_frequency = serializers.ChoiceField(choices=UpdateFrequency.choices, required=False)
    formats = serializers.ListField(
        child=serializers.ChoiceField(choices=services.FORMATS), max_length=20, required=False
    )
    storage_location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    storage_method = serializers.CharField(max_length=100, required=False, allow_blank=True)
    source_systems = serializers.CharField(max_length=300, required=False, allow_blank=True)
    security_grade = serializers.ChoiceField(choices=SecurityGrade.choices, required=False)
    general_sublevel = StrictIntegerField(min_value=1, max_value=4, required=False, allow_null=True)
    open_category = serializers.ChoiceField(choices=OpenCategory.choices, required=False)
    contains_personal_info = StrictBooleanField(required=False)
    contains_trade_secret = StrictBooleanField(required=False)
    consent_recorded = StrictBooleanField(required=False)
    consent_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    in_operation_scope = StrictBooleanField(required=False)
    contact_name = serializers.CharField(max_length=100, required=False)
    contact_phone = serializers.CharField(max_length=40, required=False)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"period_end": ["The end of the period is before its start."]}
            )
        return attrs


def metadata_of(validated: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata part of validated input, as plain values for the service."""
    out: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        if name in validated:
            value = validated[name]
            if name == "data_items":
                value = [dict(item) for item in value]
            out[name] = value
    return out


# --------------------------------------------------------------------------- output


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        ref_name = "OrganisationRef"
        fields = ["id", "name"]


class PlatformRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        ref_name = "PlatformRef"
        fields = ["id", "code", "name"]


class SupplementItemSerializer(StrictInputSerializer):
    field = serializers.CharField(max_length=60, required=False, allow_blank=True)
    message = serializers.CharField(max_length=1000)

    class Meta:
        ref_name = "SupplementItem"


REVIEWER_ACTIONS = frozenset(
    {
        "accept",
        "require_supplement",
        "not_accept",
        "return",
        "reject",
        "approve_review",
        "uphold_objection",
        "dismiss_objection",
        "complete",
    }
)


def with_pending_objections(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate what `allowed_actions` needs, so a list costs no query per row."""
    return qs.select_related("agent_organisation", "mandate").annotate(
        pending_objection_count=Count(
            "objections", filter=Q(objections__status=ObjectionStatus.PENDING)
        )
    )


def _pending_objections(reg: Registration) -> int:
    count = getattr(reg, "pending_objection_count", None)
    if count is None:
        count = reg.objections.filter(status=ObjectionStatus.PENDING).count()
    return count


def _may_file(user, reg: Registration, now: dt.datetime) -> bool:
    scope = scope_of(user)
    if reg.resource.holder_id in scope.holder_org_ids:
        return True
    if reg.agent_organisation_id and reg.agent_organisation_id in scope.agent_org_ids:
        mandate, today = reg.mandate, local_date(now)
        return (
            mandate is not None
            and mandate.revoked_at is None
            and mandate.valid_from <= today <= mandate.valid_until
        )
    return False


def check_may_file(user, reg: Registration, now: dt.datetime) -> None:
    """For an application the user can already see: only its filer may change it."""
    if not _may_file(user, reg, now):
        raise PermissionDenied(
            "Only the holder's staff, or an agent with a valid mandate, may change this "
            "application."
        )


def check_may_review(user, reg: Registration) -> None:
    """For an application the user can already see (national staff see every one): only a
    reviewer of the platform it was filed on may decide, and never on their own filing."""
    if can_review(user=user, registration=reg):
        return
    if scope_of(user).is_reviewer and is_own_filing(user=user, registration=reg):
        raise PermissionDenied("Reviewers never decide on their own filing.")
    raise PermissionDenied(
        f"Only reviewers of the platform it was filed on ({reg.platform.name}) may decide on "
        "this application."
    )


def allowed_actions_for(user, reg: Registration, now: dt.datetime) -> list[str]:
    """What the state allows, narrowed to what this user may do now: filer actions for the
    filer, reviewer actions for a reviewer who may decide on it (not their own filing).
    `complete` is offered once the notice has ended with no objection pending."""
    state_actions = services.ALLOWED_ACTIONS[reg.status]
    filer = any(a in services.FILER_ACTIONS for a in state_actions) and _may_file(user, reg, now)
    reviewer = any(a in REVIEWER_ACTIONS for a in state_actions) and can_review(
        user=user, registration=reg
    )
    pending = _pending_objections(reg) if reviewer and "complete" in state_actions else 0
    out = []
    for action in state_actions:
        if action in services.FILER_ACTIONS and filer:
            out.append(action)
        elif action in REVIEWER_ACTIONS and reviewer:
            if action in ("uphold_objection", "dismiss_objection") and not pending:
                continue
            if action == "complete" and (
                pending or (reg.notice_end is not None and now <= reg.notice_end)
            ):
                continue
            out.append(action)
    return out


class RegistrationOutputSerializer(serializers.ModelSerializer):
    """An application as its filer and its reviewers see it."""

    object_type = serializers.ChoiceField(source="resource.object_type", choices=ObjectType.choices)
    record_code = serializers.CharField(source="resource.code", allow_null=True)
    holder = OrganisationRefSerializer(source="resource.holder")
    platform = PlatformRefSerializer()
    applicant = serializers.CharField(source="applicant.username")
    agent_organisation = OrganisationRefSerializer(allow_null=True)
    data_items = DataItemSerializer(many=True)
    coverage_regions = serializers.ListField(child=serializers.CharField())
    formats = serializers.ListField(child=serializers.CharField())
    supplement_items = SupplementItemSerializer(many=True)
    current_deadline = serializers.DateTimeField(allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        ref_name = "Registration"
        fields = [
            "id",
            "registration_type",
            "status",
            "object_type",
            "record_code",
            "holder",
            "platform",
            "applicant",
            "agent_organisation",
            "reason",
            *METADATA_FIELDS,
            "supplement_items",
            "decision_reason",
            "submitted_at",
            "acceptance_deadline",
            "accepted_at",
            "review_deadline",
            "notice_start",
            "notice_end",
            "decided_at",
            "current_deadline",
            "overdue_flagged_at",
            "created_at",
            "updated_at",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj: Registration) -> list[str]:
        return allowed_actions_for(self.context["request"].user, obj, self.context["now"])


def registration_data(reg: Registration, *, request, now: dt.datetime) -> dict[str, Any]:
    return RegistrationOutputSerializer(reg, context={"request": request, "now": now}).data


def registration_after_write(reg: Registration) -> Registration:
    """Re-read an application the caller has just written to: services return the locked
    row, whose related objects (the record and its new code) may be stale."""
    return with_pending_objections(
        Registration.objects.filter(pk=reg.pk).select_related(
            "resource", "resource__holder", "platform", "applicant"
        )
    ).get()
