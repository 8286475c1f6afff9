"""Which records the national node hands over to a province whose node goes live."""

from __future__ import annotations

from registry.federation.handover import handover_candidates
from registry.models import Platform
from tests.conftest import at


def test_coded_records_filed_nationally_by_the_province_are_candidates_unless_an_application_is_open(
    world, national
):
    from registry import services

    Platform.objects.filter(code="44").update(is_live=False)
    world.reviewer = world.national_reviewer  # filings of Guangdong now go to the national platform
    settled = world.coded(name="已办结").resource
    busy = world.coded(name="有变更在办").resource
    services.registration_create_followup(
        actor=world.holder,
        resource=busy,
        registration_type="change",
        data={"name": "新名称"},
        reason="调整",
        now=at(2026, 4, 1),
    )
    # Zhejiang's registrants file nationally too (its platform is not live either): their
    # records are not Guangdong's to hand over.
    Platform.objects.filter(code="33").update(is_live=False)
    world.coded(user=world.other_holder, holder=world.other_holder_org, name="浙江的")
    assert settled.platform.code == "national"
    assert list(handover_candidates(national.node)) == [settled]
