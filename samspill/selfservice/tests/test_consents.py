from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.core.testing import client_for
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord

MINE = reverse("selfservice:my_consents")


def give(participant, counselor, information="contact"):
    return participant_services.consent_give(
        participant=participant, by=counselor, recipient="workplace", information=information
    )


def withdraw_url(consent):
    return reverse("selfservice:my_consent_withdraw", kwargs={"pk": consent.pk})


def test_the_participant_sees_what_is_shared_and_withdraws_it(me, participant, counselor):
    consent = give(participant, counselor)
    page = client_for(me).get(MINE).content.decode()
    assert str(ConsentRecord.Information.CONTACT.label) in page
    assert str(ConsentRecord.Recipient.WORKPLACE.label) in page
    assert client_for(me).post(withdraw_url(consent)).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_recorded_by == me


def test_withdrawing_twice_says_so_and_changes_nothing(me, participant, counselor):
    consent = give(participant, counselor)
    client = client_for(me)
    client.post(withdraw_url(consent))
    consent.refresh_from_db()
    first = consent.withdrawn_at
    page = client.post(withdraw_url(consent), follow=True).content.decode()
    assert _("This consent is already withdrawn.") in page
    consent.refresh_from_db()
    assert consent.withdrawn_at == first


def test_another_participants_consent_is_a_404(me, them, colleague):
    theirs = give(them, colleague)
    assert client_for(me).post(withdraw_url(theirs)).status_code == 404
    assert ConsentRecord.objects.get(pk=theirs.pk).withdrawn_at is None


def test_the_copy_of_my_data_link_shows_only_when_the_page_exists(me):
    page = client_for(me).get(MINE)
    assert (page.context["my_data_url"] is None) == (
        "/privacy/my-data/" not in page.content.decode()
    )


def test_the_consents_page_runs_a_fixed_number_of_queries(
    me, participant, counselor, django_assert_num_queries
):
    for information in ("contact", "plan", "strengths"):
        give(participant, counselor, information)
    client = client_for(me)
    # Session, user, participant, access log, consents, workplaces, unread count; the
    # layout's three.
    with django_assert_num_queries(10):
        assert client.get(MINE).status_code == 200
