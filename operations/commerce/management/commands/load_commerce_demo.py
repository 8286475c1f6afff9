"""Load the paid channel's demo (idempotent; run after load_demo and load_portal_demo, and
after part 1's operations demo when there is one)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.commerce.demo import loader


class Command(BaseCommand):
    help = "Load products, prices, orders, usage, statements and a disclosure for the demo."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE == "config.settings.production":
            raise CommandError("Never load the demo into a production database.")
        self.stdout.write(loader.load(now=timezone.now()))
