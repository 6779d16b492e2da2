"""Issue 22, items 10 to 12: an apprenticeship office with two member employers, an
apprenticeship placement at one of them, and a municipal summer job (a park crew) without wage
subsidy. The measures catalogue needs no data: it is kept per country in code."""

import datetime

from django.utils import timezone

from samspill.demo.people import Cast
from samspill.employers import apprenticeship
from samspill.employers.models import Employer
from samspill.participants.models import Participant
from samspill.placements import rules
from samspill.placements import services as placement_services
from samspill.placements.models import Placement


def kinds_load(cast: Cast, employers: list[Employer]) -> None:
    counselor = cast.counselors[1]
    workshop, park = employers[-2], employers[-1]
    apprenticeship.office_create(
        organisation=cast.org,
        by=counselor,
        name="Opplæringskontoret for bygg og anlegg",
        contact_name="Berit Fagleder",
        contact_email="berit@okbygg.example",
        contact_phone="41234567",
        notes="Tar inn lærlinger i august. Vil gjerne møte kandidatene før sommeren.",
        member_ids=[workshop.pk, park.pk],
    )
    today = timezone.localdate()
    young = [
        p
        for p in Participant.objects.filter(counselor=counselor).order_by("id")
        if p.birth_date is None or 16 <= rules.age_on(p.birth_date, today) <= 28
    ]
    placement_services.placement_create(
        participant=young[0],
        employer=workshop,
        by=counselor,
        kind=Placement.Kind.APPRENTICESHIP,
        title="Lærling i tømrerfaget",
        tasks="Forskaling, lekting og innvendig panel sammen med en erfaren tømrer.",
        start_date=today,
        end_date=today + datetime.timedelta(days=730),
    )
    year = today.year if today < datetime.date(today.year, 6, 15) else today.year + 1
    placement_services.placement_create(
        participant=young[1],
        employer=park,
        by=counselor,
        kind=Placement.Kind.SUMMER_JOB,
        title="Parkarbeider i kommunens sommerjobb",
        tasks="Rake, klippe plen og plukke søppel i byparken sammen med parklaget.",
        start_date=datetime.date(year, 6, 22),
        end_date=datetime.date(year, 7, 17),
    )
