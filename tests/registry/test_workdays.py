"""Chinese working days, checked against the real 2026 schedule (国务院办公厅 2026 holiday
notice, as shipped in the chinesecalendar package):

- Spring Festival: 15-23 February off; Saturday 14 February and Saturday 28 February worked.
- Labour Day: 1-5 May off; Saturday 9 May worked.
- Mid-autumn: 25-27 September off. National Day: 1-7 October off; Sunday 20 September and
  Saturday 10 October worked.
"""

from __future__ import annotations

import datetime as dt

import pytest

from registry import services
from registry.models import WorkdayOverride
from registry.workdays import (
    SHANGHAI,
    add_working_days,
    deadline_after,
    is_workday,
    local_date,
    working_days_between,
)
from tests.conftest import at

D = dt.date


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 13), True),  # Friday before the festival
        (D(2026, 2, 14), True),  # make-up Saturday
        (D(2026, 2, 16), False),  # Monday inside the festival
        (D(2026, 2, 23), False),  # last festival day, a Monday
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # make-up Saturday
        (D(2026, 3, 1), False),  # ordinary Sunday
        (D(2026, 9, 20), True),  # make-up Sunday
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # make-up Saturday
        (D(2026, 10, 11), False),
    ],
)
def test_the_2026_calendar_has_holidays_and_make_up_weekend_days(db, day, expected):
    assert is_workday(day) is expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 2, 12), 1, D(2026, 2, 13)),
        (D(2026, 2, 12), 2, D(2026, 2, 14)),  # the make-up Saturday counts
        (D(2026, 2, 12), 3, D(2026, 2, 24)),  # then the whole festival is skipped
        (D(2026, 2, 13), 3, D(2026, 2, 25)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # start day itself is never counted
        (D(2026, 2, 20), 5, D(2026, 2, 28)),  # ending on the second make-up Saturday
        (D(2026, 3, 2), 3, D(2026, 3, 5)),  # an ordinary week
        (D(2026, 3, 5), 2, D(2026, 3, 9)),  # over an ordinary weekend
    ],
)
def test_adding_working_days_across_the_spring_festival(db, start, days, expected):
    assert add_working_days(start, days) == expected


def test_a_deadline_across_the_spring_festival_ends_at_midnight_shanghai(db):
    deadline = deadline_after(at(2026, 2, 13, 16, 30), 3)

    assert deadline == end_of(D(2026, 2, 25))
    assert deadline.utcoffset() == dt.timedelta(hours=8)
    assert (deadline.hour, deadline.minute, deadline.second) == (23, 59, 59)
    assert deadline.astimezone(dt.UTC) == dt.datetime(2026, 2, 25, 15, 59, 59, 999999, dt.UTC)


def test_a_deadline_counts_from_the_shanghai_date_of_the_moment(db):
    # 17:00 UTC on Monday 2 March is already Tuesday 3 March in Shanghai.
    moment = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)

    assert local_date(moment) == D(2026, 3, 3)
    assert deadline_after(moment, 3) == end_of(D(2026, 3, 6))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 2, 13), D(2026, 2, 28), 6),  # 14, 24, 25, 26, 27, 28
        (D(2026, 2, 28), D(2026, 2, 13), -6),
        (D(2026, 2, 15), D(2026, 2, 23), 0),
        (D(2026, 9, 30), D(2026, 10, 10), 3),  # 8, 9 and the make-up 10 October
        (D(2026, 3, 2), D(2026, 3, 2), 0),
    ],
)
def test_working_days_between_counts_holidays_and_make_up_days(db, start, end, expected):
    assert working_days_between(start, end) == expected


def test_the_ten_working_day_notice_across_national_day(world):
    reg = world.under_review(now=at(2026, 9, 29))

    reg = services.registration_approve_review(
        actor=world.reviewer, registration=reg, now=at(2026, 9, 29, 15)
    )

    # 30 Sep (1); 1-7 Oct off; 8 (2), 9 (3), Saturday 10 (4, make-up), 12-16 (5-9), 19 (10).
    assert reg.notice_end == end_of(D(2026, 10, 19))


def test_a_notice_over_both_make_up_days_of_national_day(db):
    # From Friday 18 Sep: Sunday 20 (1, make-up), 21-24 (2-5), 25-27 off, 28-30 (6-8),
    # 1-7 Oct off, 8 Oct (9), 9 Oct (10).
    assert add_working_days(D(2026, 9, 18), 10) == D(2026, 10, 9)


def test_an_override_declaring_a_holiday_wins_over_the_package(db):
    WorkdayOverride.objects.create(date=D(2026, 3, 4), is_workday=False, note="地方假日")
    WorkdayOverride.objects.create(date=D(2026, 2, 14), is_workday=False, note="调休取消")

    assert is_workday(D(2026, 3, 4)) is False
    assert add_working_days(D(2026, 3, 2), 3) == D(2026, 3, 6)
    assert add_working_days(D(2026, 2, 12), 2) == D(2026, 2, 24)
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 6)) == 3


def test_an_override_declaring_a_working_day_wins_over_the_package(db):
    WorkdayOverride.objects.create(date=D(2026, 3, 7), is_workday=True, note="补班")
    WorkdayOverride.objects.create(date=D(2026, 10, 5), is_workday=True, note="假期调整")

    assert is_workday(D(2026, 3, 7)) is True
    assert add_working_days(D(2026, 3, 5), 2) == D(2026, 3, 7)
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 5)
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 1


def test_outside_the_packages_years_monday_to_friday_applies(db):
    assert is_workday(D(2027, 1, 1)) is True  # a Friday: the package does not know 2027 yet
    assert is_workday(D(2027, 1, 2)) is False
    assert add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 4)
    assert working_days_between(D(2027, 1, 1), D(2027, 1, 11)) == 6


def test_an_override_fills_in_a_year_the_package_does_not_know(db):
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")

    assert is_workday(D(2027, 1, 1)) is False
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_zero_or_negative_working_days_are_a_programming_error(db):
    with pytest.raises(ValueError, match="days must be >= 1"):
        add_working_days(D(2026, 3, 2), 0)
