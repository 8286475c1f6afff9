"""The developer console, mounted at /developer/."""

from django.urls import path

from portal.developer import views

app_name = "developer"

urlpatterns = [
    path("", views.key_list, name="key-list"),
    path("keys/new/", views.key_create, name="key-create"),
    path("keys/<int:pk>/", views.key_detail, name="key-detail"),
    path("keys/<int:pk>/rename/", views.key_rename, name="key-rename"),
    path("keys/<int:pk>/expiry/", views.key_expiry, name="key-expiry"),
    path("keys/<int:pk>/scope/", views.key_scope, name="key-scope"),
    path("keys/<int:pk>/rotate/", views.key_rotate, name="key-rotate"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key-revoke"),
    path("usage/", views.usage_dashboard, name="usage"),
    path("holder-usage/", views.holder_usage, name="holder-usage"),
]
