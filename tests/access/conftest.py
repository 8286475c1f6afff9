"""Fixtures for conditional access: a conditional dataset with a file, and applications."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.access import services
from tests.portal.factories import add_file, make_dataset

CSV = "站点,区,线路数\n天河客运站,天河区,12\n体育中心,天河区,8\n".encode()
PREVIEW = {"columns": ["站点", "区", "线路数"], "rows": [["天河客运站", "天河区", "12"]]}

FORM = {
    "purpose": "研究城市公交客流的时空分布。",
    "scenario": "高校交通规划课题，仅用于学术研究。",
    "security_measures": "数据存放在内网服务器，专人管理，课题结束后删除。",
    "period_days": 90,
}


@pytest.fixture
def cond(world):
    dataset = make_dataset(world, title="企业用电明细", open_category="conditional")
    add_file(dataset, content=CSV, preview=PREVIEW)
    return dataset


def submit(dataset, user, *, now=None, **overrides):
    data = {**FORM, **overrides}
    return services.application_submit(
        applicant=user, datasets=[dataset], data=data, now=now or timezone.now()
    )


def approve(app, actor, *, now=None, **kw):
    return services.application_approve(
        actor=actor,
        application=app,
        reason="用途明确，安全措施到位。",
        now=now or timezone.now(),
        **kw,
    )


@pytest.fixture
def shenzhen(world):
    """A second Guangdong holder (the world's Guangdong reviewer codes its records) and one of
    its staff."""
    from tests.conftest import make_org, make_user

    org = make_org("深圳市供电局", region="440300")
    return org, make_user("sz_staff", holder_staff=org)


def other_conditional(world, shenzhen, title="深圳市用电数据"):
    org, staff = shenzhen
    return make_dataset(world, holder_org=org, user=staff, title=title, open_category="conditional")
