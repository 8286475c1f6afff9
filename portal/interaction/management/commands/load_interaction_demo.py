"""Load the conditional-access and interaction demo on the portal demo's datasets (run
load_demo and load_portal_demo first). Idempotent: a second run does nothing."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.interaction import demo


class Command(BaseCommand):
    help = (
        "Applications for conditional data in every state, grants and usage reports, data "
        "requests, error reports, suggestions, complaints, ratings, comments and showcases."
    )

    def handle(self, *args, **options):
        if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
            raise CommandError("load_interaction_demo refuses to run with production settings.")
        try:
            created = demo.load(now=timezone.now())
        except demo.DemoPrerequisiteMissing as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write("Interaction demo data is already loaded; nothing to do.")
            return
        self.stdout.write(self.style.SUCCESS(f"Interaction demo loaded: {demo.summary()}"))
