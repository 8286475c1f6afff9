from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "operations.commerce"
    label = "commerce"
    verbose_name = "授权运营 · 产品与计费"
    default_auto_field = "django.db.models.BigAutoField"
