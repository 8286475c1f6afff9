from django.apps import AppConfig


class DeveloperConfig(AppConfig):
    name = "portal.developer"
    label = "developer"
    verbose_name = "Developer API keys and usage"
    default_auto_field = "django.db.models.BigAutoField"
