"""Who acts for whom in the paid channel. Every commerce service and selector asks here.

- operator staff: members of an operator party (`operations.PartyMember`);
- agency staff (set ceilings, approve pricing periods, generate, review and publish the
  disclosure): members of an implementing-agency party;
- consumer staff (order, call, read their statements): members of a commerce `Consumer`;
- regulator (reads everything, verifies consumers, exports review and transaction
  records): a platform administrator.
"""

from __future__ import annotations

from operations.commerce.models import ConsumerMember
from operations.models import PartyKind, PartyMember
from registry.errors import NotFound
from registry.models import Role
from registry.selectors import User, roles_of, scope_of


def _cached(user: User, name: str, compute) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    attr = f"_commerce_{name}"
    value = getattr(user, attr, None)
    if value is None:
        value = frozenset(compute())
        setattr(user, attr, value)
    return value


def _party_ids(user: User, kind: str) -> frozenset[int]:
    return _cached(
        user,
        kind,
        lambda: PartyMember.objects.filter(user=user, party__kind=kind).values_list(
            "party_id", flat=True
        ),
    )


def operator_ids(user: User) -> frozenset[int]:
    return _party_ids(user, PartyKind.OPERATOR)


def agency_ids(user: User) -> frozenset[int]:
    return _party_ids(user, PartyKind.AGENCY)


def consumer_ids(user: User) -> frozenset[int]:
    return _cached(
        user,
        "consumer",
        lambda: ConsumerMember.objects.filter(user=user).values_list("consumer_id", flat=True),
    )


def is_agency(user: User) -> bool:
    return bool(agency_ids(user))


def is_regulator(user: User) -> bool:
    return any(r.role == Role.PLATFORM_ADMIN for r in roles_of(user))


def sees_reports(user: User) -> bool:
    """Whether the reports and exports page has anything for this user: operator staff
    (their operating reports), agency staff (the reports of operators they authorised),
    holder staff (the use of their resources) and regulators."""
    if not user.is_authenticated:
        return False
    return (
        bool(operator_ids(user))
        or is_agency(user)
        or bool(scope_of(user).holder_org_ids)
        or is_regulator(user)
    )


def require_operator(user: User, operator_id: int) -> None:
    """Staff of this operator, or NotFound (another's objects are never revealed)."""
    if operator_id not in operator_ids(user):
        raise NotFound("No such object.")


def require_consumer(user: User, consumer_id: int) -> None:
    if consumer_id not in consumer_ids(user):
        raise NotFound("No such object.")


def require_agency(user: User, agency_id: int | None = None) -> None:
    ids = agency_ids(user)
    if not ids or (agency_id is not None and agency_id not in ids):
        raise NotFound("No such object.")


def require_regulator(user: User) -> None:
    if not is_regulator(user):
        raise NotFound("No such object.")
