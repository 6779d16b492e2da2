import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from samspill.core.testing import client_for
from samspill.outbox.models import Message as Email
from samspill.selfservice import queries
from samspill.selfservice.models import Message

MINE = reverse("selfservice:my_dialog")


def staff_url(participant):
    return reverse("selfservice:participant_dialog", kwargs={"pk": participant.pk})


def test_a_message_and_its_answer_with_unread_counts_on_both_sides(me, participant, counselor):
    client_for(me).post(MINE, {"text": "Kan vi flytte møtet?"})
    assert queries.unread_count(participant, from_participant=True) == 1
    staff = client_for(counselor)
    page = staff.get(staff_url(participant))
    assert "Kan vi flytte møtet?" in page.content.decode()
    assert queries.unread_count(participant, from_participant=True) == 0  # the counselor read it
    staff.post(staff_url(participant), {"text": "Ja, torsdag passer."})
    mine = client_for(me)
    home = mine.get(reverse("selfservice:my_plan")).content.decode()
    assert ngettext("%(n)s unread", "%(n)s unread", 1) % {"n": 1} in home
    thread = mine.get(MINE).content.decode()
    assert "Ja, torsdag passer." in thread
    assert queries.unread_count(participant, from_participant=False) == 0


def test_the_email_notice_says_nothing_of_the_message(me, participant, counselor):
    client_for(me).post(MINE, {"text": "Hemmelig innhold"})
    client_for(me).post(MINE, {"text": "Enda mer"})
    notices = Email.objects.filter(subject=gettext("A new message in Samspill"))
    [notice] = notices  # one notice while the first is unread
    assert notice.to == [counselor.email]
    assert "Hemmelig" not in notice.body + notice.subject
    assert "Kari" not in notice.body + notice.subject
    client_for(counselor).post(staff_url(participant), {"text": "Svar med innhold"})
    to_participant = notices.exclude(pk=notice.pk).get()
    assert to_participant.to == ["kari@example.org"]
    assert "Svar med innhold" not in to_participant.body


def test_a_colleague_looking_leaves_the_counselors_unread(me, participant, leader):
    client_for(me).post(MINE, {"text": "Hei"})
    assert client_for(leader).get(staff_url(participant)).status_code == 200
    assert queries.unread_count(participant, from_participant=True) == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_an_empty_or_too_long_message_is_refused(me, participant, counselor, text):
    assert client_for(me).post(MINE, {"text": text}).status_code == 400
    assert client_for(counselor).post(staff_url(participant), {"text": text}).status_code == 400
    assert not Message.objects.exists()


def test_staff_outside_the_door_get_a_404(participant, outsider, admin, other_team_counselor):
    for user in (outsider, other_team_counselor):
        client = client_for(user)
        assert client.get(staff_url(participant)).status_code == 404
        assert client.post(staff_url(participant), {"text": "x"}).status_code == 404
    assert client_for(admin).get(staff_url(participant)).status_code == 403
    assert not Message.objects.exists()


@pytest.mark.parametrize("rows", [1, 12])
def test_the_dialog_pages_run_a_fixed_number_of_queries(
    rows, me, participant, counselor, django_assert_num_queries
):
    for index in range(rows):
        client_for(me).post(MINE, {"text": f"m{index}"})
        client_for(counselor).post(staff_url(participant), {"text": f"s{index}"})
    mine = client_for(me)
    # Session, user, participant, access log, mark read, thread, workplaces; the layout's three.
    with django_assert_num_queries(10):
        assert mine.get(MINE).status_code == 200
    staff = client_for(counselor)
    # Session, user, membership, the participant, access log, mark read, thread, unread count,
    # and the record's tab count (the participant's unread, header of every record page).
    with django_assert_num_queries(9):
        assert staff.get(staff_url(participant)).status_code == 200


def test_without_a_login_the_page_says_messages_wait_and_offers_the_invitation(
    participant, counselor
):
    """No promise of an e-mail the participant cannot get: the page says the messages wait,
    and offers what leads on (the invitation, or the e-mail address it needs first)."""
    from samspill.participants import services as participant_services

    staff = client_for(counselor)
    page = staff.get(staff_url(participant)).content.decode()
    assert 'data-testid="no-login"' in page
    assert "Deltakeren har ikke innlogging ennå" in page
    assert "får en e-post" not in page
    assert reverse("participants:edit", args=[participant.pk]) in page  # no e-mail yet
    participant_services.participant_update(
        participant=participant, by=counselor, email="kari@example.org"
    )
    page = staff.get(staff_url(participant)).content.decode()
    invite = reverse("portal:invite_participant", kwargs={"participant_pk": participant.pk})
    assert invite in page
    response = staff.post(invite, {"next": staff_url(participant)})
    assert response.status_code == 302 and response["Location"] == staff_url(participant)
    participant.refresh_from_db()
    assert participant.portal_user_id is not None
    page = staff.get(staff_url(participant)).content.decode()
    assert 'data-testid="no-login"' not in page
    assert "får en e-post" in page


def test_the_records_messages_tab_says_how_many_are_unread_in_words(me, participant, leader):
    for text in ("Hei", "Er du der?"):
        client_for(me).post(MINE, {"text": text})
    unread = ngettext("%(n)s unread", "%(n)s unread", 2) % {"n": 2}
    record = reverse("participants:detail", kwargs={"pk": participant.pk})

    # On every tab of the record, the leader's too (a look does not mark them read).
    for url in (record, reverse("participants:plan", kwargs={"pk": participant.pk})):
        assert unread in client_for(leader).get(url).content.decode()
    assert unread in client_for(leader).get(staff_url(participant)).content.decode()


def test_the_badge_goes_when_the_counselor_has_read_them(me, participant, counselor):
    client_for(me).post(MINE, {"text": "Hei"})
    staff = client_for(counselor)
    record = reverse("participants:detail", kwargs={"pk": participant.pk})
    one = ngettext("%(n)s unread", "%(n)s unread", 1) % {"n": 1}
    assert one in staff.get(record).content.decode()

    # Opening the tab reads them: the tab shown then says nothing is unread.
    assert one not in staff.get(staff_url(participant)).content.decode()
    assert one not in staff.get(record).content.decode()
