"""Public catalogue pages: home, search, dataset pages, providers, provinces, timeliness and
licences. The dataset page also answers DCAT content negotiation (portal.standards.dcat)."""

from django.urls import path

from portal.views import catalogue, dataset_page, directory

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("datasets/", catalogue.dataset_list, name="dataset-list"),
    path("datasets/<slug:slug>/", dataset_page.dataset_detail, name="dataset-detail"),
    path("organisations/", directory.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/", directory.organisation_detail, name="organisation-detail"),
    path("regions/", directory.region_list, name="region-list"),
    path("regions/<str:code>/", directory.region_detail, name="region-detail"),
    path("timeliness/", directory.timeliness, name="timeliness"),
    path("licences/", directory.licence_list, name="licence-list"),
    path("licences/<str:code>/", directory.licence_detail, name="licence-detail"),
]
