import pytest

from portal.models import Licence, Theme
from tests.conftest import make_org, make_user
from tests.portal.factories import add_file, make_dataset


@pytest.mark.smoke
def test_reference_data_has_a_single_default_licence_and_themes(db):
    assert Licence.objects.filter(is_default=True).count() == 1
    assert Theme.objects.filter(code="transport").exists()


def test_a_dataset_with_a_file_is_indexed_on_its_title(world):
    dataset = make_dataset(world, title="广州市公交站点")
    add_file(dataset)
    dataset.refresh_from_db()
    assert "'公交'" in str(dataset.search_vector)
    assert dataset.formats == ["CSV"]


def test_search_finds_a_chinese_title_and_counts_facets(world):
    bus = make_dataset(world, title="广州市公交站点")
    add_file(bus)
    hospital_org = make_org("佛山市卫生健康局", region="440600")
    make_dataset(
        world,
        title="佛山市医院名录",
        holder_org=hospital_org,
        user=make_user(holder_staff=hospital_org),
    )
    from portal.search import check_search_query, search_datasets

    result = search_datasets(check_search_query(q="公交", filters={"format": ["CSV"]}))
    assert [d.pk for d in result.datasets] == [bus.pk]
    assert result.total == 1
    assert {f.value: f.count for f in result.facets["format"]} == {"CSV": 1}
    everything = search_datasets(check_search_query())
    assert everything.total == 2
    assert sum(f.count for f in everything.facets["region"]) == 2
