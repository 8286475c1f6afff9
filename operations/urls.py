from django.urls import path

from operations.views import agency, holder, operator, parties, public

app_name = "operations"

urlpatterns = [
    path("", public.index, name="public"),
    path("agency/", agency.home, name="agency-home"),
    path("agency/schemes/new/", agency.scheme_create, name="agency-scheme-create"),
    path("agency/schemes/<int:scheme_id>/", agency.scheme_detail, name="agency-scheme"),
    path(
        "agency/schemes/<int:scheme_id>/agreements/new/",
        agency.agreement_create,
        name="agency-agreement-create",
    ),
    path("agency/agreements/<int:agreement_id>/", agency.agreement_detail, name="agency-agreement"),
    path(
        "agency/applications/<int:application_id>/", agency.application_review, name="agency-review"
    ),
    path("agency/licences/<int:licence_id>/", agency.licence_detail, name="agency-licence"),
    path("agency/operators/<int:party_id>/verify/", agency.party_verify, name="agency-verify"),
    path("parties/<int:party_id>/", parties.party_detail, name="party"),
    path(
        "parties/<int:party_id>/documents/<int:document_id>/",
        parties.document_download,
        name="party-document",
    ),
    path("operator/", operator.home, name="operator-home"),
    path("operator/agreements/<int:agreement_id>/apply/", operator.apply, name="operator-apply"),
    path("operator/licences/<int:licence_id>/", operator.licence_console, name="operator-licence"),
    path("holder/", holder.home, name="holder-home"),
    path("holder/applications/<int:application_id>/", holder.review, name="holder-review"),
]
