"""Key lifecycle through the services and `authenticate_request`: created once and stored as
a hash, rotated (the old key dies at once), revoked, expired, renamed, rescoped; last use
written at most once a minute."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from portal.developer import services
from portal.developer.access import KeyRefused, authenticate_request, metered_call
from portal.developer.keys import KEY_PATTERN, hash_secret
from portal.developer.models import ApiKey, ApiKeyEvent, KeyStatus
from registry.errors import Conflict, NotFound, ValidationFailed
from tests.conftest import make_user
from tests.developer.conftest import api_request, make_key


def test_a_new_key_is_returned_once_and_only_its_hash_is_stored(developer):
    key, plaintext = make_key(developer)

    match = KEY_PATTERN.fullmatch(plaintext)
    assert match and match[1] == key.prefix
    secret = match[2]
    stored = ApiKey.objects.filter(pk=key.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())
    assert stored["secret_hash"] == hash_secret(secret) != secret
    assert authenticate_request(api_request(key=plaintext)) == key
    assert ApiKeyEvent.objects.filter(key=key, action="created").count() == 1


def test_each_key_gets_its_own_prefix_and_secret(developer):
    first, first_plain = make_key(developer, name="一")
    second, second_plain = make_key(developer, name="二")

    assert first.prefix != second.prefix
    assert first.secret_hash != second.secret_hash
    assert first_plain != second_plain


def test_rotating_a_key_invalidates_the_old_one_at_once(developer, dataset):
    old, old_plain = make_key(developer, scope="datasets", datasets=[dataset])

    new, new_plain = services.key_rotate(actor=developer, key=old, now=timezone.now())

    with pytest.raises(KeyRefused):
        authenticate_request(api_request(key=old_plain))
    assert authenticate_request(api_request(key=new_plain)) == new
    old.refresh_from_db()
    assert old.status_at(timezone.now()) == KeyStatus.ROTATED
    assert new.rotated_from == old
    assert (new.name, new.scope, new.family) == (old.name, old.scope, old.family)
    assert list(new.datasets.all()) == [dataset]


def test_a_rotated_or_revoked_key_cannot_be_rotated_again(developer):
    key, _ = make_key(developer)
    services.key_rotate(actor=developer, key=key, now=timezone.now())

    with pytest.raises(Conflict):
        services.key_rotate(actor=developer, key=key, now=timezone.now())
    with pytest.raises(Conflict):
        services.key_revoke(actor=developer, key=key, now=timezone.now())


def test_a_revoked_key_is_refused_at_once(developer):
    key, plaintext = make_key(developer)

    services.key_revoke(actor=developer, key=key, now=timezone.now())

    with pytest.raises(KeyRefused):
        authenticate_request(api_request(key=plaintext))
    assert ApiKeyEvent.objects.filter(key=key, action="revoked", actor=developer).exists()


def test_an_expired_key_is_refused_and_works_again_when_extended(developer):
    now = timezone.now()
    key, plaintext = make_key(developer, expires_at=now + dt.timedelta(days=1))

    with time_machine.travel(now + dt.timedelta(days=1, seconds=1), tick=False):
        with pytest.raises(KeyRefused):
            authenticate_request(api_request(key=plaintext))
        services.key_set_expiry(
            actor=developer, key=key, expires_at=now + dt.timedelta(days=30), now=timezone.now()
        )
        assert authenticate_request(api_request(key=plaintext)) == key


def test_a_key_of_a_deactivated_user_is_refused(developer):
    _, plaintext = make_key(developer)
    developer.is_active = False
    developer.save(update_fields=["is_active"])

    with pytest.raises(KeyRefused):
        authenticate_request(api_request(key=plaintext))


def test_last_used_is_written_at_most_once_a_minute(developer, dataset):
    key, plaintext = make_key(developer)
    start = timezone.now()

    def call(at):
        with time_machine.travel(at, tick=False):
            found = authenticate_request(api_request(key=plaintext))
            with metered_call(request=api_request(), key=found, user=developer, dataset=dataset):
                pass

    call(start)
    key.refresh_from_db()
    assert key.last_used_at == start
    call(start + dt.timedelta(seconds=30))
    key.refresh_from_db()
    assert key.last_used_at == start
    call(start + dt.timedelta(seconds=61))
    key.refresh_from_db()
    assert key.last_used_at == start + dt.timedelta(seconds=61)


def test_names_are_unique_among_live_keys_and_freed_by_revocation(developer):
    key, _ = make_key(developer, name="公交查询")

    with pytest.raises(ValidationFailed) as exc:
        make_key(developer, name=" 公交查询 ")
    assert "name" in exc.value.errors
    services.key_revoke(actor=developer, key=key, now=timezone.now())
    again, _ = make_key(developer, name="公交查询")
    assert again.name == "公交查询"


def test_renaming_to_another_live_keys_name_is_a_field_error(developer):
    make_key(developer, name="甲")
    second, _ = make_key(developer, name="乙")

    with pytest.raises(ValidationFailed) as exc:
        services.key_rename(actor=developer, key=second, name="甲", now=timezone.now())
    assert exc.value.errors == {"name": ["You already have a key with this name."]}


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 101, "At most 100 characters."),
        ("a\x00b", "Control characters are not allowed."),
    ],
)
def test_bad_names_are_refused_with_the_rule(developer, name, rule):
    with pytest.raises(ValidationFailed) as exc:
        make_key(developer, name=name)
    assert exc.value.errors["name"] == [rule]


def test_an_expiry_in_the_past_is_refused(developer):
    with pytest.raises(ValidationFailed) as exc:
        make_key(developer, expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert exc.value.errors == {"expires_at": ["The expiry must be in the future."]}


def test_a_maximum_lifetime_makes_the_expiry_required_and_bounded(developer, settings):
    settings.DEVELOPER_KEY_MAX_LIFETIME_DAYS = 90
    now = timezone.now()

    with pytest.raises(ValidationFailed) as missing:
        make_key(developer, expires_at=None, now=now)
    with pytest.raises(ValidationFailed) as too_long:
        make_key(developer, expires_at=now + dt.timedelta(days=92), now=now)
    key, _ = make_key(developer, expires_at=now + dt.timedelta(days=90), now=now)

    assert "expires_at" in missing.value.errors
    assert too_long.value.errors == {"expires_at": ["At most 90 days from today."]}
    assert key.expires_at == now + dt.timedelta(days=90)


def test_a_dataset_scope_needs_published_datasets(developer, dataset):
    with pytest.raises(ValidationFailed) as empty:
        make_key(developer, scope="datasets", datasets=[])
    dataset.status = "withdrawn"
    dataset.save(update_fields=["status"])
    with pytest.raises(ValidationFailed) as withdrawn:
        make_key(developer, scope="datasets", datasets=[dataset])
    with pytest.raises(ValidationFailed) as bad_scope:
        make_key(developer, scope="everything")

    assert empty.value.errors == {"datasets": ["Choose at least one dataset."]}
    assert withdrawn.value.errors == {
        "datasets": [f"Unknown or unpublished datasets: {dataset.pk}."]
    }
    assert "scope" in bad_scope.value.errors


def test_changing_the_scope_to_all_open_clears_the_datasets(developer, dataset, other_dataset):
    key, _ = make_key(developer, scope="datasets", datasets=[dataset])

    services.key_update_scope(
        actor=developer,
        key=key,
        scope="datasets",
        dataset_ids=[other_dataset.pk],
        now=timezone.now(),
    )
    assert list(key.datasets.all()) == [other_dataset]
    services.key_update_scope(
        actor=developer, key=key, scope="all_open", dataset_ids=[dataset.pk], now=timezone.now()
    )
    key.refresh_from_db()
    assert key.scope == "all_open"
    assert key.datasets.count() == 0


def test_a_user_has_at_most_the_configured_number_of_live_keys(developer, settings):
    settings.DEVELOPER_MAX_KEYS_PER_USER = 2
    first, _ = make_key(developer, name="1")
    make_key(developer, name="2")

    with pytest.raises(ValidationFailed) as exc:
        make_key(developer, name="3")
    services.key_revoke(actor=developer, key=first, now=timezone.now())
    third, _ = make_key(developer, name="3")

    assert "non_field_errors" in exc.value.errors
    assert third.pk


def test_another_users_key_cannot_be_changed(developer):
    key, plaintext = make_key(developer)
    stranger = make_user("stranger")
    now = timezone.now()

    for call in (
        lambda: services.key_revoke(actor=stranger, key=key, now=now),
        lambda: services.key_rotate(actor=stranger, key=key, now=now),
        lambda: services.key_rename(actor=stranger, key=key, name="x", now=now),
        lambda: services.key_set_expiry(actor=stranger, key=key, expires_at=None, now=now),
        lambda: services.key_update_scope(
            actor=stranger, key=key, scope="all_open", dataset_ids=[], now=now
        ),
    ):
        with pytest.raises(NotFound):
            call()
    assert authenticate_request(api_request(key=plaintext)) == key


def test_keys_made_under_a_previous_secret_key_verify_while_it_is_a_fallback(developer, settings):
    _, plaintext = make_key(developer)
    old = settings.SECRET_KEY

    settings.SECRET_KEY = "a-new-secret-key-for-the-platform-0123456789"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert authenticate_request(api_request(key=plaintext)) is not None
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(KeyRefused):
        authenticate_request(api_request(key=plaintext))


def test_the_plans_are_reference_data_with_the_documented_limits(db):
    from portal.developer.models import ApiPlan

    limits = {p.code: (p.rate_per_minute, p.quota_per_day) for p in ApiPlan.objects.all()}

    assert limits == {
        "anonymous": (30, 1_000),
        "standard": (600, 50_000),
        "partner": (3_000, 1_000_000),
    }


def test_new_keys_get_the_configured_default_plan(developer, settings):
    settings.DEVELOPER_DEFAULT_PLAN = "partner"

    key, _ = make_key(developer)

    assert key.plan.code == "partner"
