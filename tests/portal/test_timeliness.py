"""Timeliness: due = last data update (or publication) + the promised period + grace; overdue
when that moment has passed. Calendar months in Shanghai time."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import services
from portal.timeliness import add_months, is_overdue, timeliness_of, update_due_at
from tests.conftest import at
from tests.portal.publishing_helpers import NOW, add_file, publish


@pytest.mark.parametrize(
    ("frequency", "due"),
    [
        ("realtime", at(2026, 1, 16, 9, 30)),
        ("daily", at(2026, 1, 16, 9, 30)),
        ("weekly", at(2026, 1, 22, 9, 30)),
        ("monthly", at(2026, 2, 15, 9, 30)),
        ("quarterly", at(2026, 4, 15, 9, 30)),
        ("half_yearly", at(2026, 7, 15, 9, 30)),
        ("yearly", at(2027, 1, 15, 9, 30)),
        ("irregular", None),
    ],
)
def test_each_frequency_promises_its_period(settings, frequency, due):
    settings.PORTAL_TIMELINESS_GRACE_DAYS = 0
    updated = at(2026, 1, 15, 9, 30)

    assert update_due_at(frequency=frequency, data_updated_at=updated, published_at=NOW) == due


def test_the_grace_days_are_added(settings):
    settings.PORTAL_TIMELINESS_GRACE_DAYS = 5

    due = update_due_at(frequency="weekly", data_updated_at=at(2026, 1, 1), published_at=NOW)

    assert due == at(2026, 1, 13)


def test_months_are_calendar_months_in_shanghai_time():
    # 23:30 on 31 January in Shanghai is still 31 January (15:30 UTC): one month later is the
    # last day of February, same wall-clock time.
    moment = at(2026, 1, 31, 23, 30)

    assert add_months(moment, 1) == at(2026, 2, 28, 23, 30)
    assert add_months(at(2028, 1, 31), 1) == at(2028, 2, 29)
    assert add_months(at(2026, 11, 30), 3) == at(2027, 2, 28)
    assert add_months(moment, 12) == at(2027, 1, 31, 23, 30)


def test_a_dataset_without_files_is_due_from_its_publication(world):
    dataset = publish(world, now=at(2026, 4, 1))

    assert dataset.data_updated_at is None
    assert dataset.update_due_at == at(2026, 5, 4)  # monthly + 3 days


def test_an_upload_moves_the_due_date(world):
    dataset = publish(world, now=at(2026, 4, 1))

    add_file(world, dataset, now=at(2026, 4, 20))

    dataset.refresh_from_db()
    assert dataset.data_updated_at == at(2026, 4, 20)
    assert dataset.update_due_at == at(2026, 5, 23)


def test_changing_the_frequency_recomputes_the_due_date(world):
    dataset = publish(world, now=at(2026, 4, 1))

    services.dataset_update(
        actor=world.holder, dataset=dataset, data={"update_frequency": "irregular"}, now=NOW
    )
    dataset.refresh_from_db()
    assert dataset.update_due_at is None
    services.dataset_update(
        actor=world.holder, dataset=dataset, data={"update_frequency": "daily"}, now=NOW
    )
    dataset.refresh_from_db()
    assert dataset.update_due_at == at(2026, 4, 5)


def test_overdue_means_the_due_moment_has_passed(world):
    dataset = publish(world, now=at(2026, 4, 1))
    due = dataset.update_due_at

    assert not is_overdue(dataset, due)
    assert is_overdue(dataset, due + dt.timedelta(seconds=1))
    state = timeliness_of(dataset, due + dt.timedelta(days=10, hours=1))
    assert (state.state, state.days) == ("overdue", 10)
    assert timeliness_of(dataset, due - dt.timedelta(days=2, hours=1)).state == "on_time"


def test_withdrawn_and_irregular_datasets_are_never_overdue(world):
    irregular = publish(world, data={"update_frequency": "irregular"})
    withdrawn = publish(world, now=at(2025, 1, 1))
    services.dataset_withdraw(actor=world.holder, dataset=withdrawn, reason="整改", now=NOW)
    withdrawn.refresh_from_db()

    assert timeliness_of(irregular, NOW).state == "no_promise"
    assert not is_overdue(withdrawn, NOW)
    assert timeliness_of(withdrawn, NOW).state == "withdrawn"
