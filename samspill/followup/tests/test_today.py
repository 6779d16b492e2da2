import datetime

import pytest
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.followup import queries, services, today
from samspill.followup.models import Reminder
from samspill.followup.reminders import reminders_schedule, reminders_send
from samspill.learning import sparring_services
from samspill.organisations.queries import membership_for_user
from samspill.participants import services as participant_services
from samspill.plans import services as plan_services
from samspill.selfservice import services as selfservice_services

START = datetime.date(2026, 1, 5)  # the cast's participant starts here


def due_ids(user, today):
    membership = membership_for_user(user)
    assert membership is not None
    return {p.pk for p in queries.due_checkins(user, membership, today=today)}


def test_the_first_checkin_is_due_four_weeks_after_the_start(participant, counselor):
    assert due_ids(counselor, START + datetime.timedelta(days=27)) == set()
    assert due_ids(counselor, START + datetime.timedelta(weeks=4)) == {participant.pk}


def test_the_next_checkin_is_due_after_the_organisations_interval(participant, counselor, org):
    services.checkin_record(
        participant=participant, by=counselor, belief=4, asked_on=datetime.date(2026, 2, 2)
    )
    assert due_ids(counselor, datetime.date(2026, 4, 26)) == set()  # 12 weeks less a day
    assert due_ids(counselor, datetime.date(2026, 4, 27)) == {participant.pk}
    org.belief_checkin_weeks = 6
    org.save()
    counselor.__dict__.pop("_samspill_membership", None)
    assert due_ids(counselor, datetime.date(2026, 3, 16)) == {participant.pk}


def test_a_handover_is_new_to_the_counselor_until_opened(participant, counselor, colleague, leader):
    participant_services.counselor_assign(
        participant=participant,
        counselor=colleague,
        by=leader,
        reason="long_leave",
        handover_note="Likes mornings",
    )
    assert [a.participant_id for a in queries.unread_handovers(colleague)] == [participant.pk]
    page = client_for(colleague).get(reverse("participants:detail", kwargs={"pk": participant.pk}))
    assert "Likes mornings" in page.content.decode()
    assert list(queries.unread_handovers(colleague)) == []
    again = client_for(colleague).get(reverse("participants:detail", kwargs={"pk": participant.pk}))
    assert "Likes mornings" not in again.content.decode()


