from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from registry.federation.outbox import on_record_changed
        from registry.signals import record_changed

        record_changed.connect(on_record_changed, dispatch_uid="registry.federation.outbox")
