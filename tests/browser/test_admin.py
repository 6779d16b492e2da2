"""The platform operator's Django admin, read-only: the API token pages (whose old form had two
critical axe violations) and the organisation page with its teams have no serious or critical
violations."""

import pytest
from django.urls import reverse

from samspill.accounts.auth import api_token_create
from samspill.accounts.models import User
from samspill.core.testing import PASSWORD
from tests.browser.axe import assert_accessible


@pytest.fixture
def operator(transactional_db) -> User:
    return User.objects.create_superuser(
        email="operator@example.org", password=PASSWORD, full_name="Platform Operator"
    )


@pytest.mark.browser
def test_the_operators_admin_pages_have_no_serious_violations(
    page, log_in, operator, counselor, team_a, org
):
    token, _key = api_token_create(user=counselor, name="Integration")
    log_in(operator)

    for path in (
        reverse("admin:index"),
        reverse("admin:accounts_apitoken_changelist"),
        reverse("admin:accounts_apitoken_change", args=[token.pk]),
        reverse("admin:organisations_organisation_change", args=[org.pk]),
    ):
        page.goto(path)
        assert page.locator("#content h1").count() == 1, path
        assert_accessible(page)
