"""National node: compare counts and digests per province with each node and report every
difference (missing, extra or differing records). Exit status 1 when anything differs."""

import json

from django.core.management.base import BaseCommand, CommandError

from registry.federation.models import FederationNode
from registry.federation.reconcile import reconcile_node


class Command(BaseCommand):
    help = "Reconcile the national copy of each province's records with its node."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="node codes (default: every enabled node)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, codes, json: bool = False, **options):
        found = FederationNode.objects.filter(is_enabled=True)
        if codes:
            found = found.filter(code__in=codes)
        reports = [reconcile_node(n) for n in found]
        if json:
            self.stdout.write(_dumps(reports))
        else:
            for r in reports:
                self._print(r)
        if not all(r["matches"] for r in reports):
            raise CommandError("differences found")

    def _print(self, r: dict) -> None:
        nat = r["national"]
        self.stdout.write(
            f"{r['province']} {r['node']}: national {nat['count']} {nat['digest'][:12]}"
        )
        if "error" in r:
            self.stdout.write(f"  error: {r['error']}")
            return
        prov = r["provincial"]
        self.stdout.write(f"  provincial {prov['count']} {(prov['digest'] or '')[:12]}")
        self.stdout.write("  OK" if r["matches"] else "  DIFFERENT")
        for label in ("missing_at_national", "only_at_national", "differing"):
            for key in r.get(label, []):
                self.stdout.write(f"  {label}: {key}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
