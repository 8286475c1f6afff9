from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "portal.interaction"
    label = "interaction"
    verbose_name = "Public interaction"
    default_auto_field = "django.db.models.BigAutoField"
