"""URLs of the portal's publishing API, mounted at /api/v1/portal/."""

from django.urls import path

from portal import apis

app_name = "portal-api"

_dataset = "datasets/<slug:slug>/"

urlpatterns = [
    path("datasets/", apis.MyDatasetListCreateApi.as_view(), name="my-dataset-list"),
    path(_dataset, apis.MyDatasetDetailApi.as_view(), name="my-dataset-detail"),
    path(_dataset + "withdraw", apis.DatasetWithdrawApi.as_view(), name="dataset-withdraw"),
    path(_dataset + "republish", apis.DatasetRepublishApi.as_view(), name="dataset-republish"),
    path(
        _dataset + "distributions/",
        apis.DistributionCreateApi.as_view(),
        name="distribution-create",
    ),
    path(
        _dataset + "distributions/<int:distribution_id>/versions/",
        apis.VersionListUploadApi.as_view(),
        name="distribution-versions",
    ),
]
