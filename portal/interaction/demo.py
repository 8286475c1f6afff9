"""Demo data for conditional access and interaction, made through the real services on the
portal demo's datasets: applications in every state (fresh, overdue, extended, approved with
reports on time and overdue, rejected, withdrawn, expired, revoked), data requests in every
state with support, error reports, suggestions and complaints (answered on time, late, open,
overdue), ratings, comments (one reported, one hidden) and showcases (shown, pending,
rejected). Dates are relative to the day of the load. One transaction; a second run does
nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from portal.access import services as access
from portal.access.models import AccessApplication
from portal.interaction import services as talk
from portal.models import Dataset, DatasetStatus
from registry.models import OpenCategory, Role, RoleAssignment

ADVISORY_LOCK_KEY = 0x494E5452  # "INTR"
PASSWORD = "demo-2026"
MARKER_USER = "researcher"

# username, full name
PEOPLE = [
    ("researcher", "王思远（某大学交通研究所）"),
    ("dev_chen", "陈志强（独立开发者）"),
    ("reporter_liu", "刘晓雨（数据新闻记者）"),
    ("teacher_zhao", "赵敏（中学教师）"),
    ("student_sun", "孙浩然（研究生）"),
]


class DemoPrerequisiteMissing(Exception):
    """The portal demo (published datasets, holder staff, a national administrator) is absent."""


@dataclass
class Cast:
    users: dict[str, object]
    conditional: list[Dataset]
    open: list[Dataset]
    admin: object

    def staff(self, dataset: Dataset):
        assignment = (
            RoleAssignment.objects.filter(role=Role.HOLDER_STAFF, organisation_id=dataset.holder_id)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if assignment is None:
            raise DemoPrerequisiteMissing(f"No staff account for {dataset.holder.name}.")
        return assignment.user


def is_loaded() -> bool:
    return AccessApplication.objects.filter(applicant__username=MARKER_USER).exists()


def load(*, now: dt.datetime) -> bool:
    """Load everything; False if it was loaded already (also by a concurrent run)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        if is_loaded():
            return False
        cast = _cast()
        _applications(cast, now)
        _requests(cast, now)
        _feedback(cast, now)
        _ratings_and_comments(cast, now)
        _showcases(cast, now)
        access.applications_flag_overdue(now=now)
        access.grants_expire(now=now)
    return True


def _cast() -> Cast:
    published = Dataset.objects.filter(status=DatasetStatus.PUBLISHED).select_related("holder")
    conditional = list(published.filter(open_category=OpenCategory.CONDITIONAL).order_by("title"))
    open_sets = list(published.filter(open_category=OpenCategory.UNCONDITIONAL).order_by("title"))
    admin = (
        RoleAssignment.objects.filter(role=Role.PLATFORM_ADMIN, platform__level="national")
        .select_related("user")
        .order_by("id")
        .first()
    )
    if len(conditional) < 7 or len(open_sets) < 8 or admin is None:
        raise DemoPrerequisiteMissing(
            "Load the registry and portal demos first (load_demo, load_portal_demo)."
        )
    user_model = get_user_model()
    password = make_password(PASSWORD)
    users = {}
    for username, name in PEOPLE:
        users[username], _ = user_model.objects.get_or_create(
            username=username, defaults={"first_name": name, "password": password}
        )
    users["citizen"] = (
        user_model.objects.filter(username="citizen").first() or users["teacher_zhao"]
    )
    return Cast(users=users, conditional=conditional, open=open_sets, admin=admin.user)


def ago(now: dt.datetime, days: float) -> dt.datetime:
    return now - dt.timedelta(days=days)


# --------------------------------------------------------------------------- applications

