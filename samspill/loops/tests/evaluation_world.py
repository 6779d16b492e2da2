"""A loop whose year has ended (started 13 months ago, three periods of four months), three
young people seated by their counselor, the bakery's mentor and an employer contact with
logins, and an external driver on the loop (issue 22, item 3: the evaluation)."""

import datetime

from django.utils import timezone

from samspill.loops import services


def ended_loop(org, coordinator, counselor, employers, young, mentor_contact, *, name, days=400):
    loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name=name,
        driver=coordinator,
        counselor=counselor,
        start_date=timezone.localdate() - datetime.timedelta(days=days),
        employers=employers,
    )
    services.loop_employer_set_mentor(
        loop=loop, employer=mentor_contact.employer, by=coordinator, mentor=mentor_contact
    )
    rows = loop.rows()
    services.loop_seating_accept(
        loop=loop,
        by=counselor,
        seats=[(p, [employers[c] for c in rows[r]]) for r, p in enumerate(young)],
    )
    loop.refresh_from_db()
    return loop
