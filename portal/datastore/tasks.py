"""Thin Celery tasks for the datastore: take ids, call a service, idempotent."""

from celery import shared_task
from django.utils import timezone

from portal.datastore import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def ingest_version(job_id: int) -> str | None:
    job = services.ingest_run(job_id=job_id, clock=timezone.now)
    return job.status if job else None


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def sweep_ingest_jobs() -> dict[str, int]:
    return services.ingest_sweep(now=timezone.now())
