from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from registry.federation.notices import on_registration_event
        from registry.federation.outbox import on_record_changed
        from registry.models import RegistrationEvent
        from registry.signals import record_changed

        record_changed.connect(on_record_changed, dispatch_uid="registry.federation.outbox")
        post_save.connect(
            on_registration_event,
            sender=RegistrationEvent,
            dispatch_uid="registry.federation.notices",
        )
