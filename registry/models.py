"""The two-tier registry of public data resources (公共数据资源登记).

A `Resource` is the registered object with a stable identity and (once issued) its code. Its
metadata lives in immutable `ResourceVersion` rows. A `Registration` is one application
(initial, change, correction, deregistration) moving through the workflow; every transition
appends a `RegistrationEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --------------------------------------------------------------------------- reference data


class RegionLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("地市级")
    COUNTY = "county", _("区县级")


class Region(models.Model):
    """GB/T 2260 division. `000000` is nationwide."""

    code = models.CharField(max_length=6, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province_code = models.CharField(max_length=6, db_index=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.code == NATIONAL_REGION_CODE


NATIONAL_REGION_CODE = "000000"


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")


class Platform(models.Model):
    """A registration platform: the national one, or one per province."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=12, choices=PlatformLevel.choices)
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="platform")
    is_live = models.BooleanField(
        default=True,
        help_text="A province whose platform is not live files on the national platform.",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level"],
                condition=Q(level="national"),
                name="registry_platform_one_national",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.level == PlatformLevel.NATIONAL


class OrganisationType(models.TextChoices):
    ORGAN = "organ", _("党政机关")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    UTILITY = "utility", _("公用企业")
    OPERATOR = "operator", _("运营机构")
    REGISTRATION_BODY = "registration_body", _("登记机构")
    DATA_AUTHORITY = "data_authority", _("数据主管部门")
    AGENT = "agent", _("代理机构")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, help_text="18 characters, check digit"
    )
    org_type = models.CharField(max_length=24, choices=OrganisationType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    is_national_level = models.BooleanField(
        default=False, help_text="A central-level body: files on the national platform."
    )
    contact_name = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    HOLDER_STAFF = "holder_staff", _("数据持有单位经办人")
    AGENT = "agent", _("代理人")
    REVIEWER = "reviewer", _("登记审核员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


class RoleAssignment(models.Model):
    """What a user may do, and where. Holder staff and agents act for an organisation;
    reviewers and administrators act for a platform."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="staff"
    )
    platform = models.ForeignKey(
        Platform, null=True, blank=True, on_delete=models.CASCADE, related_name="staff"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "platform"],
                name="registry_role_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=["holder_staff", "agent"], organisation__isnull=False)
                    | Q(role__in=["reviewer", "platform_admin"], platform__isnull=False)
                ),
                name="registry_role_scope_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


class AgentMandate(models.Model):
    """A principal organisation's mandate for an agent organisation to file on its behalf."""

    agent = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mandates_held")
    principal = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mandates_given"
    )
    valid_from = models.DateField()
    valid_until = models.DateField()
    document = models.FileField(upload_to="registry/mandates/%Y/", blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="registry_mandate_dates_ordered",
            )
        ]


class WorkdayOverride(models.Model):
    """A yearly override of the working-day calendar (a holiday or make-up day the calendar
    package does not know yet, or a local one)."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]


# --------------------------------------------------------------------------- resources


class ObjectType(models.TextChoices):
    PUBLIC_DATA_RESOURCE = "resource", _("公共数据资源")
    DATA_PRODUCT = "product", _("公共数据产品和服务")
    OPEN_DATA_RESOURCE = "open_resource", _("开放数据资源")


OBJECT_TYPE_DIGIT = {
    ObjectType.PUBLIC_DATA_RESOURCE: "1",
    ObjectType.DATA_PRODUCT: "2",
    ObjectType.OPEN_DATA_RESOURCE: "3",
}


class SecurityGrade(models.TextChoices):
    CORE = "core", _("核心数据")
    IMPORTANT = "important", _("重要数据")
    GENERAL = "general", _("一般数据")


class OpenCategory(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件开放")
    CONDITIONAL = "conditional", _("有条件开放")
    NOT_OPEN = "not_open", _("不予开放")


class UpdateFrequency(models.TextChoices):
    REAL_TIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    IRREGULAR = "irregular", _("不定期")


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("登记中")
    ACTIVE = "active", _("有效")
    EXPIRING = "expiring", _("即将到期")
    EXPIRED = "expired", _("已过期")
    DEREGISTERED = "deregistered", _("已注销")


class Resource(models.Model):
    """A registrable object with a stable identity. Metadata lives in versions."""

    object_type = models.CharField(max_length=16, choices=ObjectType.choices)
    holder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="resources")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="resources")
    code = models.CharField(max_length=40, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    current_version = models.ForeignKey(
        "ResourceVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    deregistered_at = models.DateTimeField(null=True, blank=True)
    # The validity end its holder was e-mailed about as coming up (registry.notifications): a
    # renewal moves `valid_until`, so the next expiry is told again.
    expiry_notified_for = models.DateField(null=True, blank=True)
    # Federation: the node a record was first registered on ("" = this deployment).
    origin_node = models.CharField(max_length=40, blank=True, default="")
    # Segmented tokens (see registry.search) in a `simple` tsvector; set by services.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["status", "platform"]),
            GinIndex(fields=["search_vector"], name="registry_resource_search_gin"),
        ]

    def __str__(self) -> str:
        return self.code or f"resource #{self.pk}"


class ResourceMetadata(models.Model):
    """The metadata fields of DOMAIN.md §2, shared by versions and applications."""

    name = models.CharField(_("数据名称"), max_length=200)
    summary = models.TextField(_("内容摘要"), max_length=4000)
    industry = models.CharField(_("行业分类"), max_length=1, choices=Industry.choices)
    domain = models.CharField(_("领域"), max_length=100, blank=True)
    data_items = models.JSONField(
        _("数据项"), default=list, help_text="[{name, type, description}]"
    )
    coverage_regions = models.JSONField(_("覆盖地域"), default=list)
    period_start = models.DateField(_("时间范围起"), null=True, blank=True)
    period_end = models.DateField(_("时间范围止"), null=True, blank=True)
    record_count = models.BigIntegerField(_("数据量(条)"), null=True, blank=True)
    byte_size = models.BigIntegerField(_("数据量(字节)"), null=True, blank=True)
    update_frequency = models.CharField(
        _("更新频率"), max_length=12, choices=UpdateFrequency.choices
    )
    formats = models.JSONField(_("数据格式"), default=list)
    storage_location = models.CharField(_("存储位置"), max_length=200, blank=True)
    storage_method = models.CharField(_("存储方式"), max_length=100, blank=True)
    source_systems = models.CharField(_("来源系统"), max_length=300, blank=True)
    security_grade = models.CharField(_("安全级别"), max_length=10, choices=SecurityGrade.choices)
    general_sublevel = models.PositiveSmallIntegerField(_("一般数据子级"), null=True, blank=True)
    open_category = models.CharField(_("开放属性"), max_length=16, choices=OpenCategory.choices)
    contains_personal_info = models.BooleanField(_("含个人信息"), default=False)
    contains_trade_secret = models.BooleanField(_("含商业秘密"), default=False)
    consent_recorded = models.BooleanField(_("已取得授权同意"), default=False)
    consent_note = models.CharField(_("授权同意说明"), max_length=500, blank=True)
    in_operation_scope = models.BooleanField(_("纳入授权运营范围"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=40)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    class Meta:
        abstract = True


METADATA_FIELDS = [f.name for f in ResourceMetadata._meta.local_fields if f.name != "id"]


class ResourceVersion(ResourceMetadata):
    """An immutable snapshot of a resource's metadata, created when a registration completes."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    registration = models.OneToOneField(
        "Registration", on_delete=models.PROTECT, related_name="created_version"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="registry_version_unique")
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError("Resource versions are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Resource versions are immutable")


