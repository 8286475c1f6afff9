"""Pages and files of the open portal, mounted at the site root. Each area has its own module."""

from django.urls import include, path

urlpatterns = [
    path("", include("portal.urls_catalogue")),
    path("", include("portal.urls_files")),
    path("", include("portal.urls_publish")),
    path("", include("portal.urls_standards")),
]
