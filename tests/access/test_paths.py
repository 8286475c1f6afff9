"""A grant gates every path to conditional data: file downloads (latest and by version), the
preview and chart on the dataset page, the datastore records API and its exports, CKAN's
datastore_search and API keys — before approval, after approval, after revocation and after
expiry. `portal.selectors.can_download` is the one decision they all ask."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.access import services
from tests.access.conftest import CSV, approve, submit
from tests.portal.datastore.conftest import load
from tests.portal.datastore.test_api import key_for


def file_url(dataset):
    dist = dataset.distributions.first()
    return reverse("distribution-latest", kwargs={"slug": dataset.slug, "distribution_id": dist.pk})


def version_url(dataset):
    dist = dataset.distributions.first()
    return reverse(
        "version-download",
        kwargs={"slug": dataset.slug, "distribution_id": dist.pk, "number": 1},
    )


def page(client, dataset) -> str:
    return client.get(reverse("dataset-detail", args=[dataset.slug])).content.decode()


def revoke(world, grant):
    services.grant_revoke(actor=world.holder, grant=grant, reason="停止使用。", now=timezone.now())


def test_file_downloads_before_and_after_approval_and_after_revocation(client, world, cond):
    client.force_login(world.citizen)
    assert client.get(file_url(cond)).status_code == 403
    assert client.get(version_url(cond)).status_code == 403
    grant = approve(submit(cond, world.citizen), world.holder)
    response = client.get(file_url(cond))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CSV
    assert response["Cache-Control"] == "private, no-cache"
    assert client.get(version_url(cond)).status_code == 200
    revoke(world, grant)
    assert client.get(file_url(cond)).status_code == 403
    assert client.get(version_url(cond)).status_code == 403


def test_file_downloads_stop_when_the_grant_expires(client, world, cond):
    client.force_login(world.citizen)
    start = timezone.now()
    approve(submit(cond, world.citizen, now=start), world.holder, now=start, granted_days=1)
    assert client.get(file_url(cond)).status_code == 200
    with time_machine.travel(start + dt.timedelta(days=1, seconds=1)):
        assert client.get(file_url(cond)).status_code == 403


def test_a_refused_download_links_to_the_application_form(client, world, cond):
    client.force_login(world.citizen)
    body = client.get(file_url(cond)).content.decode()
    assert reverse("access:apply", args=[cond.slug]) in body


def test_the_preview_and_chart_are_shown_only_with_access(client, world, cond):
    client.force_login(world.citizen)
    before = page(client, cond)
    assert 'class="panel preview"' not in before
    assert "天河客运站" not in before
    assert "<code>线路数</code>" in before or "线路数" in before  # the data dictionary is public
    assert reverse("access:apply", args=[cond.slug]) in before
    grant = approve(submit(cond, world.citizen), world.holder)
    after = page(client, cond)
    assert 'class="panel preview"' in after and "天河客运站" in after
    assert 'class="button download-link"' in after
    revoke(world, grant)
    assert "天河客运站" not in page(client, cond)


def test_anonymous_visitors_see_no_preview_of_conditional_data(client, world, cond):
    body = page(client, cond)
    assert "天河客运站" not in body and 'class="panel preview"' not in body


@pytest.fixture
def cond_table(world, cond):
    job, table = load(cond, CSV)
    assert job.status == "succeeded", job.error
    return table


def records(table) -> str:
    return f"/api/v1/datastore/{table.distribution_id}/records"


def test_the_datastore_api_and_its_exports_honour_the_grant(client, world, cond, cond_table):
    key = key_for(world.citizen)
    csv = {"format": "csv"}
    assert client.get(records(cond_table), HTTP_X_API_KEY=key).status_code == 403
    assert client.get(records(cond_table), csv, HTTP_X_API_KEY=key).status_code == 403
    grant = approve(submit(cond, world.citizen), world.holder)
    by_key = client.get(records(cond_table), HTTP_X_API_KEY=key)
    assert by_key.status_code == 200 and len(by_key.json()["records"]) == 2
    assert client.get(records(cond_table), csv, HTTP_X_API_KEY=key).status_code == 200
    revoke(world, grant)
    assert client.get(records(cond_table), HTTP_X_API_KEY=key).status_code == 403
    assert client.get(records(cond_table), csv, HTTP_X_API_KEY=key).status_code == 403


def test_the_datastore_api_refuses_after_expiry(client, world, cond, cond_table):
    key = key_for(world.citizen)
    start = timezone.now()
    approve(submit(cond, world.citizen, now=start), world.holder, now=start, granted_days=2)
    assert client.get(records(cond_table), HTTP_X_API_KEY=key).status_code == 200
    with time_machine.travel(start + dt.timedelta(days=2, minutes=1)):
        assert client.get(records(cond_table), HTTP_X_API_KEY=key).status_code == 403


def test_ckan_datastore_search_honours_the_grant(client, world, cond, cond_table):
    key = key_for(world.citizen)
    url = "/api/3/action/datastore_search?" + f"resource_id={cond_table.distribution_id}"
    assert client.get(url, HTTP_X_API_KEY=key).status_code == 403
    grant = approve(submit(cond, world.citizen), world.holder)
    response = client.get(url, HTTP_X_API_KEY=key)
    assert response.status_code == 200 and response.json()["success"] is True
    revoke(world, grant)
    assert client.get(url, HTTP_X_API_KEY=key).status_code == 403


def test_a_grant_is_personal_another_users_key_is_refused(client, world, cond, cond_table):
    from tests.conftest import make_user

    approve(submit(cond, world.citizen), world.holder)
    stranger_key = key_for(make_user())
    response = client.get(records(cond_table), HTTP_X_API_KEY=stranger_key)
    assert response.status_code == 403
    assert json.loads(response.content)["status"] == 403
