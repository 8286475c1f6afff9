"""The holder's publishing pages (发布工作台), under /publish/."""

from django.urls import path

from portal.datastore import views as datastore_views
from portal.views import staff

_dataset = "publish/datasets/<slug:slug>/"
_file = _dataset + "files/<int:distribution_id>/"

urlpatterns = [
    path("publish/", staff.publish_home, name="publish-home"),
    path("publish/records/<str:code>/publish/", staff.publish_create, name="publish-create"),
    path(_dataset, staff.publish_dataset, name="publish-dataset"),
    path(_dataset + "edit/", staff.publish_edit, name="publish-edit"),
    path(_dataset + "withdraw/", staff.publish_withdraw, name="publish-withdraw"),
    path(_dataset + "republish/", staff.publish_republish, name="publish-republish"),
    path(_dataset + "files/new/", staff.publish_add_file, name="publish-add-file"),
    path(_file, staff.publish_versions, name="publish-versions"),
    path(_file + "upload/", staff.publish_upload_version, name="publish-upload-version"),
    path(_file + "reingest/", datastore_views.publish_reingest, name="publish-reingest"),
    path(
        _file + "versions/<int:number>/download",
        staff.publish_version_download,
        name="publish-version-download",
    ),
]