# --------------------------------------------------------------------------- registrations


class RegistrationType(models.TextChoices):
    INITIAL = "initial", _("首次登记")
    CHANGE = "change", _("变更登记")
    CORRECTION = "correction", _("更正登记")
    DEREGISTRATION = "deregistration", _("注销登记")


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待受理")
    SUPPLEMENT_REQUIRED = "supplement_required", _("待补正")
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("status", "不予受理")
    UNDER_REVIEW = "under_review", _("形式审核中")
    RETURNED = "returned", pgettext_lazy("status", "退回修改")
    REJECTED = "rejected", pgettext_lazy("status", "审核不通过")
    IN_NOTICE = "in_notice", _("公示中")
    APPROVED = "approved", _("已赋码")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = {
    RegistrationStatus.DRAFT,
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.SUPPLEMENT_REQUIRED,
    RegistrationStatus.UNDER_REVIEW,
    RegistrationStatus.RETURNED,
    RegistrationStatus.IN_NOTICE,
}


class Registration(ResourceMetadata):
    """One application. Holds the proposed metadata while it is being filed and reviewed."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="registrations")
    registration_type = models.CharField(max_length=16, choices=RegistrationType.choices)
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="registrations")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations"
    )
    agent_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mandate = models.ForeignKey(AgentMandate, null=True, blank=True, on_delete=models.PROTECT)
    reason = models.TextField(_("申请事由"), blank=True, max_length=2000)

    submitted_at = models.DateTimeField(null=True, blank=True)
    acceptance_deadline = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    review_deadline = models.DateTimeField(null=True, blank=True)
    notice_start = models.DateTimeField(null=True, blank=True)
    notice_end = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    supplement_items = models.JSONField(default=list, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    # When the staff were e-mailed about the flag (registry.notifications); reset with it.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["platform", "status"]),
            models.Index(fields=["status", "notice_end"]),
        ]
        constraints = [
            # At most one open application per resource at a time.
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "supplement_required",
                        "under_review",
                        "returned",
                        "in_notice",
                    ]
                ),
                name="registry_one_open_registration_per_resource",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_registration_type_display()} {self.name}"

    @property
    def holder(self) -> Organisation:
        return self.resource.holder

    @property
    def current_deadline(self):
        if self.status == RegistrationStatus.SUBMITTED:
            return self.acceptance_deadline
        if self.status == RegistrationStatus.UNDER_REVIEW:
            return self.review_deadline
        if self.status == RegistrationStatus.IN_NOTICE:
            return self.notice_end
        return None


class RegistrationEvent(models.Model):
    """Append-only log of every transition: who, when, from, to, why."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Registration events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Registration events are append-only")


class AttachmentKind(models.TextChoices):
    DESCRIPTION = "description", _("数据资源说明文档")
    COMMITMENT = "commitment", _("登记承诺书")
    MANDATE = "mandate", _("委托授权书")
    CONSENT = "consent", _("授权同意证明")
    OTHER = "other", _("其他材料")


class Attachment(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(upload_to="registry/attachments/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", pgettext_lazy("status", "异议成立")
    DISMISSED = "dismissed", pgettext_lazy("status", "异议不成立")


class Objection(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="objections"
    )
    objector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reason = models.TextField(max_length=4000)
    contact = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["registration", "status"])]


class CodeSequence(models.Model):
    """Per-prefix counter for issued codes. Never decremented, so codes are never reused."""

    prefix = models.CharField(max_length=30, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)


# Federation between deployments (registry/federation/): its models live in this app.
from registry.federation.models import (  # noqa: E402, F401
    FederatedNotice,
    FederatedRecord,
    FederationNode,
    InboundEvent,
    OutboxEvent,
    OutboxState,
)
