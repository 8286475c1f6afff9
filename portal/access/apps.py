from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "portal.access"
    label = "access"
    verbose_name = "Conditional data access"
    default_auto_field = "django.db.models.BigAutoField"
