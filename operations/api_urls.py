from django.urls import path

from operations.apis import agreements, applications, licences, parties, public, schemes

app_name = "operations-api"

urlpatterns = [
    path("parties/mine/", parties.MyPartiesApi.as_view(), name="my-parties"),
    path(
        "parties/<int:party_id>/verifications/",
        parties.PartyVerificationApi.as_view(),
        name="party-verify",
    ),
    path(
        "parties/<int:party_id>/documents/",
        parties.PartyDocumentApi.as_view(),
        name="party-documents",
    ),
    path(
        "parties/<int:party_id>/commitments/",
        parties.PartyCommitmentApi.as_view(),
        name="party-commitments",
    ),
    path("schemes/", schemes.SchemeListApi.as_view(), name="schemes"),
    path("schemes/<int:scheme_id>/", schemes.SchemeDetailApi.as_view(), name="scheme"),
    path(
        "schemes/<int:scheme_id>/approve/",
        schemes.SchemeApproveApi.as_view(),
        name="scheme-approve",
    ),
    path(
        "schemes/<int:scheme_id>/selection/",
        schemes.SchemeSelectionApi.as_view(),
        name="scheme-selection",
    ),
    path(
        "schemes/<int:scheme_id>/withdraw/",
        schemes.SchemeWithdrawApi.as_view(),
        name="scheme-withdraw",
    ),
    path("agreements/", agreements.AgreementListApi.as_view(), name="agreements"),
    path(
        "agreements/<int:agreement_id>/", agreements.AgreementDetailApi.as_view(), name="agreement"
    ),
    path(
        "agreements/<int:agreement_id>/transitions/",
        agreements.AgreementTransitionApi.as_view(),
        name="agreement-transition",
    ),
    path(
        "agreements/<int:agreement_id>/exit-steps/",
        agreements.AgreementExitStepApi.as_view(),
        name="agreement-exit-step",
    ),
    path(
        "agreements/<int:agreement_id>/consents/",
        agreements.AgreementConsentApi.as_view(),
        name="agreement-consent",
    ),
    path("applications/", applications.ApplicationListApi.as_view(), name="applications"),
    path(
        "applications/<int:application_id>/",
        applications.ApplicationDetailApi.as_view(),
        name="application",
    ),
    path(
        "applications/<int:application_id>/holder-review/",
        applications.HolderReviewApi.as_view(),
        name="application-holder-review",
    ),
    path(
        "applications/<int:application_id>/agency-review/",
        applications.AgencyReviewApi.as_view(),
        name="application-agency-review",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        applications.WithdrawApi.as_view(),
        name="application-withdraw",
    ),
    path("licences/", licences.LicenceListApi.as_view(), name="licences"),
    path("licences/<int:licence_id>/", licences.LicenceDetailApi.as_view(), name="licence"),
    path(
        "licences/<int:licence_id>/transitions/",
        licences.LicenceTransitionApi.as_view(),
        name="licence-transition",
    ),
    path(
        "licences/<int:licence_id>/query/",
        licences.LicensedQueryApi.as_view(),
        name="licence-query",
    ),
    path(
        "licences/<int:licence_id>/access-log/",
        licences.AccessLogApi.as_view(),
        name="licence-access-log",
    ),
    path(
        "public/authorisations/",
        public.PublicAuthorisationsApi.as_view(),
        name="public-authorisations",
    ),
    path("public/agreements/", public.PublicAgreementsApi.as_view(), name="public-agreements"),
]
