"""Fixtures for the developer app: keys, datasets, API-shaped requests and usage rows."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from portal.developer import services
from portal.developer.models import ApiPlan
from portal.models import UsageKind, UsageRecord
from tests.conftest import make_org, make_user
from tests.portal.factories import make_dataset


@pytest.fixture
def dataset(world):
    return make_dataset(world, title="广州市公交线路")


@pytest.fixture
def other_dataset(world):
    return make_dataset(world, title="广州市停车场")


@pytest.fixture
def conditional_dataset(world):
    return make_dataset(world, title="广州市企业登记信息", open_category="conditional")


@pytest.fixture
def developer(db):
    return make_user("developer")


class Shenzhen:
    """A second Guangdong holder (coded by the world's Guangdong reviewer)."""

    def __init__(self, world) -> None:
        self.org = make_org("深圳市交通运输局", region="440300")
        self.staff = make_user("sz_holder", holder_staff=self.org)
        self.dataset = make_dataset(
            world, holder_org=self.org, user=self.staff, title="深圳市地铁客流"
        )


@pytest.fixture
def shenzhen(world):
    return Shenzhen(world)


def make_key(user, *, name="测试应用", scope="all_open", datasets=(), expires_at=None, now=None):
    return services.key_create(
        user=user,
        name=name,
        scope=scope,
        dataset_ids=[d.pk for d in datasets],
        expires_at=expires_at,
        now=now or timezone.now(),
    )


def api_request(path="/api/v1/datastore/1/records", *, key=None, ip="203.0.113.7", **headers):
    """A GET as the API views receive it; `key` goes in the Authorization header."""
    meta = {"REMOTE_ADDR": ip}
    if key is not None:
        meta["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    for name, value in headers.items():
        meta["HTTP_" + name.upper().replace("-", "_")] = value
    request = RequestFactory().get(path, **meta)
    request.user = AnonymousUser()
    return request


def usage_row(
    dataset, *, at, user=None, key=None, kind=UsageKind.API_CALL, status=200, rows=10, size=1000
):
    return UsageRecord.objects.create(
        request_id=uuid.uuid4(),
        kind=kind,
        dataset=dataset,
        user=user,
        api_key=key,
        status=status,
        rows=rows if kind == UsageKind.API_CALL else None,
        bytes=size,
        duration_ms=5,
        at=at,
    )


def set_plan(code: str, **limits) -> ApiPlan:
    ApiPlan.objects.filter(code=code).update(**limits)
    return ApiPlan.objects.get(code=code)


def utc(y, m, d, h=0, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=dt.UTC)
