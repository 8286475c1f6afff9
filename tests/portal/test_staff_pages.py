"""The holder's publishing pages: access, the dashboard with timeliness, publish and edit
forms with field errors, withdrawal and republication, files, versions and uploads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import services
from portal.models import Dataset, DatasetStatus, Distribution, DistributionVersion
from tests.conftest import at
from tests.portal.publishing_helpers import NOW, add_file, coded_record, publish

DATASET_URLS = [
    ("publish-dataset", []),
    ("publish-edit", []),
    ("publish-add-file", []),
]


@pytest.fixture
def dataset(world) -> Dataset:
    return publish(world)


def form_data(**overrides) -> dict:
    data = {
        "title": "广州市公交站点",
        "description": "# 公交站点\n\n全市站点。",
        "theme": "transport",
        "industry": "G",
        "tags": "公交、站点",
        "licence": "platform-open",
        "update_frequency": "monthly",
        "contact_name": "张三",
        "contact_phone": "020-12345678",
        "contact_email": "",
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------- access


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("publish-home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["citizen", "reviewer"])
def test_people_who_are_not_holder_staff_get_404(client, world, persona):
    client.force_login(getattr(world, persona))

    assert client.get(reverse("publish-home")).status_code == 404


@pytest.mark.parametrize(("name", "extra"), DATASET_URLS)
def test_another_organisations_dataset_pages_are_404(client, world, dataset, name, extra):
    client.force_login(world.other_holder)

    assert client.get(reverse(name, args=[dataset.slug, *extra])).status_code == 404


def test_another_organisations_record_cannot_be_published_here(client, world):
    resource = coded_record(world)
    client.force_login(world.other_holder)

    response = client.post(reverse("publish-create", args=[resource.code]), form_data())

    assert response.status_code == 404
    assert not Dataset.objects.exists()


def test_the_registry_staff_home_links_holder_staff_to_publishing(client, world):
    client.force_login(world.holder)

    html = client.get(reverse("registry:staff-home")).content.decode()

    assert reverse("publish-home") in html


# --------------------------------------------------------------------------- dashboard


def test_the_dashboard_lists_datasets_with_timeliness_and_records_to_publish(client, world):
    on_time = publish(world, data={"title": "按时更新的数据"})
    add_file(world, on_time, now=dt.datetime.now(tz=dt.UTC))
    overdue = publish(world, data={"title": "逾期未更新的数据"}, now=at(2025, 1, 1))
    waiting = coded_record(world, name="待发布的登记记录")
    coded_record(world, name="不予开放的记录", open_category="not_open")
    client.force_login(world.holder)

    response = client.get(reverse("publish-home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "按时更新的数据" in html and "逾期未更新的数据" in html
    assert "已逾期" in html and "按时" in html
    assert response.context["stats"]["overdue"] == 1
    assert reverse("publish-create", args=[waiting.code]) in html
    assert "不予开放的记录" not in html
    rows = {d.pk: t.state for d, t in response.context["rows"]}
    assert rows == {on_time.pk: "on_time", overdue.pk: "overdue"}


def test_the_dashboard_counts_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(5):
        add_file(world, publish(world, data={"title": f"数据集{n}"}))
    client.force_login(world.holder)

    with django_assert_max_num_queries(15):
        assert client.get(reverse("publish-home")).status_code == 200


# --------------------------------------------------------------------------- publish and edit


def test_the_publish_form_is_prefilled_from_the_record(client, world):
    resource = coded_record(world, name="广州市停车场数据", domain="交通出行")
    client.force_login(world.holder)

    response = client.get(reverse("publish-create", args=[resource.code]))

    form = response.context["form"]
    assert form.initial["title"] == "广州市停车场数据"
    assert form.initial["theme"] == "transport"
    assert form.initial["licence"] == "platform-open"
    assert "无条件开放" in response.content.decode()


def test_publishing_from_the_form(client, world):
    resource = coded_record(world)
    client.force_login(world.holder)

    response = client.post(reverse("publish-create", args=[resource.code]), form_data())

    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publish-dataset", args=[dataset.slug])
    assert dataset.tags == ["公交", "站点"]
    assert dataset.description == "# 公交站点\n\n全市站点。"


def test_field_errors_are_shown_in_place(client, world):
    resource = coded_record(world)
    client.force_login(world.holder)

    response = client.post(
        reverse("publish-create", args=[resource.code]),
        form_data(title="", contact_phone="call me", tags="、".join(f"t{n}" for n in range(25))),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"]
    assert form.errors["contact_phone"] == ["电话号码格式不正确。"]
    assert form.errors["tags"] == ["标签最多 20 个。"]
    assert not Dataset.objects.exists()


def test_a_form_post_cannot_assign_registry_fields(client, world):
    resource = coded_record(world, open_category="conditional")
    client.force_login(world.holder)

    client.post(
        reverse("publish-create", args=[resource.code]),
        form_data(
            open_category="unconditional", status="withdrawn", holder=world.other_holder_org.pk
        ),
    )

    dataset = Dataset.objects.get()
    assert dataset.open_category == "conditional"
    assert dataset.status == DatasetStatus.PUBLISHED
    assert dataset.holder == world.holder_org


def test_a_record_that_is_not_open_is_sent_back_to_the_dashboard(client, world):
    resource = coded_record(world, open_category="not_open")
    client.force_login(world.holder)

    response = client.get(reverse("publish-create", args=[resource.code]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("publish-home")
    assert "不予开放" in response.content.decode()


def test_an_already_published_record_goes_to_its_dataset(client, world, dataset):
    client.force_login(world.holder)

    response = client.get(reverse("publish-create", args=[dataset.resource.code]))

    assert response["Location"] == reverse("publish-dataset", args=[dataset.slug])


def test_editing_a_dataset(client, world, dataset):
    client.force_login(world.holder)
    url = reverse("publish-edit", args=[dataset.slug])

    form = client.get(url).context["form"]
    response = client.post(url, {**form.initial, "title": "新的标题", "tags": "甲,乙"})

    dataset.refresh_from_db()
    assert response.status_code == 302
    assert dataset.title == "新的标题" and dataset.tags == ["甲", "乙"]


# --------------------------------------------------------------------------- withdraw


def test_withdrawing_needs_a_reason(client, world, dataset):
    client.force_login(world.holder)

    response = client.post(reverse("publish-withdraw", args=[dataset.slug]), {"reason": " "})

    assert response.status_code == 200
    assert response.context["reason_form"].errors["reason"]
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED


def test_withdrawing_and_republishing(client, world, dataset):
    client.force_login(world.holder)

    client.post(reverse("publish-withdraw", args=[dataset.slug]), {"reason": "数据整改"})
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.WITHDRAWN
    page = client.get(reverse("publish-dataset", args=[dataset.slug])).content.decode()
    assert "数据整改" in page and reverse("publish-republish", args=[dataset.slug]) in page

    client.post(reverse("publish-republish", args=[dataset.slug]))
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED


def test_withdrawing_twice_says_why_not(client, world, dataset):
    services.dataset_withdraw(actor=world.holder, dataset=dataset, reason="x", now=NOW)
    client.force_login(world.holder)

    response = client.post(
        reverse("publish-withdraw", args=[dataset.slug]), {"reason": "再次"}, follow=True
    )

    assert "当前状态为“已下线”" in response.content.decode()


def test_the_withdraw_and_republish_urls_only_take_posts(client, world, dataset):
    client.force_login(world.holder)

    assert client.get(reverse("publish-withdraw", args=[dataset.slug])).status_code == 405
    assert client.get(reverse("publish-republish", args=[dataset.slug])).status_code == 405


# --------------------------------------------------------------------------- files


def test_adding_a_file_creates_a_distribution_and_version_1(client, world, dataset):
    client.force_login(world.holder)

    response = client.post(
        reverse("publish-add-file", args=[dataset.slug]),
        {
            "title": "站点列表",
            "description": "全部站点",
            "file": SimpleUploadedFile("站点.csv", "编号,名称\n1,甲\n".encode()),
        },
    )

    assert response.status_code == 302
    version = DistributionVersion.objects.get()
    assert (version.number, version.row_count, version.distribution.title) == (1, 1, "站点列表")
    assert len(version.sha256) == 64


def test_a_refused_file_is_reported_on_the_field(client, world, dataset):
    client.force_login(world.holder)

    response = client.post(
        reverse("publish-add-file", args=[dataset.slug]),
        {"title": "x", "file": SimpleUploadedFile("x.csv", b"<html><body>hi</body></html>")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["文件内容是网页（HTML），不是 CSV 数据。"]
    assert not Distribution.objects.exists()


def test_a_missing_file_is_a_field_error(client, world, dataset):
    client.force_login(world.holder)

    response = client.post(reverse("publish-add-file", args=[dataset.slug]), {"title": "x"})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_uploads_keep_csrf_protection(world, dataset):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.holder)

    response = client.post(
        reverse("publish-add-file", args=[dataset.slug]),
        {"title": "x", "file": SimpleUploadedFile("x.csv", b"a\n1\n")},
    )

    assert response.status_code == 403
    assert not Distribution.objects.exists()


def test_uploading_a_new_version_and_the_history(client, world, dataset):
    first = add_file(world, dataset, content=b"a\n1\n")
    dist = first.distribution
    client.force_login(world.holder)

    response = client.post(
        reverse("publish-upload-version", args=[dataset.slug, dist.pk]),
        {"file": SimpleUploadedFile("v2.csv", b"a\n1\n2\n")},
    )

    assert response.status_code == 302
    dist.refresh_from_db()
    assert dist.current_version.number == 2
    history = client.get(reverse("publish-versions", args=[dataset.slug, dist.pk]))
    html = history.content.decode()
    assert [v.number for v in history.context["versions"]] == [2, 1]
    assert reverse("distribution-latest", args=[dataset.slug, dist.pk]) in html
    assert reverse("publish-version-download", args=[dataset.slug, dist.pk, 1]) in html


def test_the_holder_downloads_versions_of_a_withdrawn_dataset_unmetered(client, world, dataset):
    version = add_file(world, dataset, content=b"a\n1\n")
    services.dataset_withdraw(actor=world.holder, dataset=dataset, reason="整改", now=NOW)
    client.force_login(world.holder)

    response = client.get(
        reverse("publish-version-download", args=[dataset.slug, version.distribution_id, 1])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a\n1\n"
    assert response["Cache-Control"] == "private, no-store"
    dataset.refresh_from_db()
    assert dataset.download_count == 0


def test_another_organisation_cannot_upload_a_version(client, world, dataset):
    dist = add_file(world, dataset).distribution
    client.force_login(world.other_holder)

    response = client.post(
        reverse("publish-upload-version", args=[dataset.slug, dist.pk]),
        {"file": SimpleUploadedFile("v2.csv", b"a\n")},
    )

    assert response.status_code == 404
    assert dist.versions.count() == 1