FORMS = {
    "researcher": {
        "purpose": "研究城市交通与经济活动的时空关系，形成学术论文和政策建议。",
        "scenario": "国家自然科学基金课题，数据仅在课题组内部用于统计建模。",
        "security_measures": "数据存放于校内涉密计算机房的隔离服务器，专人专账号访问，"
        "成果只发布汇总统计结果，课题结束后删除原始数据。",
        "applicant_organisation": "某大学交通研究所",
        "period_days": 180,
    },
    "dev_chen": {
        "purpose": "开发面向市民的便民查询小程序。",
        "scenario": "小程序后台按需调用数据接口，只展示汇总信息。",
        "security_measures": "服务器部署在国内云平台，开启访问日志和传输加密。",
        "period_days": 365,
    },
    "citizen": {
        "purpose": "撰写社区调研报告。",
        "scenario": "街道社区治理课题，成果交街道办参考。",
        "security_measures": "个人电脑加密存储，不对外传播，报告完成后删除。",
        "period_days": 90,
    },
}


def _apply(cast: Cast, who: str, dataset: Dataset, when: dt.datetime):
    return access.application_submit(
        applicant=cast.users[who], datasets=[dataset], data=dict(FORMS[who]), now=when
    )


def _applications(cast: Cast, now: dt.datetime) -> None:
    ds = cast.conditional
    _apply(cast, "researcher", ds[0], ago(now, 2))  # fresh, within its deadline
    _apply(cast, "dev_chen", ds[1], ago(now, 25))  # overdue: flagged by the sweep
    extended = _apply(cast, "citizen", ds[2], ago(now, 12))
    access.application_extend(
        actor=cast.staff(ds[2]),
        application=extended,
        reason="涉及多个业务处室的数据，需征求数据来源部门意见。",
        now=ago(now, 4),
    )
    on_time = _apply(cast, "researcher", ds[3], ago(now, 50))
    grant = access.application_approve(
        actor=cast.staff(ds[3]),
        application=on_time,
        reason="使用目的明确，安全保障措施到位，同意在课题期限内使用。",
        report_interval_days=30,
        now=ago(now, 45),
    )
    access.usage_report_submit(
        actor=cast.users["researcher"],
        grant=grant,
        content="完成数据清洗和时空聚类分析，形成课题中期报告一份；数据未对外提供。",
        now=ago(now, 17),
    )
    late = _apply(cast, "researcher", ds[4], ago(now, 80))
    access.application_approve(
        actor=cast.staff(ds[4]),
        application=late,
        reason="同意使用，请按月报告使用情况。",
        report_interval_days=30,
        now=ago(now, 72),
    )  # no report since: overdue
    rejected = _apply(cast, "dev_chen", ds[5], ago(now, 30))
    access.application_reject(
        actor=cast.staff(ds[5]),
        application=rejected,
        reason="申请场景涉及向第三方提供明细数据，超出有条件开放范围；可改为申请汇总数据。",
        now=ago(now, 22),
    )
    withdrawn = _apply(cast, "citizen", ds[6], ago(now, 9))
    access.application_withdraw(actor=cast.users["citizen"], application=withdrawn, now=ago(now, 8))
    expired = _apply(cast, "dev_chen", ds[0], ago(now, 130))
    access.application_approve(
        actor=cast.staff(ds[0]),
        application=expired,
        reason="同意试用 60 天。",
        granted_days=60,
        report_interval_days=30,
        now=ago(now, 125),
    )
    revoked = _apply(cast, "citizen", ds[3], ago(now, 60))
    revoked_grant = access.application_approve(
        actor=cast.staff(ds[3]),
        application=revoked,
        reason="同意。",
        now=ago(now, 55),
    )
    access.grant_revoke(
        actor=cast.staff(ds[3]),
        grant=revoked_grant,
        reason="发现数据被转载到公开网站，超出申请用途，撤销授权。",
        now=ago(now, 10),
    )


# --------------------------------------------------------------------------- requests


