"""Usage dashboards: the developer's own usage and the holders' "who uses my data". Both read
the day rollups only (their query count does not depend on the number of usage rows), and a
holder never sees another organisation's dataset."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.developer.rollup import rollup_recent
from portal.models import UsageKind
from tests.conftest import make_user
from tests.developer.conftest import make_key, usage_row


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def chart(response, name):
    return json.loads(
        response.content.decode()
        .split(f'<script id="chart-{name}" type="application/json">')[1]
        .split("</script>")[0]
    )


def add_usage(dataset, *, user, key, calls, rows=10):
    now = timezone.now()
    for _ in range(calls):
        usage_row(dataset, at=now, user=user, key=key, rows=rows, size=1000)
    rollup_recent(now=now)


def test_the_developer_sees_calls_rows_and_bytes_per_day_and_dataset(
    developer, dataset, other_dataset
):
    key, _ = make_key(developer)
    add_usage(dataset, user=developer, key=key, calls=3, rows=7)
    add_usage(other_dataset, user=developer, key=key, calls=1, rows=2)
    stranger = make_user("stranger")
    add_usage(dataset, user=stranger, key=make_key(stranger)[0], calls=50)

    response = client_for(developer).get(reverse("developer:usage"))

    assert response.status_code == 200
    report = response.context["report"]
    assert report.totals == {"calls": 4, "errors": 0, "rows": 23, "bytes": 4000}
    assert [(d["title"], d["api_calls"], d["rows"]) for d in report.by_dataset] == [
        ("广州市公交线路", 3, 21),
        ("广州市停车场", 1, 2),
    ]
    calls = chart(response, "calls")
    assert calls["labels"][-1] == timezone.localdate().isoformat()
    assert calls["series"][0]["data"][-1] == 4
    assert len(calls["labels"]) == 30
    assert chart(response, "rows")["series"][0]["data"][-1] == 23


def test_the_dashboard_reads_rollups_not_raw_rows(developer, dataset):
    key, _ = make_key(developer)
    usage_row(dataset, at=timezone.now(), user=developer, key=key)  # not rolled up yet

    report = client_for(developer).get(reverse("developer:usage")).context["report"]

    assert report.totals["calls"] == 0


def test_the_dashboard_can_show_one_key_and_its_rotations(developer, dataset):
    from portal.developer import services

    first, _ = make_key(developer, name="一")
    second, _ = make_key(developer, name="二")
    add_usage(dataset, user=developer, key=first, calls=2)
    add_usage(dataset, user=developer, key=second, calls=5)
    rotated, _ = services.key_rotate(actor=developer, key=first, now=timezone.now())
    add_usage(dataset, user=developer, key=rotated, calls=1)

    response = client_for(developer).get(
        reverse("developer:usage"), {"key": rotated.pk, "days": "7"}
    )

    assert response.context["report"].totals["calls"] == 3
    assert len(chart(response, "calls")["labels"]) == 7


def test_another_users_key_is_not_a_dashboard_filter(developer, dataset):
    stranger = make_user("stranger")
    key, _ = make_key(stranger)
    add_usage(dataset, user=stranger, key=key, calls=4)

    response = client_for(developer).get(reverse("developer:usage"), {"key": key.pk, "days": "abc"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"key", "days"}
    assert response.context["report"].totals["calls"] == 0


@pytest.mark.parametrize("rows_per_dataset", [1, 25])
def test_the_developer_dashboards_query_count_does_not_depend_on_usage(
    developer, dataset, other_dataset, django_assert_num_queries, rows_per_dataset
):
    key, _ = make_key(developer)
    for ds in (dataset, other_dataset):
        add_usage(ds, user=developer, key=key, calls=rows_per_dataset)
    client = client_for(developer)
    client.get(reverse("developer:usage"))  # warm the session and the user

    # session, user, roles, totals, per day, per dataset, the key filter's options
    with django_assert_num_queries(7):
        response = client.get(reverse("developer:usage"))
    assert response.context["report"].totals["calls"] == 2 * rows_per_dataset


# --------------------------------------------------------------------------- holders


def test_a_holder_sees_who_uses_their_data(world, developer, dataset, shenzhen):
    key, _ = make_key(developer)
    add_usage(dataset, user=developer, key=key, calls=3)
    add_usage(dataset, user=None, key=None, calls=2)
    now = timezone.now()
    usage_row(dataset, at=now, kind=UsageKind.DOWNLOAD, size=5000)
    add_usage(shenzhen.dataset, user=developer, key=key, calls=9)

    response = client_for(world.holder).get(reverse("developer:holder-usage"))

    assert response.status_code == 200
    report = response.context["report"]
    assert [(d["title"], d["api_calls"], d["downloads"]) for d in report.by_dataset] == [
        ("广州市公交线路", 5, 1)
    ]
    consumers = {(c["user"], c["key_prefix"]): c["calls"] for c in report.by_consumer}
    assert consumers == {("developer", key.prefix): 3, (None, None): 3}
    page = response.content.decode()
    assert "深圳市地铁客流" not in page
    assert "匿名" in page


def test_another_organisations_dataset_is_never_shown_to_a_holder(world, developer, shenzhen):
    key, _ = make_key(developer)
    add_usage(shenzhen.dataset, user=developer, key=key, calls=9)

    response = client_for(world.holder).get(
        reverse("developer:holder-usage"), {"dataset": shenzhen.dataset.pk}
    )

    assert response.status_code == 200
    assert "dataset" in response.context["form"].errors
    assert response.context["report"].totals["calls"] == 0
    assert "深圳市地铁客流" not in response.content.decode()
    theirs = client_for(shenzhen.staff).get(
        reverse("developer:holder-usage"), {"dataset": shenzhen.dataset.pk}
    )
    assert theirs.context["report"].totals["calls"] == 9


def test_a_user_who_is_not_holder_staff_gets_a_404(developer):
    assert client_for(developer).get(reverse("developer:holder-usage")).status_code == 404


@pytest.mark.parametrize("consumers", [1, 12])
def test_the_holder_pages_query_count_does_not_depend_on_usage(
    world, dataset, django_assert_num_queries, consumers
):
    for i in range(consumers):
        user = make_user(f"dev{i}")
        add_usage(dataset, user=user, key=make_key(user)[0], calls=3)
    client = client_for(world.holder)
    client.get(reverse("developer:holder-usage"))

    # session, user, roles, totals, per day, per dataset, per consumer, the dataset options
    with django_assert_num_queries(8):
        response = client.get(reverse("developer:holder-usage"))
    assert response.context["report"].totals["calls"] == 3 * consumers
