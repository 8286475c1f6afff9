"""Reload tabular distributions into the datastore, with a progress bar.

manage.py datastore_reingest                 # every tabular distribution's current version
manage.py datastore_reingest --dataset SLUG  # one dataset's
manage.py datastore_reingest --queue         # hand the jobs to the Celery workers instead
manage.py datastore_reingest --missing       # only those with no live table yet
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from portal.datastore.models import DatastoreTable, IngestStatus
from portal.datastore.reading import TABULAR_FORMATS
from portal.datastore.services import ingest_request, ingest_run
from portal.models import DatasetStatus, Distribution


class Command(BaseCommand):
    help = "Reload tabular distributions into the datastore."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", help="Only this dataset (slug).")
        parser.add_argument("--queue", action="store_true", help="Queue for the workers.")
        parser.add_argument("--missing", action="store_true", help="Only never-loaded ones.")

    def handle(self, *args, dataset=None, queue=False, missing=False, **options):
        qs = Distribution.objects.filter(
            current_version__format__in=sorted(TABULAR_FORMATS),
            dataset__status=DatasetStatus.PUBLISHED,
        ).select_related("current_version", "dataset")
        if dataset:
            qs = qs.filter(dataset__slug=dataset)
            if not qs.exists():
                raise CommandError(f"No published dataset {dataset!r} with tabular files.")
        if missing:
            loaded = DatastoreTable.objects.values_list("distribution_id", flat=True)
            qs = qs.exclude(pk__in=loaded)
        distributions = list(qs.order_by("pk"))
        failed = 0
        bar = tqdm(distributions, unit="file", disable=options["verbosity"] == 0)
        for distribution in bar:
            version = distribution.current_version
            bar.set_description(f"{distribution.dataset.slug[:24]} #{distribution.pk}")
            job = ingest_request(version=version, actor=None, now=timezone.now())
            if queue:
                continue
            with tqdm(
                total=job.rows_estimated or None,
                unit="row",
                leave=False,
                disable=options["verbosity"] == 0,
            ) as rows:

                def show(n: int, rows=rows) -> None:
                    rows.update(max(0, n - rows.n))

                done = ingest_run(job_id=job.pk, clock=timezone.now, progress=show)
            if done is not None and done.status == IngestStatus.FAILED:
                failed += 1
                self.stderr.write(f"#{distribution.pk}: {done.error.get('message')}")
        verb = "queued" if queue else "loaded"
        self.stdout.write(f"{len(distributions) - failed} {verb}, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} loads failed.")
