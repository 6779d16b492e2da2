"""A staff member's data export holds their whole learning record, parsed back from the JSON;
the record of processing lists the learning app."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from samspill.learning import programme_services, services, sparring_services
from samspill.learning.models import PeerFeedback, SparringCase
from samspill.privacy.processing import record_for

from .conftest import reflection_data

pytestmark = pytest.mark.django_db


def test_a_staff_export_holds_the_learning_record_whole(
    tmp_path, org, counselor, colleague, leader, attended
):
    today = timezone.localdate()
    goal = services.goal_create(by=counselor, goal="Bli tryggere i trepartsmøter")
    services.goal_review_record(goal=goal, by=leader, held_on=today, notes="Godt i gang")
    data = reflection_data()
    data["look_back_on"] = today + datetime.timedelta(days=30)
    programme_services.reflection_write(session=attended, by=counselor, **data)
    sparring_services.sparring_case_ask(
        by=counselor,
        audience=SparringCase.Audience.COLLEAGUE,
        asked=colleague,
        situation="Troen falt etter avslag",
    )
    sparring_services.peer_feedback_give(
        by=colleague,
        observed=counselor,
        observed_on=today,
        setting=PeerFeedback.Setting.values[0],
        went_well="Rolig og tydelig",
    )
    output = tmp_path / "staff.json"

    call_command("privacy", "export", "--user", str(counselor.pk), "--output", str(output))

    tables: dict[str, list[dict]] = {}
    for table in json.loads(output.read_text())["tables"]:
        tables.setdefault(table["table"], []).extend(table["rows"])
    assert [g["goal"] for g in tables["learning.learninggoal"]] == [goal.goal]
    assert [r["notes"] for r in tables["learning.goalreview"]] == ["Godt i gang"]
    assert [r["learned"] for r in tables["learning.reflection"]] == [data["learned"]]
    assert [c["situation"] for c in tables["learning.sparringcase"]] == ["Troen falt etter avslag"]
    assert [f["went_well"] for f in tables["learning.peerfeedback"]] == ["Rolig og tydelig"]
    assert [(a["session_id"], a["present"]) for a in tables["learning.sessionattendance"]] == [
        (attended.pk, True)
    ]


def test_the_record_of_processing_lists_staff_learning(org):
    with translation.override("en"):
        [learning] = [a for a in record_for(org) if "Staff learning" in a.purpose]
    assert "learning goals" in learning.categories and "reflections" in learning.categories
