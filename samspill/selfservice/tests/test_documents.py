from django.urls import reverse

from samspill.core.testing import client_for
from samspill.placements import followups as placement_followups
from samspill.placements.tests import cast

DOCUMENTS = reverse("selfservice:my_documents")


def test_an_agreement_waiting_for_me_and_an_issued_certificate(
    me, participant, counselor, employer, mentor_contact, employer_user
):
    waiting = cast.sent(cast.draft(participant, employer, counselor, mentor_contact), counselor)
    done = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact), counselor, employer_user
    )
    placement_followups.evaluation_save(
        placement=done,
        by=counselor,
        kind="final",
        held_on=done.start_date,
        tasks_mastered="Steking",
        attendance="good",
        cooperation="good",
    )
    certificate = placement_followups.certificate_request(
        placement=done, by=counselor, language="nb", tasks="Steking", assessment="Bra."
    )
    placement_followups.certificate_approve(certificate=certificate, by=employer_user)
    page = client_for(me).get(DOCUMENTS)
    assert page.status_code == 200
    rows = {d.placement.pk: d for d in page.context["documents"]}
    assert rows[waiting.pk].awaiting_me
    assert not rows[done.pk].awaiting_me
    assert rows[done.pk].my_approval is not None
    assert [e.kind for e in rows[done.pk].evaluations] == ["final"]
    assert rows[done.pk].certificate_issued
    body = page.content.decode()
    assert reverse("portal:my_certificate", kwargs={"pk": done.pk}) in body
    assert reverse("portal:my_placement", kwargs={"pk": waiting.pk}) in body


def test_documents_are_the_participants_alone(me, them, counselor, mentor, leader):
    for user in (counselor, mentor, leader):
        assert client_for(user).get(DOCUMENTS).status_code == 403
    assert client_for(them.portal_user).get(DOCUMENTS).context["documents"] == []


def test_the_documents_page_runs_a_fixed_number_of_queries(
    me, participant, counselor, employer, mentor_contact, employer_user, django_assert_num_queries
):
    for _index in range(3):
        cast.approve_all(
            cast.draft(participant, employer, counselor, mentor_contact), counselor, employer_user
        )
    client = client_for(me)
    # Session, user, participant, access log; placements, my approvals, evaluations;
    # workplaces, unread count; the layout's three.
    with django_assert_num_queries(12):
        assert client.get(DOCUMENTS).status_code == 200
