"""Publish the open portal's demo datasets (files, versions, downloads) on the registry demo's
records, through the portal services. Idempotent: datasets already published are left alone,
and a second run does nothing."""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.demo import loader


class Command(BaseCommand):
    help = (
        "Publish about 80 demo datasets with generated files (CSV, XLSX, JSON, GeoJSON, XML, "
        "PDF, ZIP) and download history on the registry demo's records (run load_demo first). "
        "Does nothing if they are already published."
    )

    def handle(self, *args, **options):
        # Demo data never belongs in production (and rides on accounts with a published password).
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
            raise CommandError("load_portal_demo refuses to run with production settings.")
        if loader.is_loaded():
            self.stdout.write("Portal demo data is already loaded; nothing to do.")
            return
        started = time.monotonic()
        now = timezone.now()
        try:
            result = loader.load(now=now)
        except loader.RegistryDemoMissing as exc:
            raise CommandError(str(exc)) from exc
        if not result.created:  # another process loaded it while we waited for the lock
            self.stdout.write("Portal demo data is already loaded; nothing to do.")
            return
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Portal demo loaded in {elapsed:.1f} s: {loader.summary(now)}")
        )
        if result.missing:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.missing)} demo records are not in this database (its registry "
                    "demo is older); load both demos into a fresh database to get all datasets."
                )
            )
