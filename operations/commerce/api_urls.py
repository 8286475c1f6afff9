"""URLs of the commerce API, mounted at /api/v1/commerce/."""

from django.urls import path

from operations.commerce.apis import billing, catalogue, disclosure, orders

app_name = "commerce-api"

_p = "products/<int:product_id>/"
_o = "orders/<int:order_id>/"
_s = "statements/<int:statement_id>/"
_i = "invoices/<int:invoice_id>/"

urlpatterns = [
    path("price-list/", catalogue.PriceListApi.as_view(), name="price-list"),
    path("products/", catalogue.ProductListCreateApi.as_view(), name="product-list"),
    path(_p, catalogue.ProductDetailApi.as_view(), name="product-detail"),
    path(_p + "record", catalogue.ProductRecordApi.as_view(), name="product-record"),
    path(
        _p + "list",
        catalogue.ProductTransitionApi.as_view(action="list"),
        name="product-list-action",
    ),
    path(
        _p + "suspend",
        catalogue.ProductTransitionApi.as_view(action="suspended"),
        name="product-suspend",
    ),
    path(
        _p + "withdraw",
        catalogue.ProductTransitionApi.as_view(action="withdrawn"),
        name="product-withdraw",
    ),
    path(_p + "ceilings", catalogue.CeilingCreateApi.as_view(), name="product-ceilings"),
    path(_p + "prices", catalogue.PricePublishApi.as_view(), name="product-prices"),
    path(_p + "call", catalogue.ProductCallApi.as_view(), name="product-call"),
    path("orders/", orders.OrderListCreateApi.as_view(), name="order-list"),
    path(_o, orders.OrderDetailApi.as_view(), name="order-detail"),
    path(_o + "accept", orders.OrderAcceptApi.as_view(), name="order-accept"),
    path(_o + "close", orders.OrderCloseApi.as_view(), name="order-close"),
    path(_o + "credentials/rotate", orders.CredentialRotateApi.as_view(), name="order-rotate"),
    path(_o + "usage", orders.OrderUsageApi.as_view(), name="order-usage"),
    path(_o + "statements", billing.StatementGenerateApi.as_view(), name="statement-generate"),
    path("statements/", billing.StatementListApi.as_view(), name="statement-list"),
    path(_s, billing.StatementDetailApi.as_view(), name="statement-detail"),
    path(_s + "finalise", billing.StatementFinaliseApi.as_view(), name="statement-finalise"),
    path(_s + "invoice", billing.InvoiceIssueApi.as_view(), name="statement-invoice"),
    path(
        _s + "document.<str:fmt>",
        disclosure.StatementDocumentApi.as_view(),
        name="statement-document",
    ),
    path("invoices/", billing.InvoiceListApi.as_view(), name="invoice-list"),
    path(_i, billing.InvoiceDetailApi.as_view(), name="invoice-detail"),
    path(_i + "credit-notes", billing.CreditNoteCreateApi.as_view(), name="invoice-credit-notes"),
    path(_i + "payments", billing.PaymentCreateApi.as_view(), name="invoice-payments"),
    path(
        _i + "document.<str:fmt>", disclosure.InvoiceDocumentApi.as_view(), name="invoice-document"
    ),
    path("periods/", billing.PeriodListCreateApi.as_view(), name="period-list"),
    path("periods/<int:period_id>/close", billing.PeriodCloseApi.as_view(), name="period-close"),
    path("disclosures/", disclosure.DisclosureListCreateApi.as_view(), name="disclosure-list"),
    path(
        "disclosures/<int:year>/",
        disclosure.DisclosureDetailApi.as_view(),
        name="disclosure-detail",
    ),
    path(
        "disclosures/<int:year>/review",
        disclosure.DisclosureTransitionApi.as_view(action="review"),
        name="disclosure-review",
    ),
    path(
        "disclosures/<int:year>/publish",
        disclosure.DisclosureTransitionApi.as_view(action="publish"),
        name="disclosure-publish",
    ),
    path(
        "disclosures/<int:year>/document.<str:fmt>",
        disclosure.DisclosureDocumentApi.as_view(),
        name="disclosure-document",
    ),
    path("reports/operating/", disclosure.OperatingReportApi.as_view(), name="operating-reports"),
    path("reports/usage/", disclosure.HolderUsageReportApi.as_view(), name="holder-usage-report"),
    path("exports/records", disclosure.RegulatorExportApi.as_view(), name="regulator-export"),
]
