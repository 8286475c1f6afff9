"""Who acts for whom in the paid channel. Every commerce service and selector asks here.

- operator staff: holder staff of an organisation of type operator (运营机构);
- consumer staff: holder staff of any organisation (a consumer is an organisation);
- pricing authority (sets ceilings, approves pricing periods, reviews the disclosure): staff
  of a data authority (数据主管部门) or of an implementing agency;
- regulator (reads everything, exports review and transaction records): a platform
  administrator, or staff of a data authority.
"""

from __future__ import annotations

from registry.errors import NotFound
from registry.models import OrganisationType, Role
from registry.selectors import User, roles_of

AUTHORITY_TYPES = frozenset({OrganisationType.DATA_AUTHORITY, OrganisationType.ORGAN})


def _staff_orgs(user: User):
    return [
        r.organisation
        for r in roles_of(user)
        if r.role == Role.HOLDER_STAFF and r.organisation is not None
    ]


def operator_ids(user: User) -> frozenset[int]:
    return frozenset(o.pk for o in _staff_orgs(user) if o.org_type == OrganisationType.OPERATOR)


def consumer_ids(user: User) -> frozenset[int]:
    return frozenset(o.pk for o in _staff_orgs(user))


def authority_ids(user: User) -> frozenset[int]:
    return frozenset(o.pk for o in _staff_orgs(user) if o.org_type in AUTHORITY_TYPES)


def is_authority(user: User) -> bool:
    return bool(authority_ids(user))


def is_regulator(user: User) -> bool:
    roles = roles_of(user)
    return any(r.role == Role.PLATFORM_ADMIN for r in roles) or any(
        o.org_type == OrganisationType.DATA_AUTHORITY for o in _staff_orgs(user)
    )


def require_operator(user: User, operator_id: int) -> None:
    """Operator staff of this operator, or NotFound (never reveal another's objects)."""
    if operator_id not in operator_ids(user):
        raise NotFound("No such object.")


def require_consumer(user: User, consumer_id: int) -> None:
    if consumer_id not in consumer_ids(user):
        raise NotFound("No such object.")


def require_authority(user: User) -> None:
    if not is_authority(user):
        raise NotFound("No such object.")