def test_the_today_page_lists_every_kind_with_counts(participant, counselor, colleague, org):
    plan_services.activity_add(
        participant=participant,
        by=counselor,
        kind="meeting",
        title="Overdue meeting",
        due_date=START,
    )
    participant_services.participant_update(
        participant=participant, by=counselor, next_follow_up_on=START
    )
    sparring_services.sparring_case_ask(
        by=colleague, audience="colleague", asked=counselor, situation="Talk?"
    )
    response = client_for(counselor).get(reverse("followup:today"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Overdue meeting" in body
    assert "Talk?" in body
    assert response.context["lists"]["follow-ups"].count == 1
    assert response.context["lists"]["activities"].count == 1
    assert response.context["lists"]["sparring"].count == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_the_today_page_runs_a_fixed_number_of_queries(
    rows, org, counselor, django_assert_num_queries
):
    for index in range(rows):
        p = make_participant(org, counselor, family_name=f"P{index}", next_follow_up_on=START)
        plan_services.activity_add(
            participant=p, by=counselor, kind="meeting", title="x", due_date=START
        )
    client = client_for(counselor)
    # Thirteen sections, one query each (the first rows and a window count of all of them),
    # plus session, user and membership.
    with django_assert_num_queries(16):
        assert client.get(reverse("followup:today")).status_code == 200


def test_a_today_list_counts_every_row_and_shows_the_first(org, counselor):
    assert queries.limited(queries.follow_ups_due(counselor, today=START), 2).count == 0
    for index in range(3):
        make_participant(org, counselor, family_name=f"P{index}", next_follow_up_on=START)

    listed = queries.limited(queries.follow_ups_due(counselor, today=START), 2)

    assert listed.count == 3
    assert [p.family_name for p in listed.items] == ["P0", "P1"]


def follow_ups_for(org, counselor, rows):
    return [
        make_participant(org, counselor, family_name=f"P{index:03}", next_follow_up_on=START)
        for index in range(rows)
    ]


def test_a_long_today_list_shows_its_first_rows_and_links_to_the_whole_list(org, counselor):
    follow_ups_for(org, counselor, today.FIRST_ROWS + 1)
    page = client_for(counselor).get(reverse("followup:today"))
    body = page.content.decode()

    listed = page.context["lists"]["follow-ups"]
    assert listed.count == today.FIRST_ROWS + 1
    assert [p.family_name for p in listed.items] == [f"P{i:03}" for i in range(today.FIRST_ROWS)]
    section_url = reverse("followup:today_section", kwargs={"section": "follow-ups"})
    assert f'href="{section_url}"' in body
    # A short list has no such link.
    activities_url = reverse("followup:today_section", kwargs={"section": "activities"})
    assert activities_url not in body


def test_a_today_list_page_shows_every_row_a_page_at_a_time(org, counselor, monkeypatch):
    monkeypatch.setattr(today, "PAGE_SIZE", 3)
    follow_ups_for(org, counselor, 7)
    url = reverse("followup:today_section", kwargs={"section": "follow-ups"})
    client = client_for(counselor)

    seen = []
    for number in (1, 2, 3):
        page = client.get(url, {"page": number})
        assert page.status_code == 200
        seen += [p.family_name for p in page.context["items"]]
    assert seen == [f"P{i:03}" for i in range(7)]
    # A page number that is not one shows the first page, and one past the end the last.
    assert [p.family_name for p in client.get(url, {"page": "x"}).context["items"]] == seen[:3]
    assert [p.family_name for p in client.get(url, {"page": 99}).context["items"]] == seen[6:]


def test_a_today_list_page_has_only_the_users_own_rows(org, counselor, colleague):
    follow_ups_for(org, counselor, 2)
    url = reverse("followup:today_section", kwargs={"section": "follow-ups"})
    page = client_for(colleague).get(url)
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0
    assert "P000" not in page.content.decode()


def test_an_unknown_today_list_is_not_found(counselor):
    url = reverse("followup:today_section", kwargs={"section": "secrets"})
    assert client_for(counselor).get(url).status_code == 404


def test_a_belief_checkin_list_page_says_when_each_fell_due(participant, counselor):
    # The cast's participant started on START with no check-in: the first fell due 4 weeks on.
    url = reverse("followup:today_section", kwargs={"section": "checkins"})
    page = client_for(counselor).get(url)
    [due] = page.context["items"]
    assert due.checkin_due_on == START + queries.FIRST_CHECKIN_AFTER
    assert reverse("followup:belief", kwargs={"pk": participant.pk}) in page.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_a_today_list_page_runs_a_fixed_number_of_queries(
    rows, org, counselor, django_assert_num_queries
):
    follow_ups_for(org, counselor, rows)
    client = client_for(counselor)
    # Session, user, membership; the count, and the page's rows unless the count is 0 (the
    # participants, started on START, are due a follow-up and their first check-in).
    for section in today.SECTIONS:
        url = reverse("followup:today_section", kwargs={"section": section})
        with django_assert_num_queries(5 if section in ("follow-ups", "checkins") else 4):
            assert client.get(url).status_code == 200


@pytest.fixture
def every_list_has_a_row(
    org,
    participant,
    employer,
    counselor,
    colleague,
    leader,
    mentor_contact,
    employer_user,
    time_machine,
):
    """A row in each of the thirteen lists for `counselor`, on 10 March 2026."""
    from samspill.employers import services as employer_services
    from samspill.placements import followups as placement_followups
    from samspill.placements.tests import cast

    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC))
    # The counselor's own learning goal, its review due on 5 March (learning registers it).
    from samspill.learning import services as learning_services

    learning_services.goal_create(
        by=counselor, goal="Bedre samtaler", next_review_on=datetime.date(2026, 3, 5)
    )
    placement = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact), counselor, employer_user
    )
    # A colleague's participant at an employer `counselor` is the contact person for: its
    # concern shows the placement, not the participant.
    theirs = make_participant(org, colleague, family_name="Theirs")
    elsewhere = cast.approve_all(
        cast.draft(theirs, employer, colleague, mentor_contact), colleague, employer_user
    )
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC))
    placement_followups.concern_raise(placement=placement, by=employer_user, text="Late twice")
    placement_followups.concern_raise(placement=elsewhere, by=employer_user, text="Sick today")
    sparring_services.sparring_case_ask(
        by=colleague, audience="colleague", asked=counselor, situation="Talk?"
    )
    sparring_services.sparring_case_ask(
        by=counselor,
        kind="lost_belief",
        audience="colleague",
        asked=colleague,
        participant=participant,
        situation="Ideas for Kari?",
    )
    handed = make_participant(org, colleague, family_name="Handed")
    participant_services.counselor_assign(
        participant=handed, counselor=counselor, by=leader, reason="long_leave"
    )
    participant_services.participant_update(
        participant=participant, by=counselor, next_follow_up_on=START
    )
    plan_services.activity_add(
        participant=participant, by=counselor, kind="meeting", title="Overdue", due_date=START
    )
    employer_services.mentor_support_add(
        mentor=mentor_contact,
        by=counselor,
        contact_on=datetime.date(2026, 2, 1),
        channel="phone",
        topic="Start",
        going="well",
        next_contact_on=datetime.date(2026, 3, 1),
    )
    employer_services.agreement_create(
        employer=employer,
        by=counselor,
        status="active",
        signed_on=datetime.date(2025, 3, 1),
        renewal_on=datetime.date(2026, 3, 20),
    )
    # An action agreed at a coordinator meeting, due in two days.
    from samspill.employers import services_coordination as coordination

    series = coordination.series_create(
        organisation=org,
        by=leader,
        member_ids=[counselor.pk],
        title="Koordinatormøte",
        weekday=0,
        interval_weeks=1,
        starts_on=datetime.date(2026, 3, 2),
        start_time=datetime.time(9, 0),
        duration_minutes=60,
    )
    meeting = coordination.meeting_create(
        series=series, by=leader, held_on=datetime.date(2026, 3, 9)
    )
    coordination.action_add(
        meeting=meeting,
        by=leader,
        what="Ring bakeriet",
        responsible=counselor,
        due_on=datetime.date(2026, 3, 12),
    )
    # A period `counselor` followed ended six months ago: its status after follow-up is due.
    former = make_participant(
        org, counselor, family_name="Former", start_date=datetime.date(2025, 1, 6)
    )
    participant_services.period_end(
        participant=former, by=counselor, end_date=datetime.date(2025, 9, 1), outcome="education"
    )
    # A message from the participant's own login (selfservice registers this list).
    from samspill.selfservice.tests.conftest import own_login

    own = own_login(participant, counselor, "kari@example.org")
    selfservice_services.message_send(
        participant=participant, by=own, text="Can we meet on Friday?"
    )


