from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import signals
        from registry.signals import record_changed

        record_changed.connect(signals.on_record_changed, dispatch_uid="portal.on_record_changed")
