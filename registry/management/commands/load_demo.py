"""Load realistic Chinese demo data through the registry services. Idempotent: a second run
finds the demo's marker organisation and does nothing."""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registry.demo import loader


class Command(BaseCommand):
    help = (
        "Load demo organisations, accounts (one shared password, see demo_logins) and about "
        "90 registrations in every workflow state. Does nothing if the demo is already loaded."
    )

    def handle(self, *args, **options):
        # The demo accounts have a published password: never create them in production.
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
            raise CommandError("load_demo refuses to run with production settings.")
        if loader.is_loaded():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        started = time.monotonic()
        try:
            created = loader.load(now=timezone.now())
        except loader.DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        if not created:  # another process loaded it while we waited for the lock
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s: {loader.summary()}")
        )
