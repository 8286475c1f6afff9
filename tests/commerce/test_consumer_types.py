"""A consumer organisation gets the type its credit code tells (an enterprise, a social
organisation, an organ, an institution), not 公用企业; consumers stored as utilities before
are corrected by a data migration unless they are registrants."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from operations.commerce.models import Consumer
from operations.commerce.services import orders
from registry.models import Organisation
from registry.validators import make_credit_code, organisation_type_of
from tests.conftest import at, make_org, make_user

NOW_FORM = {
    "action": "register",
    "region": "440100",
    "legal_representative": "王五",
    "authorised_contact": "赵六",
    "contact_phone": "020-12345678",
}


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("91440100MA5C00011", "enterprise"),
        ("92440100MA5C00011", "enterprise"),
        ("53440100MJ5C00033", "social_organisation"),
        ("52440100MJ5C00033", "social_organisation"),
        ("11440106MB5C00044", "organ"),
        ("12440106MB5C00044", "public_institution"),
        ("31440100MA5C00011", None),  # another authority: the code does not tell
    ],
)
def test_the_credit_code_tells_the_kind_of_body(body, kind):
    assert organisation_type_of(make_credit_code(body)) == kind


@pytest.mark.parametrize(
    ("body", "kind"),
    [("91440100MA5C00077", "enterprise"), ("53440100MJ5C00088", "social_organisation")],
)
def test_registering_a_consumer_on_its_page_stores_the_type_of_its_code(client, world, body, kind):
    user = make_user()
    client.force_login(user)
    code = make_credit_code(body)
    response = client.post(
        reverse("commerce:consumers"), {**NOW_FORM, "name": "某某单位", "credit_code": code}
    )
    assert response.status_code == 302
    org = Organisation.objects.get(credit_code=code)
    assert org.org_type == kind and org.get_org_type_display() in ("企业", "社会组织")
    assert Consumer.objects.filter(organisation=org).exists()


def test_the_data_migration_corrects_consumers_stored_as_utilities_but_not_registrants(world):
    migration = importlib.import_module(
        "operations.commerce.migrations.0004_consumer_organisation_types"
    )
    user = make_user()

    def consumer(name, body):
        org = make_org(name, region="440100", org_type="utility")
        Organisation.objects.filter(pk=org.pk).update(credit_code=make_credit_code(body))
        org.refresh_from_db()
        orders.consumer_register(
            actor=user,
            organisation=org,
            legal_representative="甲",
            authorised_contact="乙",
            contact_phone="020-1",
            now=at(2026, 6, 1),
        )
        return org

    bank = consumer("某银行", "91440100MA5C00101")
    charity = consumer("某慈善会", "53440100MJ5C00102")
    # A utility that files registrations and also buys products keeps its type.
    water_org = consumer("某自来水公司", "91440100MA5C00103")
    water = world.draft(holder=water_org, user=make_user(holder_staff=water_org))
    plain_utility = make_org("非消费单位的公用企业", region="440100", org_type="utility")

    migration.forward(apps, None)

    types = dict(
        Organisation.objects.filter(
            pk__in=[bank.pk, charity.pk, water.resource.holder_id, plain_utility.pk]
        ).values_list("pk", "org_type")
    )
    assert types == {
        bank.pk: "enterprise",
        charity.pk: "social_organisation",
        water.resource.holder_id: "utility",
        plain_utility.pk: "utility",
    }