def test_every_today_list_shows_its_rows_in_a_fixed_number_of_queries(
    every_list_has_a_row, counselor, django_assert_num_queries
):
    client = client_for(counselor)
    # 16, and one insert: the sparring list shows a colleague's case, a read of their record.
    with django_assert_num_queries(17):
        page = client.get(reverse("followup:today"))
    # Both participants, started on START, are due their first check-in; a concern and a
    # sparring request of each kind (see the fixture).
    expected = {**dict.fromkeys(today.SECTIONS, 1), "checkins": 2, "concerns": 2, "sparring": 2}
    assert {key: listed.count for key, listed in page.context["lists"].items()} == expected
    body = page.content.decode()
    for shown in (
        "Late twice",
        "Sick today",
        "Ideas for Kari?",
        "Kari Handed",
        "Mona Mentor",
        "Kari Former",
        "Can we meet on Friday?",
        "Ring bakeriet",
        "Bedre samtaler",
    ):
        assert shown in body
    # Each list's own page: session, user, membership, the count and the rows (and the
    # sparring list's log of the colleague's case read).
    for section in today.SECTIONS:
        url = reverse("followup:today_section", kwargs={"section": section})
        with django_assert_num_queries(6 if section == "sparring" else 5):
            listed = client.get(url)
        assert listed.status_code == 200
        assert len(listed.context["items"]) == expected[section]


