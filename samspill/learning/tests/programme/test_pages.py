"""The programme pages: who may see and do what, bad input, stale writes, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspill.learning import programme_services as services
from samspill.learning.models import (
    Programme,
    ProgrammeSession,
    Reflection,
    SessionAttendance,
    StaffRecordRead,
)
from samspill.learning.tests.programme.conftest import at, reflection_data

pytestmark = pytest.mark.django_db


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def session_data(facilitator, **extra):
    return {
        "title": "Overleveringen",
        "starts_at": local(at(14, 9)),
        "ends_at": local(at(14, 11)),
        "place": "Kantina",
        "video_url": "",
        "facilitator": facilitator.pk,
        "description": "",
        **extra,
    }


def test_portal_users_get_403_and_anonymous_users_sign_in(client, mentor, held):
    for name, args in [("learning:programmes", []), ("learning:session", [held.pk])]:
        assert client.get(reverse(name, args=args)).status_code == 302
    client.force_login(mentor)
    for name, args in [
        ("learning:programmes", []),
        ("learning:reflections", []),
        ("learning:session", [held.pk]),
        ("learning:session_ics", [held.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403


def test_staff_not_enrolled_and_other_organisations_get_404(client, admin, outsider, held):
    for user in (admin, outsider):
        client.force_login(user)
        programme_url = reverse("learning:programme", args=[held.module.programme_id])
        assert client.get(programme_url).status_code == 404
        assert client.get(reverse("learning:session", args=[held.pk])).status_code == 404
        assert client.get(reverse("learning:session_ics", args=[held.pk])).status_code == 404


def test_enrolled_staff_see_the_programme_but_only_those_who_run_it_change_it(
    client, counselor, coordinator, facilitator, module, held
):
    for user in (counselor, coordinator, facilitator):
        client.force_login(user)
        assert client.get(reverse("learning:session", args=[held.pk])).status_code == 200
        assert client.post(reverse("learning:programmes"), {"title": "X"}).status_code == 403
        assert client.get(reverse("learning:session_add", args=[module.pk])).status_code == 403
        assert client.get(reverse("learning:session_edit", args=[held.pk])).status_code == 403
        response = client.post(
            reverse("learning:programme", args=[module.programme_id]),
            {"action": "module", "title": "Y"},
        )
        assert response.status_code == 403
    assert Programme.objects.count() == 1
    assert module.programme.modules.count() == 1


def test_a_platform_mentor_builds_a_programme_with_a_module_a_session_and_enrolment(
    client, platform_mentor, facilitator, team_b, published
):
    client.force_login(platform_mentor)
    response = client.post(reverse("learning:programmes"), {"title": "Årets program"})
    programme = Programme.objects.get()
    assert response.url == reverse("learning:programme", args=[programme.pk])
    url = reverse("learning:programme", args=[programme.pk])
    client.post(url, {"action": "module", "title": "Kontinuitet"})
    module = programme.modules.get()
    assert module.number == 1
    client.post(url, {"action": "enrol", "teams": [team_b.pk]})
    assert programme.enrolments.get().team == team_b
    response = client.post(
        reverse("learning:session_add", args=[module.pk]),
        session_data(facilitator, methods=[published.pk]),
    )
    session = ProgrammeSession.objects.get()
    assert response.url == reverse("learning:session", args=[session.pk])
    assert list(session.methods.all()) == [published]
    page = client.get(url).content.decode()
    assert "Overleveringen" in page and "1 person enrolled now" in page


def test_a_session_that_ends_before_it_starts_and_has_no_place_is_refused_with_both_messages(
    client, platform_mentor, facilitator, module
):
    client.force_login(platform_mentor)
    response = client.post(
        reverse("learning:session_add", args=[module.pk]),
        session_data(facilitator, ends_at=local(at(14, 8)), place=""),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "must end after it starts" in page and "Give a place or a video link" in page
    assert not ProgrammeSession.objects.exists()


def test_a_facilitator_from_another_organisation_or_a_bad_link_is_refused(
    client, platform_mentor, outsider, facilitator, module
):
    client.force_login(platform_mentor)
    url = reverse("learning:session_add", args=[module.pk])
    assert client.post(url, session_data(outsider)).status_code == 400
    assert client.post(url, session_data(facilitator, video_url="not a link")).status_code == 400
    assert not ProgrammeSession.objects.exists()


def test_stale_programme_and_session_edits_are_refused(client, platform_mentor, leader, held):
    programme = held.module.programme
    url = reverse("learning:programme", args=[programme.pk])
    client.force_login(leader)
    first = client.post(url, {"action": "edit", "title": "Nytt navn", "revision": 1})
    assert first.status_code == 302
    client.force_login(platform_mentor)
    stale = client.post(url, {"action": "edit", "title": "Mitt navn", "revision": 1})
    assert stale.status_code == 400
    assert "Someone else saved" in stale.content.decode()
    programme.refresh_from_db()
    assert programme.title == "Nytt navn"

    edit = reverse("learning:session_edit", args=[held.pk])
    data = session_data(held.facilitator, title="Endret", revision=1)
    assert client.post(edit, data).status_code == 302
    stale = client.post(edit, {**data, "title": "Igjen"})
    assert stale.status_code == 400
    held.refresh_from_db()
    assert held.title == "Endret" and held.revision == 2


def test_the_facilitator_records_attendance_of_enrolled_people_only(
    client, facilitator, counselor, colleague, coordinator, outsider, held
):
    url = reverse("learning:session", args=[held.pk])
    client.force_login(counselor)
    assert client.post(url, {"action": "attendance", "present": [counselor.pk]}).status_code == 403
    client.force_login(facilitator)
    page = client.get(url).content.decode()
    assert all(p.full_name in page for p in (counselor, colleague, coordinator))
    bad = client.post(url, {"action": "attendance", "present": [outsider.pk]})
    assert bad.status_code == 400
    assert "Only people enrolled" in bad.content.decode()
    assert not SessionAttendance.objects.exists()
    response = client.post(url, {"action": "attendance", "present": [counselor.pk]})
    assert response.status_code == 302
    assert dict(SessionAttendance.objects.values_list("user_id", "present")) == {
        counselor.pk: True,
        colleague.pk: False,
        coordinator.pk: False,
    }


def test_attendance_waits_until_the_session_has_started(client, facilitator, counselor, coming):
    client.force_login(facilitator)
    url = reverse("learning:session", args=[coming.pk])
    response = client.post(url, {"action": "attendance", "present": [counselor.pk]})
    assert response.status_code == 400
    assert not SessionAttendance.objects.exists()


def test_only_those_present_write_a_reflection(client, counselor, colleague, attended):
    url = reverse("learning:session", args=[attended.pk])
    client.force_login(colleague)
    response = client.post(url, {"action": "reflection", **reflection_data()})
    assert response.status_code == 400
    assert "recorded you as present" in response.content.decode()
    client.force_login(counselor)
    assert client.post(url, {"action": "reflection", **reflection_data()}).status_code == 302
    assert Reflection.objects.get().author == counselor


def test_a_look_back_day_in_the_past_is_refused(client, counselor, attended):
    client.force_login(counselor)
    response = client.post(
        reverse("learning:session", args=[attended.pk]),
        {"action": "reflection", **reflection_data(look_back_on="2020-01-01")},
    )
    assert response.status_code == 400
    assert "look-back day from today" in response.content.decode()
    assert not Reflection.objects.exists()


def test_a_private_reflection_is_never_seen_by_leaders_or_the_facilitator(
    client, counselor, leader, facilitator, platform_mentor, attended
):
    client.force_login(counselor)
    url = reverse("learning:session", args=[attended.pk])
    client.post(url, {"action": "reflection", **reflection_data(learned="Hemmelig innsikt")})
    for user in (leader, facilitator, platform_mentor):
        client.force_login(user)
        assert "Hemmelig innsikt" not in client.get(url).content.decode()
        page = client.get(reverse("learning:reflections")).content.decode()
        assert "Hemmelig innsikt" not in page
    assert not StaffRecordRead.objects.filter(what__contains="reflections").exists()


def test_shared_reflections_are_read_by_whom_they_are_shared_with_and_each_read_is_logged(
    client, counselor, leader, facilitator, attended
):
    client.force_login(counselor)
    url = reverse("learning:session", args=[attended.pk])
    client.post(
        url,
        {
            "action": "reflection",
            **reflection_data(learned="Delt med lederen", shared_with_leader="on"),
        },
    )
    client.force_login(facilitator)
    assert "Delt med lederen" not in client.get(url).content.decode()
    client.force_login(leader)
    assert "Delt med lederen" in client.get(reverse("learning:reflections")).content.decode()
    assert StaffRecordRead.objects.filter(
        reader=leader, subject=counselor, what="learning:shared_reflections"
    ).exists()

    client.force_login(counselor)
    reflection = Reflection.objects.get()
    client.post(
        url,
        {
            "action": "reflection",
            "revision": reflection.revision,
            **reflection_data(learned="Delt med lederen", shared_with_facilitator="on"),
        },
    )
    client.force_login(leader)
    assert "Delt med lederen" not in client.get(reverse("learning:reflections")).content.decode()
    client.force_login(facilitator)
    assert "Delt med lederen" in client.get(url).content.decode()
    assert StaffRecordRead.objects.filter(
        reader=facilitator, subject=counselor, what="learning:session_reflections"
    ).exists()


def test_a_stale_reflection_is_refused_and_the_author_looks_back(client, counselor, attended):
    client.force_login(counselor)
    url = reverse("learning:session", args=[attended.pk])
    client.post(url, {"action": "reflection", **reflection_data()})
    first = client.post(
        url, {"action": "reflection", "revision": 1, **reflection_data(will_try="A")}
    )
    assert first.status_code == 302
    stale = client.post(
        url, {"action": "reflection", "revision": 1, **reflection_data(will_try="B")}
    )
    assert stale.status_code == 400
    assert Reflection.objects.get().will_try == "A"
    client.post(url, {"action": "look_back", "note": "Det virket."})
    reflection = Reflection.objects.get()
    assert reflection.looked_back_at is not None and reflection.look_back_note == "Det virket."


def test_reading_attendance_is_logged_for_the_facilitator(client, facilitator, counselor, attended):
    client.force_login(facilitator)
    client.get(reverse("learning:session", args=[attended.pk]))
    assert StaffRecordRead.objects.filter(
        reader=facilitator, subject=counselor, what="learning:session_attendance"
    ).exists()


def test_material_is_added_by_the_facilitator_and_read_by_those_who_see_the_session(
    client, facilitator, counselor, admin, held
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(counselor)
    url = reverse("learning:session", args=[held.pk])
    upload = SimpleUploadedFile("ark.txt", b"Arbeidsark")
    assert client.post(url, {"action": "material", "file": upload}).status_code == 403
    client.force_login(facilitator)
    upload = SimpleUploadedFile("ark.txt", b"Arbeidsark")
    assert (
        client.post(url, {"action": "material", "name": "Ark", "file": upload}).status_code == 302
    )
    material = held.materials.get()
    client.force_login(counselor)
    response = client.get(reverse("learning:material", args=[material.pk]))
    assert b"".join(response.streaming_content) == b"Arbeidsark"
    client.force_login(admin)
    assert client.get(reverse("learning:material", args=[material.pk])).status_code == 404


def _more_sessions(module, platform_mentor, facilitator, count):
    for number in range(count):
        services.session_add(
            module=module,
            by=platform_mentor,
            title=f"Økt {number}",
            starts_at=at(number - 3),
            ends_at=at(number - 3, 11),
            place="Rom",
            facilitator=facilitator,
        )


def test_the_pages_have_a_fixed_number_of_queries(
    client,
    counselor,
    colleague,
    facilitator,
    platform_mentor,
    module,
    attended,
    coming,
    django_assert_num_queries,
):
    client.force_login(counselor)
    client.post(
        reverse("learning:session", args=[attended.pk]),
        {"action": "reflection", **reflection_data(shared_with_facilitator="on")},
    )
    pages = [
        (counselor, reverse("learning:programmes")),
        (counselor, reverse("learning:programme", args=[module.programme_id])),
        (platform_mentor, reverse("learning:programme", args=[module.programme_id])),
        (facilitator, reverse("learning:session", args=[attended.pk])),
        (counselor, reverse("learning:reflections")),
    ]
    counts = []
    for user, url in pages:
        client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    _more_sessions(module, platform_mentor, facilitator, 6)
    services.attendance_record(
        session=attended, by=facilitator, present=[counselor.pk, colleague.pk]
    )
    client.force_login(colleague)
    client.post(
        reverse("learning:session", args=[attended.pk]),
        {"action": "reflection", **reflection_data(shared_with_facilitator="on")},
    )
    for (user, url), before in zip(pages, counts, strict=True):
        client.force_login(user)
        client.get(url)
        with django_assert_num_queries(before):
            client.get(url)
