"""The library's count stops at a cap: a broad word reads "more than N methods"."""

import pytest
from django.urls import reverse

from samspill.learning import search, services
from samspill.learning.tests.conftest import CONTENT

pytestmark = pytest.mark.django_db


def test_a_broad_search_says_more_than_the_cap(client, monkeypatch, platform_mentor, counselor):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for word in ("alfa", "beta", "gamma"):
        method = services.method_create(by=platform_mentor, **{**CONTENT, "title": f"Tro {word}"})
        services.method_publish(method=method, by=platform_mentor)
    client.force_login(counselor)
    page = client.get(reverse("learning:library"), {"q": "deltakeren"}).content.decode()
    assert "More than 2 methods" in page
    listed = client.get("/api/v1/learning/methods", {"q": "deltakeren"}).json()
    assert (listed["count"], listed["more"], len(listed["items"])) == (2, True, 2)
    narrow = client.get(reverse("learning:library"), {"q": "gamma"}).content.decode()
    assert "1 method" in narrow and "More than" not in narrow
