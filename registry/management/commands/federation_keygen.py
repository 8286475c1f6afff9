"""Generate a node's Ed25519 key pair: the private key goes to a file readable only by the
owner (FEDERATION_SIGNING_KEY_FILE), the public key is printed for the other side."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.federation.keys import generate_keypair


class Command(BaseCommand):
    help = "Generate an Ed25519 signing key pair for a federation node."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="file to write the private key to")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")

    def handle(self, *args, out, force, **options):
        path = Path(out)
        if path.exists() and not force:
            raise CommandError(f"{path} exists; pass --force to replace the node's key")
        private, public = generate_keypair()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(private + "\n")
        self.stdout.write(f"private key written to {path}")
        self.stdout.write(f"public key: {public}")
