import datetime as dt

import pytest

from registry.models import RecordStatus, RegistrationStatus
from tests.conftest import at


@pytest.mark.smoke
def test_an_initial_filing_goes_from_draft_to_an_active_coded_record(world):
    reg = world.coded(now=at(2026, 3, 2))

    reg.refresh_from_db()
    record = reg.resource
    record.refresh_from_db()
    assert reg.status == RegistrationStatus.APPROVED
    assert record.status == RecordStatus.ACTIVE
    assert record.code.startswith("44000012026")
    assert record.current_version.number == 1
    assert record.valid_until == dt.date(2029, 3, 16) or record.valid_until.year == 2029
    actions = list(reg.events.values_list("action", flat=True))
    assert actions == ["create", "attach", "attach", "submit", "accept", "start_notice", "complete"]
