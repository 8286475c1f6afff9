"""National node: pull a node's changes since our cursor (the fallback when pushes stall)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registry.federation.client import PeerError
from registry.federation.models import FederationNode
from registry.federation.pull import node_pull


class Command(BaseCommand):
    help = "Pull provincial nodes' events since the national cursor."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="node codes (default: every enabled node)")

    def handle(self, *args, codes, **options):
        found = FederationNode.objects.filter(is_enabled=True)
        if codes:
            found = found.filter(code__in=codes)
        failed = False
        for fed_node in found:
            try:
                counts = node_pull(fed_node=fed_node, now=timezone.now())
            except PeerError as exc:
                failed = True
                self.stderr.write(f"{fed_node.code}: {exc}")
                continue
            self.stdout.write(
                f"{fed_node.code}: received {counts['received']}, applied {counts['applied']}"
            )
        if failed:
            raise CommandError("some nodes could not be pulled")
