"""Publishing registered resources as datasets: who may, which records, what comes from the
registry, what the client may write, and how datasets follow their records."""

from __future__ import annotations

import pytest

from portal import selectors, services
from portal.models import Dataset, DatasetEvent, DatasetStatus, Licence
from registry.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from registry.models import RecordStatus
from tests.conftest import at, make_org, make_user
from tests.portal.publishing_helpers import NOW, coded_record, follow_up, publish


def test_holder_staff_publish_a_coded_record_with_defaults_from_the_record(world):
    resource = coded_record(world, name="广州市公交站点数据", domain="交通出行")

    dataset = services.dataset_publish(actor=world.holder, resource=resource, data={}, now=NOW)

    version = resource.current_version
    assert dataset.status == DatasetStatus.PUBLISHED
    assert dataset.title == "广州市公交站点数据"
    assert dataset.description == version.summary
    assert (dataset.industry, dataset.update_frequency) == ("G", "monthly")
    assert (dataset.contact_name, dataset.contact_phone) == ("张三", "020-12345678")
    assert dataset.theme.code == "transport"  # the theme named like the record's domain
    assert dataset.licence == Licence.objects.get(is_default=True)
    assert dataset.slug == resource.code.lower()
    assert dataset.published_by == world.holder and dataset.published_at == NOW
    assert DatasetEvent.objects.filter(dataset=dataset, action="publish").count() == 1
    assert selectors.datasets_public().filter(pk=dataset.pk).exists()


def test_holder_region_and_open_category_come_from_the_registry(world):
    guangzhou = publish(world, open_category="conditional")

    assert (guangzhou.holder, guangzhou.region_id) == (world.holder_org, "440100")
    assert guangzhou.province_code == "440000"
    assert guangzhou.open_category == "conditional"


def test_the_region_facet_is_the_province_or_000000_for_central_bodies(world):
    from portal.services.publishing import province_code_of

    assert province_code_of(make_org(region="440106")) == "440000"
    assert province_code_of(world.central_org) == "000000"


def test_the_client_values_replace_the_defaults(world):
    dataset = publish(
        world,
        data={
            "title": "  公交站点  ",
            "theme": "tourism",
            "licence": "cc-by-4.0",
            "update_frequency": "daily",
            "contact_email": "open@example.gov.cn",
        },
    )
    assert dataset.title == "公交站点"
    assert dataset.theme.code == "tourism"
    assert dataset.licence.code == "cc-by-4.0"
    assert dataset.update_frequency == "daily"
    assert dataset.contact_email == "open@example.gov.cn"


def test_a_record_without_a_code_cannot_be_published(world):
    reg = world.submitted()

    with pytest.raises(Conflict) as exc:
        services.dataset_publish(actor=world.holder, resource=reg.resource, data={}, now=NOW)

    assert exc.value.extra["current_state"] == RecordStatus.PENDING
    assert not Dataset.objects.exists()


def test_a_deregistered_record_cannot_be_published(world):
    resource = coded_record(world)
    follow_up(world, resource, "deregistration")
    assert resource.status == RecordStatus.DEREGISTERED

    with pytest.raises(Conflict):
        services.dataset_publish(actor=world.holder, resource=resource, data={}, now=NOW)


def test_a_record_that_is_not_open_cannot_be_published(world):
    resource = coded_record(world, open_category="not_open")

    with pytest.raises(Conflict) as exc:
        services.dataset_publish(actor=world.holder, resource=resource, data={}, now=NOW)

    assert exc.value.extra["open_category"] == "not_open"
    assert not Dataset.objects.exists()


@pytest.mark.parametrize("persona", ["other_holder", "citizen", "reviewer"])
def test_only_staff_of_the_records_holder_may_publish_it(world, persona):
    resource = coded_record(world)

    with pytest.raises(NotFound):
        services.dataset_publish(actor=getattr(world, persona), resource=resource, data={}, now=NOW)

    assert not Dataset.objects.exists()


def test_a_record_is_published_once(world):
    dataset = publish(world)

    with pytest.raises(Conflict):
        services.dataset_publish(actor=world.holder, resource=dataset.resource, data={}, now=NOW)

    assert Dataset.objects.count() == 1


