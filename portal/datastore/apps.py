from django.apps import AppConfig


class DatastoreConfig(AppConfig):
    name = "portal.datastore"
    label = "datastore"
    verbose_name = "Datastore"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.datastore import signals  # noqa: F401
