from operations.licensing import licensed_query
from operations.models import AccessLog, LicenceMode


def test_an_aggregates_only_licence_answers_a_grouped_count_without_small_groups(ops):
    licence = ops.licence(LicenceMode.AGGREGATES_ONLY, k=5)
    result = licensed_query(licence=licence, user=ops.operator_user, params={"group_by": "区"})
    assert {r["区"]: r["count"] for r in result.records} == {"天河区": 12, "白云区": 12}
    assert result.suppressed_groups == 1
    assert AccessLog.objects.get().groups_returned == 2
