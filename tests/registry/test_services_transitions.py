"""The state table: every action not allowed in a state raises IllegalTransition (409) naming
the current state and the allowed actions, and changes nothing."""

from __future__ import annotations

import pytest

from registry import services
from registry.errors import IllegalTransition, NotFound
from registry.models import (
    Objection,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from tests.conftest import at, pdf

S = RegistrationStatus
NOW = at(2026, 3, 2)
LATER = at(2026, 6, 1)


def reach(world, state: str) -> Registration:
    """An application of the Guangzhou holder in `state`, built through the services."""
    builders = {
        S.DRAFT: lambda: world.draft(),
        S.SUBMITTED: lambda: world.submitted(),
        S.UNDER_REVIEW: lambda: world.under_review(),
        S.IN_NOTICE: lambda: world.in_notice(),
        S.APPROVED: lambda: world.coded(),
        S.WITHDRAWN: lambda: services.registration_withdraw(
            actor=world.holder, registration=world.draft(), reason="不再登记", now=NOW
        ),
        S.SUPPLEMENT_REQUIRED: lambda: services.registration_require_supplement(
            actor=world.reviewer,
            registration=world.submitted(),
            items=[{"field": "summary", "message": "摘要过于简单"}],
            now=NOW,
        ),
        S.NOT_ACCEPTED: lambda: services.registration_not_accept(
            actor=world.reviewer, registration=world.submitted(), reason="不属于登记范围", now=NOW
        ),
        S.RETURNED: lambda: services.registration_return(
            actor=world.reviewer,
            registration=world.under_review(),
            reason="数据项说明不全",
            now=NOW,
        ),
        S.REJECTED: lambda: services.registration_reject(
            actor=world.reviewer, registration=world.under_review(), reason="材料虚假", now=NOW
        ),
    }
    reg = builders[state]()
    reg.refresh_from_db()
    assert reg.status == state
    return reg


def _objection(reg: Registration, world) -> Objection:
    # Created directly: the point is an objection on an application that is not in notice.
    return Objection.objects.create(
        registration=reg, objector=world.citizen, reason="数据来源存疑", created_at=NOW
    )


ACTIONS = {
    "update": lambda w, r: services.registration_update(
        actor=w.holder, registration=r, data={"summary": "更新后的摘要"}, now=LATER
    ),
    "attach": lambda w, r: services.attachment_add(
        actor=w.holder, registration=r, kind="other", upload=pdf(), now=LATER
    ),
    "submit": lambda w, r: services.registration_submit(actor=w.holder, registration=r, now=LATER),
    "withdraw": lambda w, r: services.registration_withdraw(
        actor=w.holder, registration=r, now=LATER
    ),
    "accept": lambda w, r: services.registration_accept(
        actor=w.reviewer, registration=r, now=LATER
    ),
    "require_supplement": lambda w, r: services.registration_require_supplement(
        actor=w.reviewer, registration=r, items=[{"field": "x", "message": "缺少"}], now=LATER
    ),
    "not_accept": lambda w, r: services.registration_not_accept(
        actor=w.reviewer, registration=r, reason="理由", now=LATER
    ),
    "return": lambda w, r: services.registration_return(
        actor=w.reviewer, registration=r, reason="理由", now=LATER
    ),
    "reject": lambda w, r: services.registration_reject(
        actor=w.reviewer, registration=r, reason="理由", now=LATER
    ),
    "approve_review": lambda w, r: services.registration_approve_review(
        actor=w.reviewer, registration=r, now=LATER
    ),
    # The holder can see its own application in every state, so it learns the state (409);
    # the public gets a 404 outside the notice (tested below).
    "object": lambda w, r: services.objection_file(
        actor=w.holder, registration=r, reason="异议", now=LATER
    ),
    "uphold_objection": lambda w, r: services.objection_uphold(
        actor=w.reviewer, objection=_objection(r, w), reason="成立", outcome="returned", now=LATER
    ),
    "dismiss_objection": lambda w, r: services.objection_dismiss(
        actor=w.reviewer, objection=_objection(r, w), reason="不成立", now=LATER
    ),
    "complete": lambda w, r: services.registration_complete(
        actor=w.reviewer, registration=r, now=LATER
    ),
}

ILLEGAL = [
    (state, action)
    for state in RegistrationStatus.values
    for action in ACTIONS
    if action not in services.ALLOWED_ACTIONS[state]
]


def test_the_state_table_names_every_state_and_only_known_actions():
    assert set(services.ALLOWED_ACTIONS) == set(RegistrationStatus.values)
    for allowed in services.ALLOWED_ACTIONS.values():
        assert set(allowed) <= set(ACTIONS)
    assert len(ILLEGAL) == 116


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_an_action_not_allowed_in_a_state_is_an_illegal_transition(world, state, action):
    reg = reach(world, state)
    events_before = RegistrationEvent.objects.filter(registration=reg).count()

    with pytest.raises(IllegalTransition) as caught:
        ACTIONS[action](world, reg)

    assert caught.value.status == 409
    assert caught.value.extra == {
        "current_state": state,
        "allowed_actions": services.ALLOWED_ACTIONS[state],
    }
    reg.refresh_from_db()
    assert reg.status == state
    assert RegistrationEvent.objects.filter(registration=reg).count() == events_before


@pytest.mark.parametrize("state", [S.DRAFT, S.UNDER_REVIEW, S.APPROVED, S.REJECTED])
def test_the_public_objecting_outside_a_notice_gets_not_found(world, state):
    reg = reach(world, state)

    with pytest.raises(NotFound):
        services.objection_file(actor=world.citizen, registration=reg, reason="异议", now=LATER)

    assert not reg.objections.exists()


def test_a_decided_objection_cannot_be_decided_again(world):
    reg = reach(world, S.IN_NOTICE)
    objection = services.objection_file(
        actor=world.citizen, registration=reg, reason="数据来源存疑", now=NOW
    )
    services.objection_dismiss(actor=world.reviewer, objection=objection, reason="不成立", now=NOW)

    with pytest.raises(IllegalTransition) as caught:
        services.objection_uphold(
            actor=world.reviewer, objection=objection, reason="成立", outcome="rejected", now=NOW
        )

    assert caught.value.extra["current_state"] == "objection dismissed"
    reg.refresh_from_db()
    assert reg.status == S.IN_NOTICE
