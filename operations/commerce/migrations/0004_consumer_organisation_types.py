"""Consumers registered before the registry had the types enterprise and social organisation
were stored as utilities (公用企业). Those that hold no registry record (so are not
registrants whose type was chosen on purpose) get the type their credit code tells."""

from django.db import migrations

# A copy of registry.validators' table as it stood: a migration must not change with the code.
_KIND_OF_BODY = {
    "11": "organ",
    "12": "public_institution",
    "51": "social_organisation",
    "52": "social_organisation",
    "53": "social_organisation",
    "59": "social_organisation",
    "91": "enterprise",
    "92": "enterprise",
    "93": "enterprise",
}


def forward(apps, schema_editor):
    Consumer = apps.get_model("commerce", "Consumer")
    Organisation = apps.get_model("registry", "Organisation")
    Resource = apps.get_model("registry", "Resource")
    holders = Resource.objects.values("holder_id")
    ids = Consumer.objects.values("organisation_id")
    stored = Organisation.objects.filter(pk__in=ids, org_type="utility").exclude(pk__in=holders)
    for org in stored.only("pk", "credit_code"):
        kind = _KIND_OF_BODY.get(org.credit_code[:2])
        if kind:
            Organisation.objects.filter(pk=org.pk).update(org_type=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0003_idempotency_claimed_at"),
        ("registry", "0004_organisation_types_enterprise_social"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
