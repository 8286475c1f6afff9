"""Query-string filters for the registry API. Each FilterSet is applied to a queryset that a
selector has already scoped to the requesting user, so a filter can only narrow what the user
may see, never widen it. Invalid values (an unknown status, a non-numeric id) are a 400."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from registry.models import (
    Objection,
    ObjectionStatus,
    ObjectType,
    Organisation,
    OrganisationType,
    Platform,
    PlatformLevel,
    Region,
    RegionLevel,
    Registration,
    RegistrationStatus,
    RegistrationType,
)
from registry.selectors import registration_order_by_deadline
from registry.validators import normalise_credit_code


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id", max_length=6)
    province = django_filters.CharFilter(field_name="province_code", max_length=6)

    class Meta:
        model = Region
        fields = ["level", "parent", "province"]


class PlatformFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=PlatformLevel.choices)
    is_live = django_filters.BooleanFilter()

    class Meta:
        model = Platform
        fields = ["level", "is_live"]


class OrganisationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", max_length=100, label="Name contains, or credit code starts with"
    )
    org_type = django_filters.ChoiceFilter(choices=OrganisationType.choices)
    region = django_filters.CharFilter(field_name="region_id", max_length=6)
    province = django_filters.CharFilter(field_name="region__province_code", max_length=6)

    class Meta:
        model = Organisation
        fields = ["search", "org_type", "region", "province"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(credit_code__startswith=normalise_credit_code(value))
        )


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices)
    registration_type = django_filters.ChoiceFilter(choices=RegistrationType.choices)
    object_type = django_filters.ChoiceFilter(
        field_name="resource__object_type", choices=ObjectType.choices
    )
    platform = django_filters.NumberFilter(field_name="platform_id")
    holder = django_filters.NumberFilter(field_name="resource__holder_id")
    ordering = django_filters.ChoiceFilter(
        choices=[("deadline", "deadline"), ("-created", "-created"), ("created", "created")],
        method="filter_ordering",
        label="deadline (soonest first), -created (newest first, the default) or created",
    )

    class Meta:
        model = Registration
        fields = ["status", "registration_type", "object_type", "platform", "holder"]

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "deadline":
            return registration_order_by_deadline(queryset)
        if value == "created":
            return queryset.order_by("created_at", "id")
        return queryset.order_by("-created_at", "-id")


class NoticeFilter(django_filters.FilterSet):
    platform = django_filters.NumberFilter(field_name="platform_id")
    registration_type = django_filters.ChoiceFilter(choices=RegistrationType.choices)
    object_type = django_filters.ChoiceFilter(
        field_name="resource__object_type", choices=ObjectType.choices
    )

    class Meta:
        model = Registration
        fields = ["platform", "registration_type", "object_type"]


class ObjectionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices)
    registration = django_filters.NumberFilter(field_name="registration_id")

    class Meta:
        model = Objection
        fields = ["status", "registration"]
