"""National node: register, list, enable or disable provincial nodes from the command line
(the same service as the status page; acts as the first national platform administrator)."""

from django.core.management.base import BaseCommand, CommandError

from registry.errors import DomainError
from registry.federation import nodes
from registry.federation.models import FederationNode
from registry.models import Role, RoleAssignment


class Command(BaseCommand):
    help = "Manage the national node's register of provincial nodes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        for name in ("code", "name", "province", "url", "public-key"):
            add.add_argument(f"--{name}", required=True)
        add.add_argument("--admin", required=True, help="username of a national administrator")
        for action in ("enable", "disable"):
            toggle = sub.add_parser(action)
            toggle.add_argument("code")
            toggle.add_argument("--admin", required=True)
        sub.add_parser("list")

    def handle(self, *args, action, **options):
        if action == "list":
            for n in FederationNode.objects.all():
                state = "enabled" if n.is_enabled else "disabled"
                self.stdout.write(
                    f"{n.code}\t{n.province_id}\t{state}\t{n.last_sequence}\t{n.base_url}"
                )
            return
        admin = self._admin(options["admin"])
        try:
            if action == "add":
                created = nodes.node_register(
                    actor=admin,
                    code=options["code"],
                    name=options["name"],
                    province=options["province"],
                    base_url=options["url"],
                    public_key=options["public_key"],
                )
                self.stdout.write(f"registered node {created.code}")
            else:
                found = FederationNode.objects.filter(code=options["code"]).first()
                if found is None:
                    raise CommandError(f"no node {options['code']!r}")
                nodes.node_set_enabled(actor=admin, pk=found.pk, enabled=action == "enable")
                self.stdout.write(f"node {found.code} {action}d")
        except DomainError as exc:
            raise CommandError(f"{exc.detail} {exc.errors or ''}") from None

    def _admin(self, username: str):
        assignment = (
            RoleAssignment.objects.filter(
                user__username=username, role=Role.PLATFORM_ADMIN, platform__level="national"
            )
            .select_related("user")
            .first()
        )
        if assignment is None:
            raise CommandError(f"{username!r} is not a national platform administrator")
        return assignment.user
