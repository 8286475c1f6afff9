"""Load the authorised-operation demo (run load_demo and load_portal_demo first)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.demo import loader


class Command(BaseCommand):
    help = (
        "Two implementing agencies, three operators, schemes in each mode, agreements in every "
        "state, licences of each mode with access history. Does nothing if already loaded."
    )

    def handle(self, *args, **options):
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
            raise CommandError("load_operations_demo refuses to run with production settings.")
        if loader.is_loaded():
            self.stdout.write("Operations demo data is already loaded; nothing to do.")
            return
        try:
            created = loader.load(now=timezone.now())
        except loader.DemoMissing as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write("Operations demo data is already loaded; nothing to do.")
            return
        self.stdout.write(self.style.SUCCESS(f"Operations demo loaded: {loader.summary()}"))