def _requests(cast: Cast, now: dt.datetime) -> None:
    o = cast.open
    u = cast.users

    def ask(who, holder, title, description, days):
        return talk.request_create(
            actor=u[who],
            data={"title": title, "description": description},
            holder=holder,
            now=ago(now, days),
        )

    def support(req, *who):
        for name in who:
            talk.request_support(actor=u[name], request=req, now=ago(now, 1))

    fresh = ask(
        "teacher_zhao",
        o[0].holder,
        "希望开放中小学学区划分数据",
        "包括各学校对口小区名单和历年调整情况，便于家长查询。",
        3,
    )
    support(fresh, "student_sun", "reporter_liu")
    overdue = ask(
        "reporter_liu",
        o[1].holder,
        "希望开放历年财政专项资金分配明细",
        "按项目列出资金安排、使用单位和绩效评价结果。",
        30,
    )
    support(overdue, "researcher", "teacher_zhao", "student_sun")
    accepted = ask(
        "dev_chen",
        o[2].holder,
        "希望提供实时接口而不是月度文件",
        "目前只有月度 CSV，希望开放按日更新的 API。",
        20,
    )
    talk.request_answer(
        actor=cast.staff(o[2]),
        request=accepted,
        action="accept",
        reply="已列入下一季度开放计划，届时在本平台发布接口。",
        now=ago(now, 15),
    )
    support(accepted, "researcher")
    published = ask("student_sun", o[3].holder, f"希望开放{o[3].title}", "用于毕业论文研究。", 60)
    talk.request_answer(
        actor=cast.staff(o[3]),
        request=published,
        action="publish",
        reply="该数据已开放，欢迎下载使用。",
        dataset=o[3],
        now=ago(now, 50),
    )
    declined = ask(
        "researcher", o[4].holder, "希望开放企业个体用电明细", "用于研究产业结构与能耗关系。", 40
    )
    talk.request_answer(
        actor=cast.staff(o[4]),
        request=declined,
        action="decline",
        reply="企业个体用电明细涉及商业秘密，不予开放；可申请行业汇总数据。",
        now=ago(now, 36),
    )
    ask("student_sun", None, "希望开放全国高校毕业生就业去向统计", "不确定由哪个部门提供。", 5)


# --------------------------------------------------------------------------- feedback


def _feedback(cast: Cast, now: dt.datetime) -> None:
    o = cast.open
    u = cast.users

    def item(kind, who, dataset, title, body, days, reply=None, replied_days=None, by=None):
        created = talk.feedback_create(
            actor=u[who],
            kind=kind,
            dataset=dataset,
            data={"title": title, "body": body},
            now=ago(now, days),
        )
        if reply:
            actor = by or (cast.staff(dataset) if dataset else cast.admin)
            talk.feedback_reply(
                actor=actor, feedback=created, reply=reply, now=ago(now, replied_days)
            )
        return created

    item(
        "error_report",
        "dev_chen",
        o[0],
        "部分记录坐标为空",
        "第 120—135 行的经纬度为空。",
        20,
        "已核实并补全坐标，新版本已上传。",
        18,
    )
    item(
        "error_report",
        "researcher",
        o[1],
        "统计口径与说明不一致",
        "数据说明称按户籍人口统计，实际为常住人口。",
        40,
        "经核实为说明文字错误，已更正数据说明。",
        20,
    )  # answered late
    item(
        "error_report",
        "student_sun",
        o[2],
        "日期格式不统一",
        "部分日期为 2025/1/3，部分为 2025-01-03。",
        2,
    )
    item("error_report", "reporter_liu", o[5], "存在重复记录", "同一编号出现两次。", 25)  # overdue
    item(
        "suggestion",
        "teacher_zhao",
        o[6],
        "建议增加字段说明",
        "希望每个字段都有单位和取值范围说明。",
        15,
        "感谢建议，已在数据字典中补充单位。",
        10,
    )
    item(
        "suggestion",
        "student_sun",
        None,
        "建议提供英文界面",
        "方便国际学生使用。",
        30,
        "平台已提供英文界面，可在页面右上角切换语言。",
        28,
    )
    item("suggestion", "dev_chen", o[7], "建议提供增量更新接口", "每次全量下载太大。", 4)
    item(
        "complaint",
        "reporter_liu",
        o[1],
        "数据长期未更新",
        "承诺按月更新，已三个月未更新。",
        12,
        "已督促数据提供单位更新，本月内完成。",
        6,
    )
    item(
        "complaint", "teacher_zhao", None, "下载页面偶尔打不开", "晚上高峰时段下载失败。", 35
    )  # overdue


# --------------------------------------------------------------------------- ratings, comments

