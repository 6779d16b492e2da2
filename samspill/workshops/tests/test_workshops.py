"""The Skjulte Talenter workshop: enrolling, sessions and attendance, and the strengths profile
and CV (with a film link) it ends in. Least access: the facilitator sees the whole roster, a
counselor only their own participants; others are refused."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from samspill.audit.models import AccessLog
from samspill.core.testing import client_for
from samspill.participants.models import Participant
from samspill.selfservice.models import CV
from samspill.workshops import services
from samspill.workshops.models import Attendance, Enrolment

FILM = "https://film.example.org/kari-presenterer-seg"


class TestServices:
    def test_staff_enrol_only_participants_they_may_see(
        self, workshop, counselor, theirs, participant
    ):
        with pytest.raises(ValidationError):
            services.enrol(workshop=workshop, participant=theirs, by=counselor)
        services.enrol(workshop=workshop, participant=participant, by=counselor)
        with pytest.raises(ValidationError) as error:
            services.enrol(workshop=workshop, participant=participant, by=counselor)
        assert "participant" in error.value.message_dict

        assert Enrolment.objects.count() == 1

    def test_another_organisation_cannot_enrol(self, workshop, outsider, other_participant):
        with pytest.raises(PermissionDenied):
            services.enrol(workshop=workshop, participant=other_participant, by=outsider)

    def test_attendance_is_recorded_and_safe_to_record_again(
        self, session, enrolled, coordinator, counselor
    ):
        mine, theirs = enrolled
        services.attendance_record(session=session, by=coordinator, present={mine.pk})
        services.attendance_record(session=session, by=coordinator, present={mine.pk})

        assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
            mine.pk: True,
            theirs.pk: False,
        }
        with pytest.raises(PermissionDenied):
            services.attendance_record(session=session, by=counselor, present=set())
        with pytest.raises(ValidationError):
            services.attendance_record(session=session, by=coordinator, present={999})

    def test_the_strengths_profile_goes_into_the_participants_own_fields(
        self, enrolled, coordinator, participant
    ):
        services.strengths_save(
            enrolment=enrolled[0],
            by=coordinator,
            revision=participant.revision,
            dreams="Kokk",
            what_i_can="Lage mat til mange",
        )

        participant.refresh_from_db()
        assert (participant.dreams, participant.what_i_can) == ("Kokk", "Lage mat til mange")

    def test_a_stale_strengths_save_is_refused(self, enrolled, coordinator, participant):
        services.strengths_save(
            enrolment=enrolled[0], by=coordinator, revision=participant.revision, dreams="A"
        )
        with pytest.raises(ValidationError):
            services.strengths_save(
                enrolment=enrolled[0], by=coordinator, revision=participant.revision, dreams="B"
            )

    def test_a_counselor_cannot_write_someone_elses_profile(self, enrolled, counselor):
        with pytest.raises(PermissionDenied):
            services.cv_save(enrolment=enrolled[1], by=counselor, revision=None, film_url=FILM)


class TestPages:
    def test_the_facilitator_sees_the_whole_roster_a_counselor_only_their_own(
        self, workshop, enrolled, coordinator, counselor
    ):
        page = reverse("workshops:detail", args=[workshop.pk])

        facilitator_view = client_for(coordinator).get(page).content.decode()
        counselor_view = client_for(counselor).get(page).content.decode()

        assert "Tor Annen" in facilitator_view and "Kari" in facilitator_view
        assert "Tor Annen" not in counselor_view
        assert AccessLog.objects.filter(actor=counselor, what="page:workshop").count() == 1

    @pytest.mark.parametrize("who, status", [("outsider", 404), ("mentor", 403), ("admin", 403)])
    def test_the_wrong_people_are_refused(self, request, workshop, enrolled, session, who, status):
        client = client_for(request.getfixturevalue(who))
        for url in (
            reverse("workshops:detail", args=[workshop.pk]),
            reverse("workshops:session", args=[session.pk]),
            reverse("workshops:profile", args=[enrolled[0].pk]),
            reverse("workshops:cv_pdf", args=[enrolled[0].pk]),
        ):
            assert client.get(url).status_code == status

    def test_a_participant_is_refused(self, workshop, participant, counselor):
        from samspill.selfservice.tests.conftest import own_login

        me = own_login(participant, counselor, "kari@example.org")
        assert client_for(me).get(reverse("workshops:list")).status_code == 403

    def test_a_counselor_cannot_open_another_counselors_participant_or_the_attendance(
        self, enrolled, session, counselor
    ):
        client = client_for(counselor)
        assert client.get(reverse("workshops:profile", args=[enrolled[1].pk])).status_code == 404
        assert client.get(reverse("workshops:session", args=[session.pk])).status_code == 403

    def test_the_coordinator_runs_a_session_and_ends_with_a_cv_pdf_with_the_film(
        self, enrolled, session, coordinator, participant
    ):
        client = client_for(coordinator)
        mine = enrolled[0]
        response = client.post(
            reverse("workshops:session", args=[session.pk]), {"present": [str(mine.pk)]}
        )
        assert response.status_code == 302
        assert Attendance.objects.get(enrolment=mine).present

        profile = reverse("workshops:profile", args=[mine.pk])
        strengths = {
            "strengths": "1",
            "strengths-revision": participant.revision,
            "strengths-dreams": "Jobbe i park",
            "strengths-who_i_am": "Rolig",
            "strengths-what_i_can": "Snekre",
            "strengths-want_to_learn": "Sertifikat",
            "strengths-interests": "Fotball",
        }
        assert client.post(profile, strengths).status_code == 302
        assert Participant.objects.get(pk=participant.pk).interests == "Fotball"
        assert client.post(profile, {"cv": "1", "cv-film_url": FILM}).status_code == 302
        assert CV.objects.get(participant=participant).film_url == FILM

        pdf = client.get(reverse("workshops:cv_pdf", args=[mine.pk]))
        reader = PdfReader(io.BytesIO(pdf.content))
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
        links = [
            annotation.get_object()["/A"]["/URI"]
            for page in reader.pages
            for annotation in page.get("/Annots", [])
        ]
        assert "Snekre" in text
        assert FILM in links

    def test_a_bad_film_link_is_refused_and_changes_nothing(self, enrolled, coordinator):
        response = client_for(coordinator).post(
            reverse("workshops:profile", args=[enrolled[0].pk]),
            {"cv": "1", "cv-film_url": "not a link"},
        )

        assert response.status_code == 400
        assert not CV.objects.exists()

    @pytest.mark.parametrize("name", ["workshops:detail", "workshops:list"])
    def test_pages_run_a_fixed_number_of_queries(
        self, name, workshop, enrolled, coordinator, org, counselor, django_assert_num_queries
    ):
        from samspill.core.testing import make_participant

        url = reverse(name, args=[workshop.pk] if name == "workshops:detail" else [])
        client = client_for(coordinator)
        client.get(url)
        with django_assert_num_queries(QUERIES[name]):
            client.get(url)
        for n in range(3):
            extra = make_participant(org, counselor, given_name=f"Ekstra{n}")
            services.enrol(workshop=workshop, participant=extra, by=counselor)
        with django_assert_num_queries(QUERIES[name]):
            client.get(url)


QUERIES = {"workshops:detail": 8, "workshops:list": 4}