@pytest.mark.parametrize(
    "field",
    ["status", "holder", "open_category", "slug", "download_count", "province_code", "resource"],
)
def test_registry_and_platform_fields_are_never_writable(world, field):
    resource = coded_record(world)

    with pytest.raises(ValidationFailed) as exc:
        services.dataset_publish(
            actor=world.holder, resource=resource, data={field: "x", "title": "好"}, now=NOW
        )

    assert exc.value.errors[field] == ["This field is read-only."]
    assert not Dataset.objects.exists()


def test_unknown_fields_and_every_invalid_field_are_named_at_once(world):
    resource = coded_record(world)

    with pytest.raises(ValidationFailed) as exc:
        services.dataset_publish(
            actor=world.holder,
            resource=resource,
            data={
                "colour": "red",
                "title": "",
                "theme": "nope",
                "licence": "proprietary",
                "industry": "Z",
                "update_frequency": "hourly",
                "contact_phone": "call me",
                "contact_email": "not-an-address",
            },
            now=NOW,
        )

    assert set(exc.value.errors) == {
        "colour",
        "title",
        "theme",
        "licence",
        "industry",
        "update_frequency",
        "contact_phone",
        "contact_email",
    }
    assert exc.value.errors["colour"] == ["Unknown field."]


def test_markdown_descriptions_are_stored_as_written(world):
    text = "# 说明\n\n<script>alert(1)</script> **粗体** [链接](javascript:alert(1))"

    dataset = publish(world, data={"description": text})

    dataset.refresh_from_db()
    assert dataset.description == text


def test_tags_are_normalised_deduplicated_and_trimmed(world):
    dataset = publish(world, data={"tags": " 公交 ，地铁、 ＡＢＣ ,abc,, 公交 ;站点 "})

    assert dataset.tags == ["公交", "地铁", "ABC", "站点"]


def test_tags_may_be_a_list(world):
    dataset = publish(world, data={"tags": ["交通", "  交通 ", "公交  线路"]})

    assert dataset.tags == ["交通", "公交 线路"]


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ([f"t{n}" for n in range(21)], "At most 20 tags."),
        (["长" * 41], "Each tag has at most 40 characters."),
        ([1, 2], "Must be a list of strings or a comma-separated string."),
    ],
)
def test_too_many_too_long_or_non_string_tags_are_refused(world, tags, message):
    with pytest.raises(ValidationFailed) as exc:
        publish(world, data={"tags": tags})

    assert exc.value.errors["tags"] == [message]


def test_an_update_changes_only_the_fields_sent_and_reindexes(world):
    dataset = publish(world, data={"tags": ["公交"]})

    updated = services.dataset_update(
        actor=world.holder,
        dataset=dataset,
        data={"title": "广州地铁客流统计", "update_frequency": "yearly"},
        now=at(2026, 4, 2),
    )

    updated.refresh_from_db()
    assert updated.title == "广州地铁客流统计"
    assert updated.tags == ["公交"]
    assert updated.metadata_updated_at == at(2026, 4, 2)
    assert "'地铁'" in str(updated.search_vector)
    event = DatasetEvent.objects.get(dataset=dataset, action="update")
    assert sorted(event.data["fields"]) == ["title", "update_frequency"]


def test_an_update_refuses_read_only_fields(world):
    dataset = publish(world)

    with pytest.raises(ValidationFailed) as exc:
        services.dataset_update(
            actor=world.holder, dataset=dataset, data={"status": "withdrawn"}, now=NOW
        )

    assert "status" in exc.value.errors
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED


def test_another_organisation_cannot_update_withdraw_or_upload(world):
    dataset = publish(world)

    with pytest.raises(NotFound):
        services.dataset_update(
            actor=world.other_holder, dataset=dataset, data={"title": "x"}, now=NOW
        )
    with pytest.raises(NotFound):
        services.dataset_withdraw(actor=world.other_holder, dataset=dataset, reason="x", now=NOW)
    with pytest.raises(NotFound):
        services.distribution_create(actor=world.other_holder, dataset=dataset, title="x", now=NOW)


def test_a_second_member_of_the_holder_may_edit(world):
    colleague = make_user(holder_staff=world.holder_org)
    dataset = publish(world)

    services.dataset_update(actor=colleague, dataset=dataset, data={"title": "新标题"}, now=NOW)

    dataset.refresh_from_db()
    assert dataset.title == "新标题"