def test_acting_on_a_row_of_a_list_page_returns_to_that_page(every_list_has_a_row, counselor):
    client = client_for(counselor)
    url = reverse("followup:today_section", kwargs={"section": "sparring"})
    page = client.get(url)
    asked = next(s for s in page.context["items"] if s.asked_id == counselor.pk)
    accept = reverse("learning:sparring_accept", kwargs={"pk": asked.pk})
    assert f'name="next" value="{url}"' in page.content.decode()

    response = client.post(accept, {"next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    # Another site is no place to go back to.
    close = reverse("learning:sparring_close", kwargs={"pk": asked.pk})
    response = client.post(close, {"next": "https://example.com/", "private_note": ""})
    assert response["Location"] == reverse("learning:sparring_case", kwargs={"pk": asked.pk})


def test_reminders_are_created_once_however_often_the_scheduler_runs(
    participant, counselor, colleague
):
    participant_services.participant_update(
        participant=participant, by=counselor, next_follow_up_on=START
    )
    sparring_services.sparring_case_ask(
        by=colleague, audience="colleague", asked=counselor, situation="?"
    )
    today = START + datetime.timedelta(weeks=5)
    first = reminders_schedule(today=today)
    assert first == 3  # belief check-in, follow-up, sparring
    assert reminders_schedule(today=today) == 0
    assert Reminder.objects.count() == 3


def test_reminders_are_emailed_only_to_those_who_want_them_once(
    participant, counselor, mailoutbox, django_capture_on_commit_callbacks
):
    participant_services.participant_update(
        participant=participant, by=counselor, next_follow_up_on=START
    )
    reminders_schedule(today=START + datetime.timedelta(weeks=5))
    assert reminders_send() == 0
    counselor.email_reminders = True
    counselor.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert len(mailoutbox) == 1
    assert participant.family_name not in mailoutbox[0].body  # no names in e-mail


def test_agreement_renewals_and_mentor_contacts_are_reminded_once(employer, counselor):
    from samspill.employers import services as employer_services

    employer_services.agreement_create(
        employer=employer,
        by=counselor,
        status="active",
        signed_on=datetime.date(2025, 12, 1),
        renewal_on=datetime.date(2026, 12, 1),
    )
    mentor = employer_services.contact_add(
        employer=employer, by=counselor, name="Mona", phone="99999999", is_mentor=True
    )
    employer_services.mentor_support_add(
        mentor=mentor,
        by=counselor,
        contact_on=datetime.date(2026, 10, 1),
        channel="phone",
        topic="Start",
        going="well",
        next_contact_on=datetime.date(2026, 11, 1),
    )
    day = datetime.date(2026, 11, 15)
    reminders_schedule(today=day)
    kinds = set(Reminder.objects.filter(user=counselor).values_list("kind", flat=True))
    assert {"agreement_renewal", "mentor_contact"} <= kinds
    assert reminders_schedule(today=day) == 0
    # A later contact replaces the reminder of the earlier one.
    employer_services.mentor_support_add(
        mentor=mentor,
        by=counselor,
        contact_on=datetime.date(2026, 11, 14),
        channel="visit",
        topic="Good",
        going="well",
        next_contact_on=datetime.date(2026, 12, 14),
    )
    Reminder.objects.all().delete()
    reminders_schedule(today=day)
    assert not Reminder.objects.filter(kind="mentor_contact").exists()


def test_placement_follow_ups_come_due_on_the_today_page_and_as_reminders(
    participant, employer, counselor, colleague, mentor_contact, employer_user, time_machine
):
    from samspill.placements import followups as placement_followups
    from samspill.placements.tests import cast

    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC))
    placement = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact), counselor, employer_user
    )
    first_due = placement.start_date + datetime.timedelta(weeks=1)
    assert placement.next_follow_up_on == first_due
    today_url = reverse("followup:today")
    page = client_for(counselor).get(today_url)
    assert page.context["lists"]["placement-follow-ups"].count == 0

    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC))
    page = client_for(counselor).get(today_url)
    assert [f.due_on for f in page.context["lists"]["placement-follow-ups"].items] == [first_due]
    assert client_for(colleague).get(today_url).context["lists"]["placement-follow-ups"].count == 0
    assert reminders_schedule(today=datetime.date(2026, 3, 10)) >= 1
    assert Reminder.objects.filter(user=counselor, kind="placement_follow_up").count() == 1

    placement_followups.follow_up_log(
        placement=placement,
        by=counselor,
        held_on=datetime.date(2026, 3, 10),
        going="well",
        counselor_present=True,
    )
    page = client_for(counselor).get(today_url)
    assert page.context["lists"]["placement-follow-ups"].count == 0


