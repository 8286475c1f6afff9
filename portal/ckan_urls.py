"""The CKAN-compatible Action API, mounted at /api/3/action/ by config/urls.py."""

from django.urls import path

from portal.standards import ckan

urlpatterns = [
    path("<str:name>", ckan.action, name="ckan-action"),
]