def test_withdrawal_needs_a_reason_and_hides_the_dataset(world):
    dataset = publish(world)

    with pytest.raises(ValidationFailed):
        services.dataset_withdraw(actor=world.holder, dataset=dataset, reason="  ", now=NOW)
    withdrawn = services.dataset_withdraw(
        actor=world.holder, dataset=dataset, reason="数据整改", now=at(2026, 4, 3)
    )

    assert withdrawn.status == DatasetStatus.WITHDRAWN
    assert withdrawn.withdrawal_reason == "数据整改"
    assert withdrawn.withdrawn_at == at(2026, 4, 3)
    assert not selectors.datasets_public().filter(pk=dataset.pk).exists()
    assert selectors.datasets_managed_by(world.holder).filter(pk=dataset.pk).exists()


def test_withdrawing_twice_names_the_state_and_what_is_allowed(world):
    dataset = publish(world)
    services.dataset_withdraw(actor=world.holder, dataset=dataset, reason="整改", now=NOW)

    with pytest.raises(IllegalTransition) as exc:
        services.dataset_withdraw(actor=world.holder, dataset=dataset, reason="整改", now=NOW)

    assert exc.value.extra["current_state"] == "withdrawn"
    assert "republish" in exc.value.extra["allowed_actions"]


def test_republishing_brings_a_withdrawn_dataset_back(world):
    dataset = publish(world)
    services.dataset_withdraw(actor=world.holder, dataset=dataset, reason="整改", now=NOW)

    back = services.dataset_republish(actor=world.holder, dataset=dataset, now=at(2026, 4, 5))

    assert back.status == DatasetStatus.PUBLISHED
    assert back.withdrawal_reason == "" and back.withdrawn_at is None
    assert selectors.datasets_public().filter(pk=dataset.pk).exists()
    with pytest.raises(IllegalTransition):
        services.dataset_republish(actor=world.holder, dataset=dataset, now=NOW)


# --------------------------------------------------------------------------- registry events


def test_a_deregistered_record_withdraws_its_dataset(world):
    dataset = publish(world)

    follow_up(world, dataset.resource, "deregistration")

    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.WITHDRAWN
    assert dataset.withdrawal_reason == "The registry record was deregistered."
    event = DatasetEvent.objects.get(dataset=dataset, action="withdraw")
    assert event.actor is None and event.data == {"cause": "deregistered"}
    with pytest.raises(Conflict):
        services.dataset_republish(actor=world.holder, dataset=dataset, now=NOW)


def test_an_expired_record_withdraws_its_dataset(world):
    from registry import services as registry_services

    dataset = publish(world)
    resource = dataset.resource

    registry_services.update_record_validity(now=at(resource.valid_until.year + 1, 1, 1))

    dataset.refresh_from_db()
    resource.refresh_from_db()
    assert resource.status == RecordStatus.EXPIRED
    assert dataset.status == DatasetStatus.WITHDRAWN


def test_a_record_changed_to_not_open_withdraws_its_dataset(world):
    dataset = publish(world)

    follow_up(world, dataset.resource, "change", data={"open_category": "not_open"})

    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.WITHDRAWN
    assert dataset.open_category == "unconditional"  # the constraint keeps an open value
    assert not selectors.datasets_public().filter(pk=dataset.pk).exists()


def test_a_change_syncs_the_open_category_and_the_defaults_not_overridden(world):
    dataset = publish(world, data={"contact_name": "李四"})

    follow_up(
        world,
        dataset.resource,
        "change",
        data={"open_category": "conditional", "industry": "N", "contact_name": "王五"},
    )

    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED
    assert dataset.open_category == "conditional"
    assert dataset.industry == "N"  # still the record's value: follows it
    assert dataset.contact_name == "李四"  # the holder's own value: kept


def test_a_correction_of_the_name_renames_a_dataset_that_kept_the_name(world):
    dataset = publish(world)

    follow_up(
        world, dataset.resource, "correction", data={"name": "广州市公交线路站点数据（更正）"}
    )

    dataset.refresh_from_db()
    assert dataset.title == "广州市公交线路站点数据（更正）"
    assert "'更正'" in str(dataset.search_vector)
