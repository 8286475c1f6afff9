"""`portal.lookups.fetch`: several lookups side by side in one statement give what the ORM
gives for each, with the relations cached, and None for a lookup that found nothing, in
every combination of found and missing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.datastore import selectors
from portal.datastore.models import DatastoreTable
from portal.developer.access import PresentedKey, key_lookup
from portal.developer.models import ApiKey
from portal.lookups import fetch
from tests.developer.conftest import make_key
from tests.portal.datastore.conftest import load
from tests.portal.factories import make_dataset

CSV = "站点,区\n天河客运站,天河区\n".encode()


@pytest.fixture
def found(world):
    _, table = load(make_dataset(world, title="查找测试"), CSV)
    key, _ = make_key(world.citizen)
    return table, key


def _key(prefix: str):
    return key_lookup(PresentedKey(True, prefix, "secret"))


@pytest.mark.parametrize("key_found", [True, False])
@pytest.mark.parametrize("table_found", [True, False])
def test_side_by_side_lookups_match_the_orm(found, key_found, table_found):
    table, key = found
    lookups = [
        selectors.table_lookup(table.distribution_id if table_found else 999_999),
        _key(key.prefix if key_found else "nosuchprefix"),
    ]
    with CaptureQueriesContext(connection) as queries:
        got_table, got_key = fetch(*lookups)
    assert not queries.captured_queries  # the lookups bypass the ORM's cursor
    if table_found:
        expected = DatastoreTable.objects.select_related("distribution__dataset", "version").get(
            pk=table.pk
        )
        assert got_table == expected
        assert got_table.columns == expected.columns
        assert got_table.distribution.dataset.title == expected.distribution.dataset.title
        assert (
            got_table.distribution.dataset.published_at
            == expected.distribution.dataset.published_at
        )
        assert got_table.version.sha256 == expected.version.sha256
    else:
        assert got_table is None
    if key_found:
        expected_key = ApiKey.objects.select_related("plan", "user").get(pk=key.pk)
        assert got_key == expected_key
        assert got_key.secret_hash == expected_key.secret_hash
        assert got_key.plan.code == expected_key.plan.code
        assert got_key.user.username == expected_key.user.username
    else:
        assert got_key is None


def test_one_lookup_alone_and_the_same_lookups_again(found):
    table, key = found
    [alone] = fetch(selectors.table_lookup(table.distribution_id))
    assert alone.pk == table.pk
    for _ in range(7):  # past the prepare threshold: the prepared statement answers the same
        got_table, got_key = fetch(selectors.table_lookup(table.distribution_id), _key(key.prefix))
        assert (got_table.pk, got_key.pk) == (table.pk, key.pk)
