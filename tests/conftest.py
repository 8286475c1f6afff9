"""Shared fixtures: reference data, personas and small factories. Real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from zoneinfo import ZoneInfo

import pytest
from celery.signals import task_postrun
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections, transaction

from portal.datastore import reader
from portal.developer.models import ApiPlan
from portal.models import Licence, Theme
from registry import services
from registry.models import (
    AttachmentKind,
    ObjectType,
    Organisation,
    Platform,
    Region,
    Role,
    RoleAssignment,
)
from registry.validators import make_credit_code

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Regions and platforms are reference data: load them once for the session. The
    datastore's reader connections (of every thread, live servers' included) are closed
    before the test database is dropped."""
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)
    yield
    reader.close_all()


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware moment in Shanghai time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_org(
    name: str = "", *, region: str = "440100", org_type: str = "organ", national: bool = False
) -> Organisation:
    n = next(_seq)
    code = make_credit_code(f"11{region}MB{n:07d}"[:17])
    return services.organisation_create(
        name=name or f"测试单位{n}",
        credit_code=code,
        org_type=org_type,
        region_code=region,
        is_national_level=national,
    )


def make_user(username: str = "", **roles):
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=username or f"user{n}", password="pw-123456!"
    )
    for role, target in roles.items():
        if role in (Role.HOLDER_STAFF, Role.AGENT):
            RoleAssignment.objects.create(user=user, role=role, organisation=target)
        else:
            RoleAssignment.objects.create(user=user, role=role, platform=target)
    return user


def metadata(**overrides) -> dict:
    data = {
        "name": "广州市公共交通线路站点数据",
        "summary": "全市公交线路、站点位置及首末班时间。",
        "industry": "G",
        "domain": "交通出行",
        "data_items": [
            {"name": "线路编号", "type": "code", "description": "公交线路编号"},
            {"name": "站点名称", "type": "string", "description": ""},
        ],
        "coverage_regions": ["440100"],
        "update_frequency": "monthly",
        "formats": ["CSV", "API"],
        "security_grade": "general",
        "open_category": "unconditional",
        "contact_name": "张三",
        "contact_phone": "020-12345678",
    }
    data.update(overrides)
    return data


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class World:
    """Personas: Guangdong holder staff and reviewers, a Zhejiang reviewer, national staff,
    a citizen."""

    def __init__(self) -> None:
        self.gd = Platform.objects.get(code="44")
        self.zj = Platform.objects.get(code="33")
        self.national = Platform.objects.get(code="national")
        self.holder_org = make_org("广州市交通运输局", region="440100")
        self.other_holder_org = make_org("杭州市数据资源局", region="330100")
        self.central_org = make_org("国家某部委", region="000000", national=True)
        self.holder = make_user("holder", holder_staff=self.holder_org)
        self.other_holder = make_user("other_holder", holder_staff=self.other_holder_org)
        self.central_holder = make_user("central_holder", holder_staff=self.central_org)
        self.reviewer = make_user("gd_reviewer", reviewer=self.gd)
        self.reviewer2 = make_user("gd_reviewer2", reviewer=self.gd)
        self.zj_reviewer = make_user("zj_reviewer", reviewer=self.zj)
        self.national_reviewer = make_user("nat_reviewer", reviewer=self.national)
        self.gd_admin = make_user("gd_admin", platform_admin=self.gd)
        self.citizen = make_user("citizen")

    def draft(
        self,
        *,
        user=None,
        holder=None,
        object_type=ObjectType.PUBLIC_DATA_RESOURCE,
        now=None,
        attach=True,
        **overrides,
    ):
        user = user or self.holder
        holder = holder or self.holder_org
        reg = services.registration_create_initial(
            actor=user,
            holder=holder,
            object_type=object_type,
            data=metadata(**overrides),
            now=now or at(2026, 3, 2),
        )
        if attach:
            for kind in (AttachmentKind.DESCRIPTION, AttachmentKind.COMMITMENT):
                services.attachment_add(
                    actor=user, registration=reg, kind=kind, upload=pdf(), now=now or at(2026, 3, 2)
                )
        return reg

    def submitted(self, *, now=None, **kw):
        now = now or at(2026, 3, 2)
        reg = self.draft(now=now, **kw)
        return services.registration_submit(
            actor=kw.get("user") or self.holder, registration=reg, now=now
        )

    def under_review(self, *, now=None, **kw):
        now = now or at(2026, 3, 2)
        reg = self.submitted(now=now, **kw)
        return services.registration_accept(actor=self.reviewer, registration=reg, now=now)

    def in_notice(self, *, now=None, **kw):
        now = now or at(2026, 3, 2)
        reg = self.under_review(now=now, **kw)
        return services.registration_approve_review(actor=self.reviewer, registration=reg, now=now)

    def coded(self, *, now=None, **kw):
        now = now or at(2026, 3, 2)
        reg = self.in_notice(now=now, **kw)
        return services.registration_complete(
            registration=reg, now=reg.notice_end + dt.timedelta(seconds=1)
        )


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Reference data loaded once per session (regions, platforms) or by data migrations (themes,
# licences, API plans). A `transactional_db` or `live_server` test ends with a flush that
# empties every table, so one snapshot is taken at the start and put back, when missing, before
# and after every test: whatever order the fixtures of a test tear down in (live_server's own
# transactional helper tears down after any conftest fixture), the next test finds it.
_REFERENCE_MODELS = (Region, Platform, Theme, Licence, ApiPlan)


@pytest.fixture(scope="session")
def _reference_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return [
            (model, [model(**row) for row in model.objects.values()]) for model in _REFERENCE_MODELS
        ]


def _restore_reference_data(snapshot) -> None:
    if Licence.objects.exists() and Region.objects.exists() and ApiPlan.objects.exists():
        return
    with transaction.atomic():  # regions' parent FKs are checked at commit
        for model, rows in snapshot:
            if not model.objects.exists():
                model.objects.bulk_create(rows)


_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _reference_data_present(request, django_db_blocker):
    # Only for tests that use the database: asking for the snapshot sets up the test
    # database, which a test without one must not trigger.
    uses_db = request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(
        request.fixturenames
    )
    if not uses_db:
        yield
        return
    snapshot = request.getfixturevalue("_reference_snapshot")
    with django_db_blocker.unblock():
        _restore_reference_data(snapshot)
    yield
    with django_db_blocker.unblock():
        _restore_reference_data(snapshot)


@pytest.fixture
def reference_data_restored(_reference_snapshot, django_db_blocker):
    """Kept for tests that name it; the autouse fixture above does the work for every test."""
    yield
    with django_db_blocker.unblock():
        _restore_reference_data(_reference_snapshot)


@pytest.fixture
def worker_app():
    """The project's Celery app with an in-memory result backend, a private queue (so that no
    other worker on the same broker takes the message) and DB connections closed after each
    task (the worker runs tasks in its own thread)."""
    from config.celery import app

    saved = {
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.result_backend = "cache+memory://"
    app.conf.task_always_eager = False
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)

    def close_connections(**kwargs):
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    yield app, f"test-{uuid.uuid4().hex}"
    task_postrun.disconnect(close_connections)
    app.conf.update(saved)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
