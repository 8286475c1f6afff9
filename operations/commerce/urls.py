"""The commerce pages, mounted at /operations/commerce/."""

from django.urls import path

from operations.commerce.views import billing, console, public, reports

app_name = "commerce"

urlpatterns = [
    path("", console.home, name="home"),
    path("prices/", public.price_list, name="price-list"),
    path("disclosures/", public.disclosure_list, name="disclosure-list"),
    path("disclosures/<int:year>/", public.disclosure_detail, name="disclosure-detail"),
    path("disclosures/manage/", console.disclosures_manage, name="disclosures-manage"),
    path("products/new/", console.product_create, name="product-create"),
    path("products/<int:product_id>/", console.product_detail, name="product-detail"),
    path("products/<int:product_id>/order/", console.product_order, name="product-order"),
    path("orders/<int:order_id>/", billing.order_detail, name="order-detail"),
    path("statements/<int:statement_id>/", billing.statement_detail, name="statement-detail"),
    path(
        "statements/<int:statement_id>/document.<str:fmt>",
        billing.statement_document,
        name="statement-document",
    ),
    path("invoices/<int:invoice_id>/", billing.invoice_detail, name="invoice-detail"),
    path(
        "invoices/<int:invoice_id>/document.<str:fmt>",
        billing.invoice_document,
        name="invoice-document",
    ),
    path("periods/", console.periods, name="periods"),
    path("consumers/", console.consumers, name="consumers"),
    path("reports/", reports.reports, name="reports"),
    path(
        "reports/<int:report_id>/",
        reports.operating_report_detail,
        name="operating-report-detail",
    ),
]
