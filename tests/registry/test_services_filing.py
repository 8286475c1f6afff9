"""The filer's side: create, update, attach, submit, withdraw; agents on a mandate; which
platform an application is filed on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry import services
from registry.errors import NotFound, ValidationFailed
from registry.models import (
    AgentMandate,
    Attachment,
    Platform,
    RecordStatus,
    RegistrationStatus,
)
from registry.workdays import SHANGHAI
from tests.conftest import at, make_org, make_user, metadata, pdf

S = RegistrationStatus
MON = at(2026, 3, 2)  # Monday 2 March 2026, an ordinary working week


def last_event(reg):
    return reg.events.order_by("-id").first()


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI)


# --------------------------------------------------------------------------- happy paths


def test_an_initial_filing_creates_a_pending_resource_and_a_draft(world):
    reg = world.draft(attach=False)

    assert reg.status == S.DRAFT
    assert reg.registration_type == "initial"
    assert reg.applicant == world.holder
    assert reg.platform == world.gd
    assert reg.resource.status == RecordStatus.PENDING
    assert reg.resource.code is None
    assert reg.resource.holder == world.holder_org
    event = last_event(reg)
    assert (event.action, event.from_status, event.to_status) == ("create", "", S.DRAFT)
    assert event.actor == world.holder and event.at == MON


def test_updating_a_draft_validates_and_records_which_fields_changed(world):
    reg = world.draft(attach=False)

    services.registration_update(
        actor=world.holder, registration=reg, data={"summary": "新的摘要"}, reason="补充", now=MON
    )

    reg.refresh_from_db()
    assert reg.summary == "新的摘要" and reg.reason == "补充"
    event = last_event(reg)
    assert event.action == "update" and event.data == {"fields": ["summary"]}
    assert event.from_status == event.to_status == S.DRAFT


def test_an_update_cannot_set_state_or_owner_fields(world):
    reg = world.draft(attach=False)

    with pytest.raises(ValidationFailed) as caught:
        services.registration_update(
            actor=world.holder,
            registration=reg,
            data={"status": "approved", "platform": world.national.pk, "code": "X"},
            now=MON,
        )

    assert set(caught.value.errors) == {"status", "platform", "code"}
    reg.refresh_from_db()
    assert reg.status == S.DRAFT and reg.platform == world.gd


def test_an_attachment_is_stored_under_a_generated_name_with_its_digest(world):
    reg = world.draft(attach=False)

    attachment = services.attachment_add(
        actor=world.holder,
        registration=reg,
        kind="description",
        upload=pdf("../../说明文档.pdf"),
        now=MON,
    )

    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "说明文档.pdf"
    assert "说明文档" not in attachment.file.name and ".." not in attachment.file.name
    assert len(attachment.sha256) == 64 and attachment.size > 0
    event = last_event(reg)
    assert event.action == "attach" and event.data["kind"] == "description"


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("doc.pdf", b"just some text, not a PDF at all", "file"),
        ("doc.exe", b"%PDF-1.4\n%%EOF\n", "file"),
        ("doc.pdf", b"", "file"),
    ],
)
def test_an_attachment_whose_content_is_not_an_allowed_document_is_refused(
    world, name, content, field
):
    reg = world.draft(attach=False)

    with pytest.raises(ValidationFailed) as caught:
        services.attachment_add(
            actor=world.holder,
            registration=reg,
            kind="description",
            upload=SimpleUploadedFile(name, content),
            now=MON,
        )

    assert field in caught.value.errors
    assert not Attachment.objects.filter(registration=reg).exists()


def test_an_oversized_attachment_or_unknown_kind_is_refused(world, settings):
    settings.REGISTRY_ATTACHMENT_MAX_BYTES = 10
    reg = world.draft(attach=False)

    with pytest.raises(ValidationFailed) as too_big:
        services.attachment_add(
            actor=world.holder, registration=reg, kind="description", upload=pdf(), now=MON
        )
    with pytest.raises(ValidationFailed) as bad_kind:
        services.attachment_add(
            actor=world.holder, registration=reg, kind="selfie", upload=pdf(), now=MON
        )

    assert "file" in too_big.value.errors
    assert "kind" in bad_kind.value.errors
    assert not reg.attachments.exists()


def test_submitting_starts_the_acceptance_clock(world):
    reg = world.draft()

    reg = services.registration_submit(actor=world.holder, registration=reg, now=MON)

    assert reg.status == S.SUBMITTED
    assert reg.submitted_at == MON
    # 3 working days after Monday 2 March: Thursday 5 March, end of day.
    assert reg.acceptance_deadline == end_of(dt.date(2026, 3, 5))
    assert reg.current_deadline == reg.acceptance_deadline
    event = last_event(reg)
    assert (event.action, event.from_status, event.to_status) == ("submit", S.DRAFT, S.SUBMITTED)
    assert event.actor == world.holder


def test_withdrawing_records_the_reason_and_the_decision_time(world):
    reg = world.submitted()

    reg = services.registration_withdraw(
        actor=world.holder, registration=reg, reason="  数据已合并  ", now=at(2026, 3, 3)
    )

    assert reg.status == S.WITHDRAWN
    assert reg.decided_at == at(2026, 3, 3)
    event = last_event(reg)
    assert (event.action, event.from_status, event.reason) == (
        "withdraw",
        S.SUBMITTED,
        "数据已合并",
    )


def test_the_holders_other_staff_may_act_but_another_holders_staff_may_not(world):
    reg = world.draft()
    colleague = make_user(holder_staff=world.holder_org)

    services.registration_submit(actor=colleague, registration=reg, now=MON)

    with pytest.raises(NotFound):
        services.registration_withdraw(actor=world.other_holder, registration=reg, now=MON)
    with pytest.raises(NotFound):
        services.registration_create_initial(
            actor=world.other_holder,
            holder=world.holder_org,
            object_type="resource",
            data=metadata(),
            now=MON,
        )
    reg.refresh_from_db()
    assert reg.status == S.SUBMITTED


def test_an_unknown_object_type_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        services.registration_create_initial(
            actor=world.holder,
            holder=world.holder_org,
            object_type="spaceship",
            data=metadata(),
            now=MON,
        )

    assert "object_type" in caught.value.errors


# --------------------------------------------------------------------------- submit completeness


def test_submit_lists_every_missing_item_at_once(world):
    agent_org = make_org("广东数据代理服务有限公司", org_type="agent")
    agent = make_user(agent=agent_org)
    AgentMandate.objects.create(
        agent=agent_org,
        principal=world.holder_org,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
    )
    reg = world.draft(user=agent, attach=False, data_items=[], formats=[], coverage_regions=[])

    with pytest.raises(ValidationFailed) as caught:
        services.registration_submit(actor=agent, registration=reg, now=MON)

    errors = caught.value.errors
    assert set(errors) == {"data_items", "coverage_regions", "formats", "attachments"}
    text = " ".join(errors["attachments"])
    assert "说明文档" in text and "登记承诺书" in text and "委托授权书" in text
    reg.refresh_from_db()
    assert reg.status == S.DRAFT and reg.submitted_at is None


def test_sensitive_open_data_needs_a_consent_attachment_before_submit(world):
    reg = world.draft(
        contains_personal_info=True,
        open_category="conditional",
        consent_recorded=True,
        consent_note="2025年取得数据主体书面同意",
    )

    with pytest.raises(ValidationFailed) as caught:
        services.registration_submit(actor=world.holder, registration=reg, now=MON)
    services.attachment_add(
        actor=world.holder, registration=reg, kind="consent", upload=pdf(), now=MON
    )
    reg = services.registration_submit(actor=world.holder, registration=reg, now=MON)

    assert caught.value.errors == {"attachments": ["Evidence of consent is required."]}
    assert reg.status == S.SUBMITTED


# --------------------------------------------------------------------------- agents


@pytest.fixture
def agent_world(world):
    world.agent_org = make_org("广东数据代理服务有限公司", org_type="agent")
    world.agent = make_user("agent", agent=world.agent_org)
    world.mandate = AgentMandate.objects.create(
        agent=world.agent_org,
        principal=world.holder_org,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 6, 30),
    )
    return world


def test_an_agent_with_a_valid_mandate_files_for_the_principal(agent_world):
    w = agent_world

    reg = w.draft(user=w.agent)
    with pytest.raises(ValidationFailed) as caught:
        services.registration_submit(actor=w.agent, registration=reg, now=MON)
    services.attachment_add(actor=w.agent, registration=reg, kind="mandate", upload=pdf(), now=MON)
    reg = services.registration_submit(actor=w.agent, registration=reg, now=MON)

    assert caught.value.errors == {"attachments": ["The agent mandate (委托授权书) is required."]}
    assert reg.status == S.SUBMITTED
    assert reg.resource.holder == w.holder_org
    assert reg.agent_organisation == w.agent_org
    assert reg.mandate == w.mandate
    assert reg.applicant == w.agent
    assert reg.platform == w.gd


@pytest.mark.parametrize("problem", ["expired", "revoked", "not_yet_valid", "other_principal"])
def test_an_agent_without_a_usable_mandate_gets_not_found(agent_world, problem):
    w = agent_world
    if problem == "expired":
        w.mandate.valid_until = dt.date(2026, 2, 28)
    elif problem == "revoked":
        w.mandate.revoked_at = at(2026, 2, 1)
    elif problem == "not_yet_valid":
        w.mandate.valid_from = dt.date(2026, 4, 1)
    else:
        w.mandate.principal = w.other_holder_org
    w.mandate.save()

    with pytest.raises(NotFound):
        w.draft(user=w.agent)


def test_an_agent_without_any_mandate_gets_not_found(world):
    agent_org = make_org("无委托代理公司", org_type="agent")
    agent = make_user(agent=agent_org)

    with pytest.raises(NotFound):
        world.draft(user=agent)


def test_an_agent_whose_mandate_is_revoked_after_filing_can_no_longer_act(agent_world):
    w = agent_world
    reg = w.draft(user=w.agent)
    services.attachment_add(actor=w.agent, registration=reg, kind="mandate", upload=pdf(), now=MON)
    AgentMandate.objects.filter(pk=w.mandate.pk).update(revoked_at=at(2026, 3, 3))

    with pytest.raises(NotFound):
        services.registration_submit(actor=w.agent, registration=reg, now=at(2026, 3, 4))
    # ...while the principal's own staff still can.
    reg = services.registration_submit(actor=w.holder, registration=reg, now=at(2026, 3, 4))

    assert reg.status == S.SUBMITTED


# --------------------------------------------------------------------------- platforms


def test_a_province_whose_platform_is_not_live_files_on_the_national_platform(world):
    Platform.objects.filter(code="33").update(is_live=False)

    reg = world.draft(user=world.other_holder, holder=world.other_holder_org)

    assert reg.platform == world.national
    assert reg.resource.platform == world.national


def test_a_live_province_files_on_its_own_platform(world):
    reg = world.draft(user=world.other_holder, holder=world.other_holder_org)

    assert reg.platform == world.zj


def test_a_national_level_organisation_files_on_the_national_platform(world):
    reg = world.draft(user=world.central_holder, holder=world.central_org)

    assert reg.platform == world.national


def test_a_central_body_located_in_a_province_still_files_nationally(world):
    org = make_org("某部委驻粤机构", region="440100", national=True)
    staff = make_user(holder_staff=org)

    reg = world.draft(user=staff, holder=org)

    assert reg.platform == world.national


def test_hong_kong_has_a_platform_that_is_not_live(world):
    hk = Platform.objects.get(region_id="810000")
    org = make_org("香港某机构", region="810000")
    staff = make_user(holder_staff=org)

    reg = world.draft(user=staff, holder=org)

    assert hk.is_live is False
    assert reg.platform == world.national