def test_an_ended_placement_asks_for_no_more_follow_ups(
    org, participant, employer, counselor, mentor_contact, employer_user, time_machine
):
    from samspill.placements import services as placement_services
    from samspill.placements.models import FollowUp
    from samspill.placements.tests import cast

    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC))
    placement = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact), counselor, employer_user
    )
    time_machine.move_to(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC))
    assert FollowUp.objects.filter(placement=placement, held_on__isnull=True).exists()
    placement_services.placement_end(
        placement=placement, by=counselor, ended_on=datetime.date(2026, 4, 27), outcome="education"
    )
    # Follow-ups due before the end were never held; the placement is over all the same.
    assert FollowUp.objects.filter(placement=placement, held_on__isnull=True).exists()

    page = client_for(counselor).get(reverse("followup:today"))

    assert page.context["lists"]["placement-follow-ups"].count == 0


def test_an_ended_period_asks_for_no_more_follow_ups(participant, counselor):
    participant_services.participant_update(
        participant=participant, by=counselor, next_follow_up_on=START
    )
    client = client_for(counselor)
    assert client.get(reverse("followup:today")).context["lists"]["follow-ups"].count == 1

    participant_services.period_end(
        participant=participant, by=counselor, end_date=START, outcome="education"
    )

    assert client.get(reverse("followup:today")).context["lists"]["follow-ups"].count == 0


def test_overdue_is_marked_the_same_on_check_ins_and_follow_ups(participant, counselor):
    # The cast's participant started on START: the first check-in fell due long ago.
    participant_services.participant_update(
        participant=participant, by=counselor, next_follow_up_on=START
    )
    client = client_for(counselor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    body = client.get(reverse("followup:today")).content.decode()

    for key in ("checkins", "follow-ups"):
        section = body[body.index(f'id="{key}"') :]
        section = section[: section.index("</section>")]
        assert '<span class="badge warn">overdue</span>' in section


def test_empty_lists_collapse_into_one_line(participant, counselor):
    client = client_for(counselor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    body = client.get(reverse("followup:today")).content.decode()

    # Only the check-in is due: one card; the nine empty lists are names on one line.
    assert body.count('class="card') == 1
    assert "Nothing waiting" in body
    nothing = body[body.index('id="h-nothing-waiting"') :]
    assert "Concerns from workplaces" in nothing and "Follow-ups due" in nothing
    assert "None due." not in body
