"""Recompute usage rollups over a range of local days: a backfill after installing the
developer app, or a repair after restoring raw usage rows. The beat job only covers the
recent hours."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from portal.developer.rollup import SHANGHAI, rollup_range


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Recompute hourly and daily usage rollups for the local days FROM..TO (inclusive)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")

    def handle(self, *args, first: str, last: str, **options):
        first_day, last_day = _day(first), _day(last)
        if last_day < first_day:
            raise CommandError("--to is before --from.")
        day = first_day
        while day <= last_day:  # one transaction per day keeps each lock short
            start = dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
            result = rollup_range(start=start, end=start + dt.timedelta(days=1))
            self.stdout.write(
                f"{day}: {result.hour_buckets} hour buckets, {result.day_buckets} day buckets"
            )
            day += dt.timedelta(days=1)
