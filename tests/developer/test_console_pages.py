"""The developer console pages: keys created, renamed, rescoped, given an expiry, rotated and
revoked through the pages; the key is shown once; another user's key is a 404; bad input
comes back as field errors with nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.developer.access import KeyRefused, authenticate_request
from portal.developer.keys import KEY_PATTERN
from portal.developer.models import ApiKey
from tests.conftest import make_user
from tests.developer.conftest import api_request, make_key


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plaintext_in(response) -> str:
    match = KEY_PATTERN.search(response.content.decode())
    assert match, "the page shows no key"
    return match[0]


def future(days=30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_the_console_needs_a_login():
    response = Client().get(reverse("developer:key-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_creating_a_key_shows_it_once(developer):
    client = client_for(developer)

    response = client.post(
        reverse("developer:key-create"),
        {"name": "公交小程序", "expires_on": future(), "scope": "all_open"},
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    plaintext = plaintext_in(response)
    key = ApiKey.objects.get(user=developer)
    assert authenticate_request(api_request(key=plaintext)) == key
    assert key.expires_at.astimezone(
        timezone.get_current_timezone()
    ).date() == dt.date.fromisoformat(future()) + dt.timedelta(days=1)
    for page in ("developer:key-list", "developer:usage"):
        assert plaintext not in client.get(reverse(page)).content.decode()
    detail = client.get(reverse("developer:key-detail", args=[key.pk])).content.decode()
    assert key.prefix in detail
    assert plaintext not in detail


def test_the_key_list_shows_prefixes_status_and_last_use_but_no_secret(developer):
    key, plaintext = make_key(developer, name="天气应用")
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())

    page = client_for(developer).get(reverse("developer:key-list")).content.decode()

    assert "天气应用" in page and key.prefix in page and "有效" in page
    assert plaintext.split("_")[2] not in page
    assert "从未使用" not in page


def test_bad_input_on_creation_comes_back_as_field_errors(developer):
    client = client_for(developer)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("developer:key-create"),
        {"name": "   ", "expires_on": past, "scope": "datasets"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "该字段是必填项" in page
    assert "有效期须晚于今天" in page
    assert "请至少选择一个数据集" in page
    assert not ApiKey.objects.exists()
    response = client.post(
        reverse("developer:key-create"), {"name": "ok", "expires_on": past, "scope": "all_open"}
    )
    assert "有效期须晚于今天" in response.content.decode()
    response = client.post(
        reverse("developer:key-create"),
        {"name": "ok", "expires_on": future(), "scope": "datasets", "datasets": ["999999"]},
    )
    assert "field-error" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_a_duplicate_name_is_a_field_error(developer):
    make_key(developer, name="重复")

    response = client_for(developer).post(
        reverse("developer:key-create"),
        {"name": "重复", "expires_on": future(), "scope": "all_open"},
    )

    assert "已有同名的有效密钥" in response.content.decode()
    assert ApiKey.objects.count() == 1


def test_searching_the_catalogue_keeps_what_was_typed(developer, dataset, other_dataset):
    response = client_for(developer).post(
        reverse("developer:key-create"),
        {
            "name": "我的应用",
            "expires_on": future(),
            "scope": "datasets",
            "datasets": [str(dataset.pk)],
            "q": "停车场",
            "search": "1",
        },
    )

    page = response.content.decode()
    assert not ApiKey.objects.exists()
    assert 'value="我的应用"' in page
    assert f'value="{dataset.pk}" checked' in page
    assert other_dataset.title in page


def test_a_key_for_chosen_datasets_is_created_from_the_picker(developer, dataset, other_dataset):
    client = client_for(developer)
    page = client.get(reverse("developer:key-create") + f"?dataset={dataset.slug}").content.decode()
    assert f'value="{dataset.pk}" checked' in page

    client.post(
        reverse("developer:key-create"),
        {
            "name": "限定",
            "expires_on": future(),
            "scope": "datasets",
            "datasets": [dataset.pk, other_dataset.pk],
        },
    )

    key = ApiKey.objects.get()
    assert key.scope == "datasets"
    assert set(key.datasets.all()) == {dataset, other_dataset}


def test_renaming_and_changing_the_expiry_through_the_pages(developer):
    key, _ = make_key(developer, name="旧名")
    client = client_for(developer)

    client.post(reverse("developer:key-rename", args=[key.pk]), {"name": "新名"})
    client.post(reverse("developer:key-expiry", args=[key.pk]), {"expires_on": future(90)})
    bad = client.post(reverse("developer:key-rename", args=[key.pk]), {"name": ""})

    key.refresh_from_db()
    assert key.name == "新名"
    assert key.expires_at is not None
    assert bad.status_code == 200
    assert "该字段是必填项" in bad.content.decode()


def test_changing_the_scope_through_the_page(developer, dataset):
    key, _ = make_key(developer)
    client = client_for(developer)
    assert client.get(reverse("developer:key-scope", args=[key.pk])).status_code == 200

    response = client.post(
        reverse("developer:key-scope", args=[key.pk]),
        {"scope": "datasets", "datasets": [dataset.pk]},
    )
    empty = client.post(reverse("developer:key-scope", args=[key.pk]), {"scope": "datasets"})

    assert response.status_code == 302
    assert list(key.datasets.all()) == [dataset]
    assert "请至少选择一个数据集" in empty.content.decode()


def test_rotating_through_the_page_shows_the_new_key_and_kills_the_old(developer):
    key, old_plain = make_key(developer)

    response = client_for(developer).post(reverse("developer:key-rotate", args=[key.pk]))

    new_plain = plaintext_in(response)
    assert response["Cache-Control"] == "no-store"
    assert new_plain != old_plain
    with pytest.raises(KeyRefused):
        authenticate_request(api_request(key=old_plain))
    assert authenticate_request(api_request(key=new_plain)).rotated_from == key


def test_revoking_through_the_page(developer):
    key, plaintext = make_key(developer)
    client = client_for(developer)

    response = client.post(reverse("developer:key-revoke", args=[key.pk]))
    again = client.post(reverse("developer:key-rotate", args=[key.pk]), follow=True)

    assert response.status_code == 302
    with pytest.raises(KeyRefused):
        authenticate_request(api_request(key=plaintext))
    assert "已吊销" in again.content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("developer:key-detail", "get"),
        ("developer:key-scope", "get"),
        ("developer:key-rename", "post"),
        ("developer:key-expiry", "post"),
        ("developer:key-scope", "post"),
        ("developer:key-rotate", "post"),
        ("developer:key-revoke", "post"),
    ],
)
def test_another_users_key_is_a_404(developer, name, method):
    key, plaintext = make_key(developer)
    stranger = client_for(make_user("stranger"))

    response = getattr(stranger, method)(
        reverse(name, args=[key.pk]), {"name": "x", "scope": "all_open"}
    )

    assert response.status_code == 404
    key.refresh_from_db()
    assert key.name == "测试应用" and key.revoked_at is None
    assert authenticate_request(api_request(key=plaintext)) == key


def test_state_changes_need_a_post(developer):
    key, _ = make_key(developer)

    response = client_for(developer).get(reverse("developer:key-revoke", args=[key.pk]))

    assert response.status_code == 405
    key.refresh_from_db()
    assert key.revoked_at is None
