"""Provincial node: deliver the outbox now (what the Celery task does), or backfill it with
the records coded before the node was federated."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registry.federation.delivery import DeliveryFailed, outbox_backfill, outbox_deliver


class Command(BaseCommand):
    help = "Deliver the federation outbox to the national node."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backfill", action="store_true", help="first queue unreported records"
        )
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *args, backfill, batch_size, **options):
        if backfill:
            self.stdout.write(f"queued {outbox_backfill(now=timezone.now())} unreported records")
        try:
            result = outbox_deliver(now=timezone.now(), batch_size=batch_size)
        except DeliveryFailed as exc:
            raise CommandError(f"delivery failed: {exc}") from None
        self.stdout.write(f"sent {result['sent']}, acknowledged {result['acked']}")
