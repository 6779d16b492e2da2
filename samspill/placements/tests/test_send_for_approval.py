"""Sending the agreement for approval is an act of its own: the page says who must approve and
how, and warns when nobody at the employer can."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.employers.services import contact_add
from samspill.placements import services
from samspill.placements.forms import STEP_BY_SLUG, PlacementStartForm
from samspill.placements.models import Party, Placement, Status
from samspill.placements.tests import cast


@pytest.fixture
def draft(participant, employer, counselor, mentor_contact) -> Placement:
    return cast.draft(participant, employer, counselor, mentor_contact)


def send(client, placement, revision=None):
    return client.post(
        reverse("placements:send", kwargs={"pk": placement.pk}),
        {"revision": placement.revision if revision is None else revision},
    )


def test_a_complete_draft_stays_a_draft_until_it_is_sent(draft):
    assert draft.status == Status.DRAFT


def test_it_sends_with_an_audit_row_and_the_status_follows(client, draft, counselor, mentor):
    response = send(client_for(counselor), draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.sent_for_approval_at is not None
    assert draft.status == Status.AWAITING_APPROVAL
    event = AuditEvent.objects.get(action="placement.sent_for_approval")
    assert event.actor == counselor
    assert event.data["employer_approvers"] == [draft.mentor_id]


def test_a_stale_revision_or_bad_input_changes_nothing(draft, counselor):
    client = client_for(counselor)
    page = send(client, draft, revision=draft.revision - 1 or 99)
    assert page.status_code == 302
    assert client.post(reverse("placements:send", kwargs={"pk": draft.pk}), {}).status_code == 302
    draft.refresh_from_db()
    assert draft.sent_for_approval_at is None
    assert not AuditEvent.objects.filter(action="placement.sent_for_approval").exists()


def test_an_incomplete_draft_cannot_be_sent(draft, counselor):
    services.agreement_update(placement=draft, by=counselor, revision=draft.revision, we_offer="")
    draft.refresh_from_db()
    send(client_for(counselor), draft)
    draft.refresh_from_db()
    assert draft.sent_for_approval_at is None


def test_the_page_says_who_approves_and_how(draft, counselor, mentor):
    html = client_for(counselor).get(reverse("placements:detail", kwargs={"pk": draft.pk}))
    text = html.content.decode()
    assert reverse("placements:send", kwargs={"pk": draft.pk}) in text
    assert 'data-approver="employer"' in text
    assert "Mona Mentor" in text
    assert 'id="nobody-can-approve"' not in text


def test_it_warns_when_nobody_at_the_employer_can_approve_and_offers_an_invitation(
    draft, counselor, mentor_contact
):
    # The mentor has a declaration but no portal login.
    text = (
        client_for(counselor)
        .get(reverse("placements:detail", kwargs={"pk": draft.pk}))
        .content.decode()
    )
    assert 'id="nobody-can-approve"' in text
    invite = reverse(
        "portal:invite", kwargs={"employer_pk": draft.employer_id, "contact_pk": mentor_contact.pk}
    )
    assert invite in text


def test_the_portal_offers_approval_only_once_sent(draft, counselor, mentor):
    portal = client_for(mentor)
    url = reverse("portal:placement", kwargs={"pk": draft.pk})
    approve = reverse("portal:approve", kwargs={"pk": draft.pk})
    assert approve not in portal.get(url).content.decode()
    send(client_for(counselor), draft)
    assert approve in portal.get(url).content.decode()


def test_the_page_reads_in_a_fixed_number_of_queries_however_many_contacts(
    draft, employer, counselor, mentor, django_assert_num_queries
):
    client = client_for(counselor)
    url = reverse("placements:detail", kwargs={"pk": draft.pk})
    client.get(url)
    queries = count_queries(client, url)
    for n in range(3):
        contact_add(employer=employer, by=counselor, name=f"Kontakt {n}", email=f"k{n}@b.example")
    with django_assert_num_queries(queries):
        client.get(url)


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_one_person_to_call_is_the_employers_contact_person(draft, employer):
    person = employer.contact_person
    assert draft.call_whom.startswith(person.full_name)


def test_labels_are_capitalised_and_hours_read_as_people_write_them(draft):
    with translation.override("nb"):
        rows = {row["name"]: row for row in services.content_rows(draft)}
        assert rows["hours_per_week"]["value"] == "30"
        assert rows["kind"]["label"][0].isupper()
        assert services.hours(Decimal("7.5")) == "7,5"


def test_explanations_are_shown_only_when_they_apply(draft, employer, mentor_contact):
    assert "start_reason" not in {row["name"] for row in services.content_rows(draft)}
    duration = STEP_BY_SLUG["duration"].form(instance=draft)
    assert not {"start_reason", "extension_reason"} & {f.name for f in duration}
    long_ago = datetime.date.today() - datetime.timedelta(days=30)
    backdated = STEP_BY_SLUG["duration"].form(
        {
            "revision": draft.revision,
            "kind": draft.kind,
            "start_date": long_ago.isoformat(),
            "end_date": (long_ago + datetime.timedelta(days=90)).isoformat(),
        },
        instance=draft,
    )
    assert backdated.is_valid()
    assert "start_reason" in {f.name for f in backdated}
    start = PlacementStartForm(mentors=None, participants=None)
    assert not {"start_reason", "extension_reason"} & {f.name for f in start}


def counselor_button(text):
    return 'name="party" value="counselor"' in text


def test_the_counselor_is_offered_to_approve_only_when_it_can_work(draft, counselor, mentor):
    """The counselor approves last (the service refuses before): until then the page says
    whom it waits for, then asks for the meeting, and only then offers the button."""
    client = client_for(counselor)
    url = reverse("placements:detail", kwargs={"pk": draft.pk})
    draft = cast.sent(draft, counselor)
    text = client.get(url).content.decode()  # in Norwegian, the default
    assert not counselor_button(text)
    assert "Du godkjenner sist, når disse har godkjent: deltaker, arbeidsgiver." in text
    for party, by, reason in (
        (Party.PARTICIPANT, counselor, "Approved orally."),
        (Party.EMPLOYER, mentor, ""),
    ):
        draft.refresh_from_db()
        services.agreement_approve(
            placement=draft, by=by, party=party, revision=draft.revision, on_behalf_reason=reason
        )
    text = client.get(url).content.decode()
    assert not counselor_button(text)
    assert "Du godkjenner sist: registrer forventningsavklaringen først." in text
    assert reverse("placements:meeting", kwargs={"pk": draft.pk}) in text
    services.expectation_meeting_record(
        placement=draft,
        by=counselor,
        held_on=min(draft.start_date, timezone.localdate()),
        participant_present=True,
        mentor_present=True,
        employer_present=True,
        counselor_present=True,
    )
    text = client.get(url).content.decode()
    assert counselor_button(text)
    assert 'data-testid="counselor-waits"' not in text
