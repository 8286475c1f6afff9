"""List endpoints cost the same number of queries whatever the number of rows (no N+1)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.models import Objection

API = "/api/v1/registry/"


def queries_for(client, path: str) -> tuple[int, int]:
    """(queries, rows) for one GET."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(API + path)
    assert response.status_code == 200, response.content
    return len(ctx), len(response.json()["results"])


def test_registration_list_queries_do_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.reviewer)
    for _ in range(2):
        world.in_notice()
    few, rows_few = queries_for(client, "registrations/")
    for _ in range(4):
        world.submitted()
    many, rows_many = queries_for(client, "registrations/?ordering=deadline")

    assert (rows_few, rows_many) == (2, 6)
    assert few == many
    with django_assert_max_num_queries(6):
        client.get(API + "registrations/")


def test_holder_registration_list_queries_do_not_grow_with_rows(client, world):
    client.force_login(world.holder)
    world.draft()
    few, _ = queries_for(client, "registrations/")
    for _ in range(4):
        world.draft()

    assert queries_for(client, "registrations/") == (few, 5)


def test_notice_list_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    now = timezone.now()
    first = world.in_notice(now=now)
    Objection.objects.create(registration=first, objector=world.citizen, reason="x", created_at=now)
    few, _ = queries_for(client, "notices/")
    for _ in range(4):
        world.in_notice(now=now)

    assert queries_for(client, "notices/") == (few, 5)
    with django_assert_max_num_queries(2):
        client.get(API + "notices/")


def test_register_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    world.coded()
    few, _ = queries_for(client, "records/?q=交通")
    for _ in range(3):
        world.coded()

    assert queries_for(client, "records/?q=交通") == (few, 4)
    with django_assert_max_num_queries(2):
        client.get(API + "records/")


def test_objection_list_queries_do_not_grow_with_rows(client, world):
    now = timezone.now()
    client.force_login(world.reviewer)
    reg = world.in_notice(now=now)
    Objection.objects.create(registration=reg, objector=world.citizen, reason="x", created_at=now)
    few, _ = queries_for(client, "objections/")
    for _ in range(4):
        Objection.objects.create(
            registration=world.in_notice(now=now),
            objector=world.citizen,
            reason="y",
            created_at=now,
        )

    assert queries_for(client, "objections/") == (few, 5)


def test_reference_lists_are_two_queries(client, world, django_assert_num_queries):
    for path in ("regions/?province=440000", "platforms/", "organisations/"):
        with django_assert_num_queries(2):  # count + page
            assert client.get(API + path).status_code == 200
