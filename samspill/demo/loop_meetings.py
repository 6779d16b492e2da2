"""Demo network meetings (issue 22, item 3): each demo loop's employers and mentors met once,
recorded by its driver (the external driver for the loop they drive)."""

import datetime

from django.utils import timezone

from samspill.loops import meetings
from samspill.loops.models import Loop, LoopPartner
from samspill.organisations.models import Organisation

NOTES = (
    (
        "Runde rundt bordet: hvordan første periode har gått hos hver arbeidsgiver.",
        "De unge trenger faste oppgaver den første uka, og mentoren må ha satt av tid.",
        "Vi lager en felles velkomstliste og setter av en mentortime i uka.",
    ),
    (
        "Gjennomgang av oppstarten og bytte av plass etter fire måneder.",
        "Byttet går best når neste arbeidsgiver møter ungdommen før første dag.",
        "Mentorene hilser på neste ungdom en uke før byttet.",
    ),
)


def loop_meetings_load(org: Organisation) -> None:
    today = timezone.localdate()
    drivers = {
        loop_id: partner.user
        for partner in LoopPartner.objects.filter(
            organisation=org, role=LoopPartner.Role.EXTERNAL_DRIVER
        ).select_related("user")
        for loop_id in partner.loops.values_list("pk", flat=True)
    }
    for n, loop in enumerate(Loop.objects.filter(organisation=org).order_by("start_date", "pk")):
        minutes, learned, will_change = NOTES[n % len(NOTES)]
        contacts = list(meetings.loop_contacts(loop).values_list("pk", flat=True)[:4])
        meetings.network_meeting_record(
            loop=loop,
            by=drivers.get(loop.pk, loop.driver),
            held_on=min(today, loop.start_date + datetime.timedelta(days=30))
            - datetime.timedelta(days=1),
            attendee_ids=contacts,
            minutes=minutes,
            learned=learned,
            will_change=will_change,
        )
