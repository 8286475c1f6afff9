import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("opendata")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def run_schedule_once_on_start(sender=None, **kwargs) -> None:
    """Celery fires an interval entry one whole interval after beat starts, so a fresh
    deployment (or `make demo`) would wait minutes before closing ended notices. Queue every
    scheduled task once at start; they are idempotent sweeps, so the extra run is harmless."""
    for entry in app.conf.beat_schedule.values():
        app.send_task(entry["task"])
