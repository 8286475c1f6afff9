"""Mounted at /api/v1/datastore/."""

from django.urls import path

from portal.datastore import apis

urlpatterns = [
    path("jobs/<int:job_id>", apis.IngestJobApi.as_view(), name="datastore-job"),
    path("<int:resource>", apis.DatastoreInfoApi.as_view(), name="datastore-info"),
    path("<int:resource>/records", apis.DatastoreRecordsApi.as_view(), name="datastore-records"),
    path("<int:resource>/ingest", apis.DatastoreIngestApi.as_view(), name="datastore-ingest"),
]
