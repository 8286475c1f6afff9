"""Reads, scoped to what the actor may see. Anything outside scope is NotFound (404), never a
403 that would reveal its existence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Q, QuerySet

from registry.errors import NotFound
from registry.models import (
    AgentMandate,
    Objection,
    ObjectionStatus,
    Organisation,
    Platform,
    RecordStatus,
    Registration,
    RegistrationStatus,
    Resource,
    Role,
    RoleAssignment,
)
from registry.search import tsquery_string

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Scope:
    """What a user may do, computed once per request."""

    holder_org_ids: frozenset[int] = field(default_factory=frozenset)
    agent_org_ids: frozenset[int] = field(default_factory=frozenset)
    reviewer_platform_ids: frozenset[int] = field(default_factory=frozenset)
    admin_platform_ids: frozenset[int] = field(default_factory=frozenset)
    national_reviewer: bool = False
    national_admin: bool = False

    @property
    def is_filer(self) -> bool:
        return bool(self.holder_org_ids or self.agent_org_ids)

    @property
    def is_reviewer(self) -> bool:
        return bool(self.reviewer_platform_ids)

    @property
    def is_admin(self) -> bool:
        return bool(self.admin_platform_ids)

    @property
    def is_staff_of_platform(self) -> bool:
        return self.is_reviewer or self.is_admin

    @property
    def sees_everything(self) -> bool:
        return self.national_reviewer or self.national_admin


def roles_of(user: User) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_registry_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related("organisation", "platform")
        )
        user._registry_roles = cached
    return cached


def scope_of(user: User) -> Scope:
    cached = getattr(user, "_registry_scope", None)
    if cached is not None:
        return cached
    roles = roles_of(user)

    def ids(role: str, attr: str) -> frozenset[int]:
        return frozenset(getattr(r, attr) for r in roles if r.role == role)

    scope = Scope(
        holder_org_ids=ids(Role.HOLDER_STAFF, "organisation_id"),
        agent_org_ids=ids(Role.AGENT, "organisation_id"),
        reviewer_platform_ids=ids(Role.REVIEWER, "platform_id"),
        admin_platform_ids=ids(Role.PLATFORM_ADMIN, "platform_id"),
        national_reviewer=any(r.role == Role.REVIEWER and r.platform.is_national for r in roles),
        national_admin=any(r.role == Role.PLATFORM_ADMIN and r.platform.is_national for r in roles),
    )
    if user.is_authenticated:
        user._registry_scope = scope
    return scope


# --------------------------------------------------------------------------- registrations

_REGISTRATION_RELATED = ("resource", "resource__holder", "platform", "applicant")


def registration_filed_by(user: User) -> QuerySet[Registration]:
    """Applications the user may see as a filer: their organisations' and their agencies'."""
    scope = scope_of(user)
    if not scope.is_filer:
        return Registration.objects.none()
    return Registration.objects.filter(
        Q(resource__holder_id__in=scope.holder_org_ids)
        | Q(agent_organisation_id__in=scope.agent_org_ids)
    ).select_related(*_REGISTRATION_RELATED)


def registration_review_queue(user: User) -> QuerySet[Registration]:
    """Applications on the platforms the user reviews or administers. National staff see all."""
    scope = scope_of(user)
    if not scope.is_staff_of_platform:
        return Registration.objects.none()
    qs = Registration.objects.exclude(status=RegistrationStatus.DRAFT)
    if not scope.sees_everything:
        qs = qs.filter(platform_id__in=scope.reviewer_platform_ids | scope.admin_platform_ids)
    return qs.select_related(*_REGISTRATION_RELATED)


def registration_visible_to(user: User) -> QuerySet[Registration]:
    filed = registration_filed_by(user).values("pk")
    reviewed = registration_review_queue(user).values("pk")
    return Registration.objects.filter(Q(pk__in=filed) | Q(pk__in=reviewed)).select_related(
        *_REGISTRATION_RELATED
    )


def access_registration(*, user: User, pk: int | str, for_update: bool = False) -> Registration:
    """Fetch-and-authorise: a registration the user may see, else NotFound."""
    try:
        pk_int = int(pk)
    except (TypeError, ValueError):
        raise NotFound("No such registration.") from None
    qs = registration_visible_to(user)
    reg = qs.filter(pk=pk_int).first()
    if reg is None:
        raise NotFound("No such registration.")
    return reg


def registration_order_by_deadline(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    from django.db.models import Case, When

    deadline = Case(
        When(status=RegistrationStatus.SUBMITTED, then=F("acceptance_deadline")),
        When(status=RegistrationStatus.UNDER_REVIEW, then=F("review_deadline")),
        When(status=RegistrationStatus.IN_NOTICE, then=F("notice_end")),
        default=None,
    )
    return qs.annotate(deadline=deadline).order_by(F("deadline").asc(nulls_last=True), "id")


def overdue_filter(now: dt.datetime) -> Q:
    return Q(status=RegistrationStatus.SUBMITTED, acceptance_deadline__lt=now) | Q(
        status=RegistrationStatus.UNDER_REVIEW, review_deadline__lt=now
    )


def can_review(*, user: User, registration: Registration) -> bool:
    """Reviewer of the platform the application was filed on, and not their own filing."""
    scope = scope_of(user)
    if registration.platform_id not in scope.reviewer_platform_ids:
        return False
    return not is_own_filing(user=user, registration=registration)


def is_own_filing(*, user: User, registration: Registration) -> bool:
    scope = scope_of(user)
    return (
        registration.applicant_id == user.pk
        or registration.resource.holder_id in scope.holder_org_ids
        or (
            registration.agent_organisation_id is not None
            and registration.agent_organisation_id in scope.agent_org_ids
        )
    )


def can_file_for(*, user: User, holder: Organisation, today: dt.date) -> AgentMandate | bool:
    """True for holder staff; the mandate for an agent with a valid one; False otherwise."""
    scope = scope_of(user)
    if holder.pk in scope.holder_org_ids:
        return True
    if scope.agent_org_ids:
        mandate = (
            AgentMandate.objects.filter(
                agent_id__in=scope.agent_org_ids,
                principal=holder,
                valid_from__lte=today,
                valid_until__gte=today,
                revoked_at__isnull=True,
            )
            .order_by("-valid_until")
            .first()
        )
        if mandate is not None:
            return mandate
    return False


def organisations_filable_by(user: User, today: dt.date) -> QuerySet[Organisation]:
    scope = scope_of(user)
    mandated = AgentMandate.objects.filter(
        agent_id__in=scope.agent_org_ids,
        valid_from__lte=today,
        valid_until__gte=today,
        revoked_at__isnull=True,
    ).values("principal_id")
    return Organisation.objects.filter(
        Q(pk__in=scope.holder_org_ids) | Q(pk__in=mandated)
    ).select_related("region")


# --------------------------------------------------------------------------- public reads


def notice_list(*, platform: Platform | None = None) -> QuerySet[Registration]:
    qs = Registration.objects.filter(status=RegistrationStatus.IN_NOTICE).select_related(
        *_REGISTRATION_RELATED
    )
    if platform is not None:
        qs = qs.filter(platform=platform)
    return qs.order_by("notice_end", "id")


def access_notice(*, pk: int | str) -> Registration:
    try:
        pk_int = int(pk)
    except (TypeError, ValueError):
        raise NotFound("No such notice.") from None
    reg = notice_list().filter(pk=pk_int).first()
    if reg is None:
        raise NotFound("No such notice.")
    return reg


PUBLIC_RECORD_STATUSES = [
    RecordStatus.ACTIVE,
    RecordStatus.EXPIRING,
    RecordStatus.EXPIRED,
    RecordStatus.DEREGISTERED,
]


def register_search(
    *,
    q: str = "",
    province: str = "",
    object_type: str = "",
    industry: str = "",
    open_category: str = "",
    holder: int | None = None,
    status: str = "",
) -> QuerySet[Resource]:
    """The public register: records that have been issued a code."""
    qs = Resource.objects.filter(code__isnull=False).select_related(
        "holder", "platform", "platform__region", "current_version", "federation"
    )
    qs = qs.filter(status=status) if status else qs.exclude(status=RecordStatus.DEREGISTERED)
    if province:
        qs = qs.filter(platform__region__code=province)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if industry:
        qs = qs.filter(current_version__industry=industry)
    if open_category:
        qs = qs.filter(current_version__open_category=open_category)
    if holder:
        qs = qs.filter(holder_id=holder)
    query = tsquery_string(q)
    if query:
        ts = SearchQuery(query, search_type="raw", config="simple")
        return (
            qs.filter(search_vector=ts)
            .annotate(rank=SearchRank(F("search_vector"), ts))
            .order_by("-rank", "-registered_at", "-id")
        )
    return qs.order_by("-registered_at", "-id")


def access_record(*, code: str) -> Resource:
    record = (
        Resource.objects.filter(code=code)
        .select_related("holder", "holder__region", "platform", "current_version", "federation")
        .first()
    )
    if record is None:
        raise NotFound("No such record.")
    return record


def record_versions(record: Resource):
    return record.versions.select_related("registration").order_by("-number")


def pending_objections(registration: Registration) -> QuerySet[Objection]:
    return registration.objections.filter(status=ObjectionStatus.PENDING)


def dashboard_counts(*, user: User, now: dt.datetime) -> dict:
    """Counts for the platform dashboard, scoped like the review queue."""
    scope = scope_of(user)
    queue = registration_review_queue(user)
    by_status = dict(queue.order_by().values_list("status").annotate(n=Count("id")))
    records = Resource.objects.filter(code__isnull=False)
    if not scope.sees_everything:
        records = records.filter(
            platform_id__in=scope.reviewer_platform_ids | scope.admin_platform_ids
        )
    by_record_status = dict(records.order_by().values_list("status").annotate(n=Count("id")))
    return {
        "by_status": {s.value: by_status.get(s.value, 0) for s in RegistrationStatus},
        "overdue": queue.filter(overdue_filter(now)).count(),
        "pending_objections": Objection.objects.filter(
            registration__in=queue.values("pk"), status=ObjectionStatus.PENDING
        ).count(),
        "records": {s.value: by_record_status.get(s.value, 0) for s in RecordStatus},
    }