COMMENTS = [
    "字段说明很清楚，直接就能用。",
    "希望能提高更新频率。",
    "数据质量不错，用于课堂教学很合适。",
    "接口响应很快，文档示例可以直接运行。",
    "部分字段缺少单位，希望补充。",
    "已用于课程作业的可视化分析，感谢开放！",
]


def _ratings_and_comments(cast: Cast, now: dt.datetime) -> None:
    rng = random.Random(20260601)
    people = ["researcher", "dev_chen", "reporter_liu", "teacher_zhao", "student_sun"]
    for dataset in cast.open[:16]:
        for who in rng.sample(people, rng.randint(1, 4)):
            talk.rating_set(
                actor=cast.users[who],
                dataset=dataset,
                score=rng.choice([3, 4, 4, 5, 5]),
                now=ago(now, rng.randint(1, 60)),
            )
    comments = []
    for n, dataset in enumerate(cast.open[:6]):
        comments.append(
            talk.comment_create(
                actor=cast.users[people[n % len(people)]],
                dataset=dataset,
                body=COMMENTS[n],
                now=ago(now, 10 - n),
            )
        )
    spam = talk.comment_create(
        actor=cast.users["student_sun"],
        dataset=cast.open[0],
        body="低价代办各类证件，加微信 xxxx。",
        now=ago(now, 3),
    )
    talk.comment_report_abuse(
        actor=cast.users["teacher_zhao"], comment=spam, reason="广告", now=ago(now, 2)
    )
    talk.comment_report_abuse(
        actor=cast.users["researcher"], comment=spam, reason="垃圾信息", now=ago(now, 2)
    )
    rude = talk.comment_create(
        actor=cast.users["dev_chen"],
        dataset=cast.open[1],
        body="这数据就是垃圾，做的人都是***。",
        now=ago(now, 6),
    )
    talk.comment_report_abuse(
        actor=cast.users["reporter_liu"], comment=rude, reason="人身攻击", now=ago(now, 5)
    )
    talk.comment_hide(actor=cast.admin, comment=rude, reason="含有侮辱性言论。", now=ago(now, 4))


def _showcases(cast: Cast, now: dt.datetime) -> None:
    o = cast.open
    specs = [
        (
            "dev_chen",
            "公交到站提醒小程序",
            "app",
            "https://example.com/bus-reminder",
            [o[0], o[2]],
            "approve",
        ),
        (
            "researcher",
            "城市职住平衡分析报告",
            "research",
            "https://example.com/jobs-housing",
            [o[1], o[3]],
            "approve",
        ),
        (
            "reporter_liu",
            "一图看懂十年空气质量变化",
            "analysis",
            "https://example.com/air-story",
            [o[4]],
            "approve",
        ),
        (
            "student_sun",
            "校园周边餐饮地图",
            "website",
            "https://example.com/food-map",
            [o[5]],
            None,
        ),
        ("teacher_zhao", "课堂数据练习集", "other", "https://example.com/class", [o[6]], "reject"),
    ]
    for who, title, kind, url, datasets, decision in specs:
        showcase = talk.showcase_submit(
            actor=cast.users[who],
            data={
                "title": title,
                "description": f"{title}：基于平台开放数据制作。",
                "url": url,
                "kind": kind,
            },
            datasets=datasets,
            now=ago(now, 20),
        )
        if decision:
            talk.showcase_moderate(
                actor=cast.admin,
                showcase=showcase,
                approve=decision == "approve",
                reason="" if decision == "approve" else "链接内容与开放数据无关。",
                now=ago(now, 18),
            )


def summary() -> str:
    from portal.access.models import Grant
    from portal.interaction.models import Comment, DataRequest, Feedback, Rating, Showcase

    return (
        f"{AccessApplication.objects.count()} applications, {Grant.objects.count()} grants, "
        f"{DataRequest.objects.count()} data requests, {Feedback.objects.count()} error reports/"
        f"suggestions/complaints, {Rating.objects.count()} ratings, "
        f"{Comment.objects.count()} comments, {Showcase.objects.count()} showcases"
    )
