"""The jobbLOOP API refuses input of the wrong type or out of range with a 422, never a 500."""

import pytest

from samspill.core.testing import client_for
from samspill.loops.models import InterestMark


def test_a_loop_id_too_big_for_the_database_is_a_422_not_a_500(kick_off, open_loop, coordinator):
    response = client_for(coordinator).post(
        f"/api/v1/loops/gatherings/{kick_off.pk}/formation",
        {"loop_ids": [open_loop.pk, 2**63]},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "loop_ids.1"


@pytest.mark.parametrize("loop_id", [0, -1, "1", 1.5, True])
def test_a_loop_id_that_is_no_id_is_a_422(kick_off, open_loop, coordinator, loop_id):
    response = client_for(coordinator).post(
        f"/api/v1/loops/gatherings/{kick_off.pk}/formation",
        {"loop_ids": [loop_id]},
        content_type="application/json",
    )

    assert response.status_code == 422


@pytest.mark.parametrize("value", ["maybe", "yes", 1, "true", 0])
def test_is_forbidden_takes_true_or_false_only_and_nothing_changes(
    kick_off, coordinator, young, employers, value
):
    before = list(InterestMark.objects.values_list("is_forbidden", "forbidden_reason"))

    response = client_for(coordinator).put(
        f"/api/v1/loops/gatherings/{kick_off.pk}/marks",
        {"candidate_id": young[0].pk, "employer_id": employers[0].pk, "is_forbidden": value},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "is_forbidden"
    assert list(InterestMark.objects.values_list("is_forbidden", "forbidden_reason")) == before


def test_a_mark_given_as_text_is_a_422(kick_off, coordinator, young, employers):
    response = client_for(coordinator).put(
        f"/api/v1/loops/gatherings/{kick_off.pk}/marks",
        {"candidate_id": str(young[0].pk), "employer_id": employers[0].pk, "employer_mark": "2"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"candidate_id", "employer_mark"}
