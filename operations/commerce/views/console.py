"""The console of operators, agencies, consumers and administrators: products, ceilings,
prices, orders, statements, invoices, pricing periods, disclosures, consumer checks."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from operations import selectors as ops_selectors
from operations.commerce import actors, forms, selectors
from operations.commerce.models import AnnualDisclosure, Consumer, PriorityScenario
from operations.commerce.services import disclosure as disclosure_services
from operations.commerce.services import orders, pricing, products
from operations.commerce.services.pricing import ceiling_in_force
from operations.commerce.views.common import apply_error, console_page, posted_id, posted_text
from operations.models import Party, PartyKind
from registry.errors import DomainError, NotFound
from registry.models import ObjectType, Resource


def _roles(user) -> dict:
    return {
        "is_operator": bool(actors.operator_ids(user)),
        "is_agency": actors.is_agency(user),
        "is_consumer": bool(actors.consumer_ids(user)),
        "is_regulator": actors.is_regulator(user),
    }


@console_page
def home(request):
    user = request.user
    context = {
        **_roles(user),
        "products": selectors.products_for(user).exclude(status="listed")
        if not actors.is_regulator(user)
        else selectors.products_for(user)[:50],
        "my_products": selectors.products_for(user).filter(
            operator_id__in=actors.operator_ids(user)
        ),
        "agency_products": selectors.products_for(user).filter(
            licence__agreement__agency_id__in=actors.agency_ids(user)
        ),
        "orders": selectors.orders_for(user)[:50],
        "consumers": Consumer.objects.select_related("organisation")
        if actors.is_regulator(user)
        else selectors.consumers_of(user),
        "nav": "home",
    }
    return render(request, "commerce/home.html", context)


@console_page
@require_http_methods(["GET", "POST"])
def product_create(request):
    licences = ops_selectors.licences_for(request.user).filter(
        operator_id__in=actors.operator_ids(request.user)
    )
    if not licences.exists():
        raise NotFound("No licence.")
    form = forms.ProductForm(request.POST or None)
    form.fields["licence"].choices = [
        (lic.pk, f"{lic.number} · {lic.get_mode_display()}") for lic in licences
    ]
    if request.method == "POST" and form.is_valid():
        licence = licences.get(pk=form.cleaned_data["licence"])
        data = {**form.cleaned_data, "query": form.query(), "parameters": form.parameters()}
        try:
            product = products.product_create(
                actor=request.user, licence=licence, data=data, now=timezone.now()
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("产品草稿已创建。下一步：登记产品并提交限价和价格。"))
            return redirect("commerce:product-detail", product.pk)
    return render(request, "commerce/product_form.html", {"form": form, **_roles(request.user)})


def _product_action(request, product, action: str):
    """One POSTed action on the product page; returns the form to re-render on error."""
    now = timezone.now()
    if action == "record":
        form = forms.RecordForm(request.POST)
        if form.is_valid():
            record = Resource.objects.filter(
                code=form.cleaned_data["record_code"].strip(), object_type=ObjectType.DATA_PRODUCT
            ).first()
            if record is None:
                form.add_error("record_code", _("没有该编码的产品登记记录。"))
                return form
            products.product_attach_record(
                actor=request.user, product=product, record=record, now=now
            )
        return form
    if action == "price":
        form = forms.PriceForm(request.POST)
        if form.is_valid():
            pricing.price_publish(
                actor=request.user, product=product, data=form.data_for_service(), now=now
            )
        return form
    if action == "ceiling":
        form = forms.CeilingForm(request.POST)
        if form.is_valid():
            pricing.ceiling_set(actor=request.user, product=product, now=now, **form.cleaned_data)
        return form
    if action == "list":
        products.product_list(actor=request.user, product=product, now=now)
    elif action in ("suspended", "withdrawn"):
        products.product_set_status(
            actor=request.user,
            product=product,
            status=action,
            reason=posted_text(request, "reason"),
            now=now,
        )
    return None


@console_page
@require_http_methods(["GET", "POST"])
def product_detail(request, product_id: int):
    product = selectors.access_product(user=request.user, product_id=product_id)
    is_owner = product.operator_id in actors.operator_ids(request.user)
    is_agency = product.licence.agreement.agency_id in actors.agency_ids(request.user)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = None
        try:
            if action == "ceiling" and not is_agency or action != "ceiling" and not is_owner:
                raise NotFound("No such product.")
            form = _product_action(request, product, action)
            if form is None or (form.is_bound and form.is_valid() and not form.errors):
                messages.success(request, _("已保存。"))
                return redirect("commerce:product-detail", product.pk)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_error(request, form, exc)
        if form is not None:
            bound[action] = form
    now = timezone.now()
    units = sorted(set(product.ceilings.values_list("unit", flat=True)))
    context = {
        **_roles(request.user),
        "product": product,
        "is_owner": is_owner,
        "is_agency_of": is_agency,
        "ceilings": [c for c in (ceiling_in_force(product.pk, u, now) for u in units) if c],
        "prices": product.prices.all(),
        "problems": products.listing_problems(product) if is_owner else [],
        "record_form": bound.get("record") or forms.RecordForm(),
        "price_form": bound.get("price") or forms.PriceForm(),
        "ceiling_form": bound.get("ceiling") or forms.CeilingForm(),
        "orders": selectors.orders_for(request.user).filter(product=product),
        "can_order": bool(actors.consumer_ids(request.user)) and product.status == "listed",
    }
    return render(request, "commerce/product_detail.html", context)


@console_page
@require_http_methods(["GET", "POST"])
def product_order(request, product_id: int):
    product = selectors.access_product(user=request.user, product_id=product_id)
    consumer = selectors.consumers_of(request.user).first()
    if consumer is None:
        raise NotFound("No consumer.")
    form = forms.OrderForm(request.POST or None, request.FILES or None)
    scenarios = PriorityScenario.objects.filter(operator=product.operator, is_active=True)
    form.fields["priority_scenario"].choices = [("", "—")] + [(s.pk, str(s)) for s in scenarios]
    if request.method == "POST" and form.is_valid():
        try:
            order = orders.order_create(
                actor=request.user,
                consumer=consumer,
                product=product,
                data=form.cleaned_data,
                now=timezone.now(),
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("订单已报价，请确认后生效。"))
            return redirect("commerce:order-detail", order.pk)
    price = product.prices.filter(status="live").first()
    return render(
        request,
        "commerce/order_form.html",
        {
            "form": form,
            "product": product,
            "price": price,
            "consumer": consumer,
            **_roles(request.user),
        },
    )


@console_page
@require_http_methods(["GET", "POST"])
def periods(request):
    user = request.user
    operators = Party.objects.filter(
        kind=PartyKind.OPERATOR, agreements__agency_id__in=actors.agency_ids(user)
    ).distinct()
    form = forms.PeriodForm(request.POST or None, request.FILES or None)
    form.fields["operator"].choices = [(p.pk, p.organisation.name) for p in operators]
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                period = selectors.access_period(user=user, period_id=posted_id(request, "period"))
                pricing.period_close(actor=user, period=period, now=timezone.now())
                messages.success(request, _("定价周期已结算。"))
                return redirect("commerce:periods")
            if form.is_valid():
                values = dict(form.cleaned_data)
                operator = operators.get(pk=values.pop("operator"))
                pricing.period_approve(actor=user, operator=operator, now=timezone.now(), **values)
                messages.success(request, _("最高准许收入已记录。"))
                return redirect("commerce:periods")
        except (DomainError, ValueError) as exc:
            if isinstance(exc, NotFound):
                raise
            if isinstance(exc, DomainError):
                apply_error(request, form, exc)
    return render(
        request,
        "commerce/periods.html",
        {
            "periods": selectors.periods_for(user),
            "form": form,
            "can_approve": operators.exists(),
            **_roles(user),
        },
    )


@console_page
@require_http_methods(["GET", "POST"])
def disclosures_manage(request):
    user = request.user
    if not (actors.is_agency(user) or actors.is_regulator(user)):
        raise NotFound("No page.")
    form = forms.YearForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        now = timezone.now()
        action = request.POST.get("action")
        try:
            if action == "generate" and form.is_valid():
                disclosure_services.disclosure_generate(
                    actor=user, year=form.cleaned_data["year"], now=now
                )
            elif action in ("review", "publish"):
                d = AnnualDisclosure.objects.filter(year=posted_id(request, "year")).first()
                if d is None:
                    raise NotFound("No disclosure.")
                if action == "review":
                    disclosure_services.disclosure_review(
                        actor=user, disclosure=d, note=posted_text(request, "note"), now=now
                    )
                else:
                    disclosure_services.disclosure_publish(actor=user, disclosure=d, now=now)
            if not form.errors:
                messages.success(request, _("已保存。"))
                return redirect("commerce:disclosures-manage")
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_error(request, form, exc)
    return render(
        request,
        "commerce/disclosures_manage.html",
        {
            "form": form,
            "disclosures": AnnualDisclosure.objects.all(),
            **_roles(user),
        },
    )


@console_page
@require_http_methods(["GET", "POST"])
def consumers(request):
    """Administrators verify consumers' identities; anyone may register an organisation."""
    user = request.user
    verify_form = forms.VerifyForm(request.POST if request.POST.get("action") == "verify" else None)
    register_form = forms.ConsumerForm(
        request.POST if request.POST.get("action") == "register" else None
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify" and verify_form.is_valid():
                actors.require_regulator(user)
                consumer = Consumer.objects.get(pk=posted_id(request, "consumer"))
                orders.consumer_verify(
                    actor=user, consumer=consumer, now=timezone.now(), **verify_form.cleaned_data
                )
                messages.success(request, _("身份核验已记录。"))
                return redirect("commerce:consumers")
            if request.POST.get("action") == "register" and register_form.is_valid():
                _register(user, register_form.cleaned_data)
                messages.success(request, _("已登记为使用单位，等待平台核验身份。"))
                return redirect("commerce:consumers")
        except (Consumer.DoesNotExist, ValueError):
            raise NotFound("No consumer.") from None
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            apply_error(
                request,
                register_form if request.POST.get("action") == "register" else verify_form,
                exc,
            )
    listed = (
        Consumer.objects.select_related("organisation").prefetch_related("verifications")
        if actors.is_regulator(user)
        else selectors.consumers_of(user)
    )
    return render(
        request,
        "commerce/consumers.html",
        {
            "consumers": listed,
            "verify_form": verify_form,
            "register_form": register_form,
            **_roles(user),
        },
    )


def _register(user, data: dict) -> Consumer:
    from django.db import transaction

    from registry.services import organisation_create
    from registry.validators import normalise_credit_code, organisation_type_of

    # What the credit code says the body is (an enterprise, a social organisation, an organ
    # or an institution); an enterprise when it does not tell.
    org_type = organisation_type_of(normalise_credit_code(data["credit_code"])) or "enterprise"
    with transaction.atomic():
        org = organisation_create(
            name=data["name"],
            credit_code=data["credit_code"],
            org_type=org_type,
            region_code=data["region"],
            contact_name=data["authorised_contact"],
            contact_phone=data["contact_phone"],
        )
        return orders.consumer_register(
            actor=user,
            organisation=org,
            legal_representative=data["legal_representative"],
            authorised_contact=data["authorised_contact"],
            contact_phone=data["contact_phone"],
            now=timezone.now(),
        )
