"""Two holder staff publish the same record at the same moment: exactly one dataset."""

from __future__ import annotations

import threading

from django.db import connection

from portal import services
from portal.models import Dataset
from registry.errors import Conflict
from tests.conftest import World, make_user
from tests.portal.publishing_helpers import NOW, coded_record


def test_concurrent_publications_of_one_record_make_one_dataset(
    reference_data_restored, transactional_db
):
    world = World()
    resource = coded_record(world)
    users = [world.holder, make_user(holder_staff=world.holder_org)]
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def publish(user) -> None:
        try:
            barrier.wait(timeout=30)
            services.dataset_publish(actor=user, resource=resource, data={}, now=NOW)
            outcomes.append("published")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["conflict", "published"]
    assert Dataset.objects.filter(resource=resource).count() == 1
