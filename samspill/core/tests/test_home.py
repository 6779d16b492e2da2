"""Each role lands where its work is, after signing in and on `/`."""

import pytest
from django.urls import reverse

from samspill.core.testing import PASSWORD, client_for


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("counselor", "followup:today"),
        ("coordinator", "employers:board"),
        ("leader", "insights:outcomes"),
    ],
)
def test_each_role_lands_where_its_work_is(request, who, where):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(where)


def test_signing_in_goes_on_to_the_roles_landing_page(client, coordinator):
    response = client.post(
        reverse("login"), {"username": coordinator.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("employers:board")


def test_an_administrator_sees_the_home_page(admin):
    assert client_for(admin).get(reverse("home")).status_code == 200
