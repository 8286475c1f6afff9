"""Public interaction (互动交流): data requests (数据需求) with support, error reports (数据纠错),
suggestions and complaints with public replies and working-day reply deadlines, ratings and
moderated comments on datasets, and showcases (应用成果) of what people built with the data.

Everything a citizen writes is untrusted text: stored as typed (cleaned), escaped on output.
Items with a reply deadline keep it (`reply_deadline`) and when the first reply came
(`replied_at`), which is what the public statistics count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Dataset
from registry.models import Organisation


class RequestStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ACCEPTED = "accepted", _("已受理")
    PUBLISHED = "published", _("已开放")
    DECLINED = "declined", _("不予提供")


class DataRequest(models.Model):
    """A request for data that is not (yet) open. Addressed to a holder, or to the platform
    when the requester does not know who holds it (holder null)."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests"
    )
    holder = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("需求名称"), max_length=200)
    description = models.TextField(_("需求描述"), max_length=4000)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="open")
    reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the status last changed by a reply (first reply is `replied_at`).
    updated_at = models.DateTimeField()
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    support_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    reply_deadline = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "reply_deadline"], name="interaction_req_due")]

    def __str__(self) -> str:
        return self.title


class RequestSupport(models.Model):
    """One user's support (“我也需要”) of a request: at most one per user."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="interaction_one_support")
        ]


class FeedbackKind(models.TextChoices):
    ERROR_REPORT = "error_report", _("数据纠错")
    SUGGESTION = "suggestion", _("意见建议")
    COMPLAINT = "complaint", _("投诉")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    REPLIED = "replied", _("已答复")


class Feedback(models.Model):
    """An error report on a dataset, or a suggestion or complaint (about a dataset, or the
    platform when `dataset` is null). Answered once, publicly, by the holder's staff or a
    platform administrator."""

    kind = models.CharField(max_length=14, choices=FeedbackKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback"
    )
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    holder = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=4000)
    status = models.CharField(max_length=8, choices=FeedbackStatus.choices, default="open")
    reply = models.TextField(_("答复"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    reply_deadline = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "reply_deadline"], name="interaction_fb_due"),
            models.Index(fields=["dataset", "kind"], name="interaction_fb_dataset"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="error_report") | Q(dataset__isnull=False),
                name="interaction_error_report_has_dataset",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    """One user's score (1–5) of a dataset; editable, one per user and dataset."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "dataset"], name="interaction_one_rating"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="interaction_rating_1_to_5"
            ),
        ]


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("显示")
    HIDDEN = "hidden", _("已屏蔽")


class Comment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(_("评论"), max_length=2000)
    status = models.CharField(max_length=8, choices=CommentStatus.choices, default="visible")
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["dataset", "status", "-created_at"], name="interaction_cmt")
        ]


class AbuseReport(models.Model):
    """A user's report that a comment is abusive; one per user and comment. Resolved when a
    moderator hides the comment or dismisses the reports."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="abuse_reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("举报理由"), max_length=500)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="interaction_one_report")
        ]


class ShowcaseKind(models.TextChoices):
    APP = "app", _("移动应用")
    WEBSITE = "website", _("网站")
    ANALYSIS = "analysis", _("数据分析")
    RESEARCH = "research", _("研究成果")
    OTHER = "other", _("其他")


class ShowcaseStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已展示")
    REJECTED = "rejected", _("未通过")


class Showcase(models.Model):
    """An application built on the data (应用成果), shown once a moderator approves it."""

    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="showcases"
    )
    title = models.CharField(_("成果名称"), max_length=200)
    description = models.TextField(_("成果简介"), max_length=4000)
    url = models.URLField(_("访问地址"), max_length=500)
    kind = models.CharField(_("成果类型"), max_length=10, choices=ShowcaseKind.choices)
    datasets = models.ManyToManyField(Dataset, related_name="showcases")
    status = models.CharField(max_length=10, choices=ShowcaseStatus.choices, default="pending")
    moderation_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class InteractionEvent(models.Model):
    """Append-only record of every reply, status change and moderation decision."""

    subject = models.CharField(max_length=20)  # request / feedback / comment / showcase
    subject_id = models.BigIntegerField()
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject", "subject_id"], name="interaction_event_subj")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Interaction events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Interaction events are append-only")
