"""The services behind the formation's acceptance and the calendar addresses."""

import pytest
from django.core.exceptions import ValidationError

from samspill.audit.models import AuditEvent
from samspill.core.testing import make_participant
from samspill.loops import services
from samspill.loops.models import CalendarFeed, LoopPlacement, LoopSeat


def seats_for(loop, people, employers):
    rows = loop.rows()
    return [
        {
            "candidate": f"P{p.pk}",
            "loop": f"L{loop.pk}",
            "order": [f"E{employers[c].pk}" for c in rows[r]],
        }
        for r, p in enumerate(people)
    ]


def test_accepting_a_formation_seats_each_loop_and_drafts_its_placements(
    kick_off, open_loop, young, employers, counselor
):
    services.formation_accept(
        gathering=kick_off,
        loops=[open_loop],
        seats=seats_for(open_loop, young[:2], employers),
        by=counselor,
    )
    seated = LoopSeat.objects.filter(loop=open_loop, participant__isnull=False)
    assert {s.participant_id for s in seated} == {young[0].pk, young[1].pk}
    cells = LoopPlacement.objects.filter(seat__loop=open_loop).select_related("placement")
    assert len(cells) == 6
    # The organisation a leader's placement list is read by (placements.queries).
    assert {c.placement.organisation_id for c in cells} == {open_loop.organisation_id}


def test_only_candidates_who_attended_can_be_seated(
    kick_off, open_loop, employers, coordinator, org, counselor
):
    stranger = make_participant(org, counselor, given_name="Siv")
    with pytest.raises(ValidationError, match="attended"):
        services.formation_accept(
            gathering=kick_off,
            loops=[open_loop],
            seats=seats_for(open_loop, [stranger], employers),
            by=coordinator,
        )
    assert not LoopSeat.objects.filter(participant=stranger).exists()


def test_a_garbled_seating_is_refused(kick_off, open_loop, coordinator):
    with pytest.raises(ValidationError):
        services.formation_accept(
            gathering=kick_off,
            loops=[open_loop],
            seats=[{"candidate": "X", "loop": "L", "order": None}],
            by=coordinator,
        )


def test_a_feed_has_a_long_random_token_and_is_revoked_once(open_loop, coordinator):
    one = services.calendar_feed_create(
        organisation=open_loop.organisation, by=coordinator, loop=open_loop
    )
    two = services.calendar_feed_create(organisation=open_loop.organisation, by=coordinator)
    assert one.kind == CalendarFeed.Kind.LOOP and two.kind == CalendarFeed.Kind.PERSON
    assert len(one.token) >= 40 and one.token != two.token
    services.calendar_feed_revoke(feed=one, by=coordinator)
    revoked_at = one.revoked_at
    services.calendar_feed_revoke(feed=one, by=coordinator)
    assert one.revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="calendar_feed.revoked").count() == 1


def test_a_feed_for_another_organisations_loop_is_refused(open_loop, other_org, outsider):
    with pytest.raises(ValidationError):
        services.calendar_feed_create(organisation=other_org, by=outsider, loop=open_loop)
