"""The `datastore` schema and the read-only role queries run as.

Creating a role needs CREATEROLE; where the migrating user lacks it, the DO block only warns
and the administrator creates the role once (docs/datastore.md)."""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations


def forwards(apps, schema_editor):
    role = settings.DATASTORE_READ_ROLE
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ImproperlyConfigured("DATASTORE_READ_ROLE must be a lower-case SQL identifier")
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA IF NOT EXISTS datastore")
        cursor.execute(
            f"""
            DO $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {quote(role)} NOLOGIN;
              END IF;
              EXECUTE format('GRANT %I TO %I', '{role}', current_user);
            EXCEPTION WHEN insufficient_privilege THEN
              RAISE WARNING 'could not create or grant role {role}: create it by hand';
            END $$;
            """
        )
        cursor.execute(f"GRANT USAGE ON SCHEMA datastore TO {quote(role)}")


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS datastore CASCADE")


class Migration(migrations.Migration):
    dependencies = [("datastore", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
