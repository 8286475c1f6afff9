import pytest

from portal.models import Licence, Theme
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
