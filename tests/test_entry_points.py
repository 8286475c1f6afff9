"""The sections' own addresses open on their first page instead of answering 404."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "first_page"),
    [
        ("/interaction/", "interaction:request-list"),
        ("/registry/", "registry:notice-list"),
    ],
)
def test_a_sections_root_address_redirects_to_its_first_page(client, address, first_page):
    response = client.get(address)

    assert response.status_code == 302
    assert response["Location"] == reverse(first_page)
    assert client.get(response["Location"]).status_code == 200
