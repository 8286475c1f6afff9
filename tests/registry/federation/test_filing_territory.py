"""属地原则 on separate nodes. A provincial node registers its own province's registrants only:
another province's holder, or a national-level one, is refused at the first filing (service,
API and page), before anything is written (the national node would refuse such a record on
arrival). The national node takes national-level registrants and those of provinces without a
live platform; a registrant of a province whose platform is live files there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry import services
from registry.errors import ValidationFailed
from registry.federation.models import OutboxEvent
from registry.models import Registration, RegistrationEvent, Resource
from tests.conftest import at, make_user, metadata
from tests.registry.test_api_registrations import initial_body, post_json, problem
from tests.registry.test_pages_filing import filing_post

NOW = at(2026, 4, 1)


def _written() -> tuple[int, int, int, int]:
    return (
        Registration.objects.count(),
        Resource.objects.count(),
        RegistrationEvent.objects.count(),
        OutboxEvent.objects.count(),
    )


def _create(world, user, holder):
    return services.registration_create_initial(
        actor=user, holder=holder, object_type="resource", data=metadata(), now=NOW
    )


def test_a_provincial_node_refuses_another_provinces_holder_and_says_where_to_file(
    world, provincial
):
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        _create(world, world.other_holder, world.other_holder_org)
    [message] = caught.value.errors["holder"]
    assert message == (
        "This platform registers the resources of registrants in 广东省; 杭州市数据资源局 is "
        "in 浙江省: file on that province's platform."
    )
    assert caught.value.extra["province"] == "440000"
    assert _written() == before


def test_a_provincial_node_refuses_a_national_level_holder(world, provincial):
    filer = make_user("central_filer", holder_staff=world.central_org)
    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        _create(world, filer, world.central_org)
    assert caught.value.errors["holder"] == [
        "国家某部委 is a national-level registrant: file on the national platform."
    ]
    assert _written() == before


def test_a_provincial_node_files_its_own_provinces_holder(world, provincial):
    reg = _create(world, world.holder, world.holder_org)
    assert reg.platform == world.gd
    assert reg.resource.holder == world.holder_org


def test_a_single_deployment_files_every_provinces_holder(world):
    # national and provincial platforms in one database: each holder on its own platform
    assert _create(world, world.other_holder, world.other_holder_org).platform == world.zj
    filer = make_user("central_filer", holder_staff=world.central_org)
    assert _create(world, filer, world.central_org).platform == world.national


def test_the_api_answers_a_problem_naming_the_holder_field(client, world, provincial):
    client.force_login(world.other_holder)
    before = _written()
    response = post_json(
        client, "registrations/", initial_body(world, holder=world.other_holder_org.pk)
    )
    body = problem(response, 400)
    assert "浙江省" in body["errors"]["holder"][0]
    assert _written() == before


def test_the_filing_page_shows_the_refusal_beside_the_holder_in_chinese(client, world, provincial):
    client.force_login(world.other_holder)
    before = _written()
    response = client.post(
        reverse("registry:filing-create"),
        filing_post(world, holder=world.other_holder_org.pk, coverage_regions=["330000"]),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "本平台办理广东省登记主体的数据资源登记；杭州市数据资源局属于浙江省，请在该省平台办理。"
        in body
    )
    assert _written() == before


def test_the_refusal_reads_in_english_on_english_pages():
    from django.utils import translation

    from registry.views.common import translate_message

    message = (
        "This platform registers the resources of registrants in 广东省; 杭州市数据资源局 is "
        "in 浙江省: file on that province's platform."
    )
    with translation.override("en"):
        assert translate_message(message) == message
    with translation.override("zh-hans"):
        assert translate_message(message).startswith("本平台办理广东省登记主体")


def test_the_national_node_sends_a_live_provinces_registrant_to_its_platform(world, national):
    from registry.models import Platform

    before = _written()
    with pytest.raises(ValidationFailed) as caught:
        _create(world, world.holder, world.holder_org)
    assert caught.value.errors["holder"] == [
        "广州市交通运输局 is in 广东省, whose platform is live: file on that province's platform."
    ]
    assert caught.value.extra["platform"] == "44"
    assert _written() == before
    # National-level registrants file here, and so do a province's once it has no live platform.
    filer = make_user("central_filer", holder_staff=world.central_org)
    assert _create(world, filer, world.central_org).platform == world.national
    Platform.objects.filter(code="44").update(is_live=False)
    assert _create(world, world.holder, world.holder_org).platform == world.national


def test_the_national_refusal_reads_in_chinese_on_the_pages():
    from django.utils import translation

    from registry.views.common import translate_message

    message = (
        "广州市交通运输局 is in 广东省, whose platform is live: file on that province's platform."
    )
    with translation.override("zh-hans"):
        assert translate_message(message) == (
            "广州市交通运输局属于广东省，该省平台已上线，请在该省平台办理登记。"
        )
