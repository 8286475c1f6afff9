"""National node: hand the records of a province whose node went live over to that node."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registry.errors import DomainError
from registry.federation.handover import handover_candidates, records_handover
from registry.federation.models import FederationNode


class Command(BaseCommand):
    help = "Hand records filed nationally by a province's registrants over to its node."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the node's code")
        parser.add_argument("--dry-run", action="store_true", help="only count the records")

    def handle(self, *args, code, dry_run, **options):
        fed_node = FederationNode.objects.filter(code=code).first()
        if fed_node is None:
            raise CommandError(f"no node {code!r}")
        if dry_run:
            self.stdout.write(f"{handover_candidates(fed_node).count()} records to hand over")
            return
        try:
            result = records_handover(fed_node=fed_node, now=timezone.now())
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            f"handed over {result['handed_over']}; {result['still_open']} wait for open applications"
        )
