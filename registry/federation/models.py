"""Federation state. Imported by registry.models so the migrations live with the registry.

Provincial side: `OutboxEvent` rows (one per reported event, gapless per-node sequence taken
from `OutboxState` in the same transaction as the change) and the delivery cursor in
`OutboxState`. National side: `FederationNode` (the register of provincial nodes, their public
keys and sync state, with the durable inbound cursor) and `InboundEvent` (every sequence a node
used, with its first result, for idempotent replay). Both sides: `FederatedRecord`, a record's
identity across nodes (origin node + id there), its version and the confirmed unified code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FederationNode(models.Model):
    """A provincial node registered on the national node by a national administrator."""

    code = models.CharField(_("节点代码"), max_length=40, unique=True)
    name = models.CharField(_("节点名称"), max_length=100)
    province = models.OneToOneField(
        "registry.Region",
        on_delete=models.PROTECT,
        related_name="federation_node",
        verbose_name=_("省份"),
    )
    base_url = models.URLField(_("节点地址"), max_length=300)
    public_key = models.CharField(_("公钥"), max_length=64, help_text="base64, raw Ed25519")
    is_enabled = models.BooleanField(_("启用"), default=True)
    # Durable inbound cursor: the highest sequence handled (applied, replayed or refused).
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_event_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last applied event happened on the node."
    )
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    refused_count = models.PositiveIntegerField(default=0)
    last_pull_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province_id"]
        verbose_name = _("省级节点")
        verbose_name_plural = _("省级节点")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class InboundOutcome(models.TextChoices):
    APPLIED = "applied", _("已应用")
    STALE = "stale", _("版本过旧")
    REFUSED = "refused", _("已拒绝")


class InboundEvent(models.Model):
    """One sequence number of one node, handled once; a replay returns `result`."""

    node = models.ForeignKey(FederationNode, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveBigIntegerField()
    body_digest = models.CharField(max_length=80)
    event = models.CharField(max_length=20)
    record_key = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=InboundOutcome.choices)
    result = models.JSONField(default=dict)
    via = models.CharField(max_length=8, default="push")
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["node", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["node", "sequence"], name="registry_fed_inbound_seq")
        ]


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    REFUSED = "refused", _("被拒绝")


class OutboxEvent(models.Model):
    """An event to report upward, written in the transaction of the change it reports."""

    sequence = models.PositiveBigIntegerField(unique=True)
    resource = models.ForeignKey(
        "registry.Resource", on_delete=models.PROTECT, related_name="outbox_events"
    )
    event = models.CharField(max_length=20)
    version = models.PositiveIntegerField()
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sequence"]


class OutboxState(models.Model):
    """Singleton (pk=1): the sequence counter and the durable delivery cursor."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    acked_sequence = models.PositiveBigIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)


class FederatedRecord(models.Model):
    """A record's identity across nodes and its federation state on this node."""

    resource = models.OneToOneField(
        "registry.Resource", on_delete=models.CASCADE, primary_key=True, related_name="federation"
    )
    origin_node = models.CharField(max_length=40)
    origin_id = models.PositiveBigIntegerField()
    # The node that may change the record now (the origin, or the node it was handed over to).
    steward_node = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=0)
    national_code = models.CharField(max_length=40, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin_node", "origin_id"], name="registry_fed_record_origin"
            )
        ]

    @property
    def key(self) -> str:
        return f"{self.origin_node}:{self.origin_id}"


class FederatedNotice(models.Model):
    """National side: a public notice (公示) running on a provincial node, for the nationwide
    notice page. Objections are filed on the node (the page links to its notice)."""

    node = models.ForeignKey(FederationNode, on_delete=models.PROTECT, related_name="notices")
    origin_registration_id = models.PositiveBigIntegerField()
    version = models.PositiveBigIntegerField(default=0)
    registration_type = models.CharField(max_length=16)
    registrant_name = models.CharField(max_length=200)
    data_name = models.CharField(max_length=200)
    summary = models.TextField(max_length=4000)
    notice_start = models.DateTimeField(null=True, blank=True)
    notice_end = models.DateTimeField(null=True, blank=True)
    is_open = models.BooleanField(default=True)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["notice_end", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "origin_registration_id"], name="registry_fed_notice_unique"
            )
        ]

    @property
    def objection_url(self) -> str:
        return f"{self.node.base_url.rstrip('/')}/registry/notices/{self.origin_registration_id}/"
