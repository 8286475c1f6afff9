"""Admin: reading only for money and audit. Statements, invoices, credit notes, payments,
the ledger, usage links and events are never changed or deleted here (corrections are
credit notes, made through the services); products and consumers can be viewed."""

from __future__ import annotations

from django.contrib import admin

from operations.commerce import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(admin.TabularInline):
    model = m.StatementLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["number", "order", "month", "status", "total"]
    list_filter = ["status"]
    search_fields = ["number", "order__number"]
    inlines = [LineInline]


@admin.register(m.Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "statement", "amount", "buyer_name", "issued_at"]
    search_fields = ["number", "buyer_name"]


@admin.register(m.CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "amount", "issued_at"]


@admin.register(m.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "invoice", "amount", "received_on"]


@admin.register(m.Journal)
class JournalAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "memo", "at"]


@admin.register(m.LedgerLine)
class LedgerLineAdmin(ReadOnlyAdmin):
    list_display = ["journal", "account", "debit", "credit"]


@admin.register(m.CommerceEvent)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "object_type", "object_id", "actor"]
    list_filter = ["action"]


@admin.register(m.Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "operator", "status", "listed_at"]
    list_filter = ["kind", "status"]


@admin.register(m.PriceVersion)
class PriceAdmin(ReadOnlyAdmin):
    list_display = ["product", "number", "unit", "shape", "status", "is_trial"]


@admin.register(m.Ceiling)
class CeilingAdmin(ReadOnlyAdmin):
    list_display = ["product", "unit", "amount", "effective_from"]


@admin.register(m.PricingPeriod)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ["operator", "start", "end", "is_trial", "status"]


@admin.register(m.Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "product", "consumer", "purpose_class", "status"]
    list_filter = ["purpose_class", "status"]


@admin.register(m.Consumer)
class ConsumerAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "identity_verified_at"]


@admin.register(m.AnnualDisclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "deadline", "published_at"]
