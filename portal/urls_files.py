"""Public file downloads (names used by the catalogue pages and feeds)."""

from django.urls import path

from portal.views import files

urlpatterns = [
    path(
        "datasets/<slug:slug>/files/<int:distribution_id>/latest",
        files.distribution_latest,
        name="distribution-latest",
    ),
    path(
        "datasets/<slug:slug>/files/<int:distribution_id>/versions/<int:number>",
        files.version_download,
        name="version-download",
    ),
]
