"""A jobbLOOP starting next month, with its kick-off gathering and seating; a second loop
driven by an external driver, with NAV's loop coordinator."""

import datetime

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import DEMO_PASSWORD
from samspill.employers import services as employer_services
from samspill.employers.models import Employer
from samspill.loops import drivers, selection
from samspill.loops import services as loop_services
from samspill.loops.models import LoopPartner
from samspill.organisations.models import Organisation
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord, Participant


def loop_load(org: Organisation, employers: list[Employer], counselor: User, driver: User) -> None:
    """A jobbLOOP starting next month: three employers with a mentor each, a kick-off two
    weeks ago with interest marks both ways, and three young people seated by the
    formation, each cell a draft work-training placement."""
    today = timezone.localdate()
    start = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    mentors = [
        employer_services.contact_add(
            employer=employer,
            by=counselor,
            name=name,
            phone=f"9{index}123456",
            is_mentor=True,
            confidentiality_signed_on=today - datetime.timedelta(days=20),
        )
        for index, (employer, name) in enumerate(
            zip(employers, ["Per Verksted", "Sara Kafé", "Ali Lager"], strict=True)
        )
    ]
    loop = loop_services.loop_create(
        organisation=org,
        by=counselor,
        name="jobbLOOP Vest",
        driver=driver,
        counselor=counselor,
        start_date=start,
        employers=employers,
        mentors=mentors,
    )
    young = [
        p
        for p in Participant.objects.filter(counselor=counselor, placements__isnull=True)
        .exclude(birth_date__isnull=True)
        .order_by("-birth_date", "id")
        if p.birth_date and 16 <= (start - p.birth_date).days // 365 <= 30
    ][:4]
    kick_off = loop_services.gathering_create(
        organisation=org,
        by=counselor,
        date=today - datetime.timedelta(days=14),
        place="Kulturhuset, lille sal",
    )
    for candidate in young:
        # Marks are only for candidates invited to the gathering (loops.services).
        invitation = loop_services.gathering_invite(
            gathering=kick_off, by=counselor, participant=candidate
        )
        loop_services.invitation_attendance_set(
            invitation=invitation, by=counselor, attendance="attended"
        )
    for index, candidate in enumerate(young):
        for column, employer in enumerate(employers):
            loop_services.interest_mark_set(
                gathering=kick_off,
                by=counselor,
                candidate=candidate,
                employer=employer,
                employer_mark=(index + column) % 3,
                candidate_mark=(2 * index + column) % 3,
            )
    # The young people's own gathering, in the annual wheel (issue 22, item 4).
    loop_services.gathering_create(
        organisation=org,
        by=counselor,
        date=start + datetime.timedelta(days=45),
        kind="youth",
        place="Ungdomshuset, kafeen",
        loop=loop,
    )
    if len(young) >= 3:
        loop_services.loop_seating_accept(
            loop=loop,
            by=counselor,
            seats=[
                (young[row], [employers[(row + period) % 3] for period in range(3)])
                for row in range(3)
            ],
        )


DRIVER_EMAIL = "driver@demo.samspill.no"
NAV_EMAIL = "nav.loop@demo.samspill.no"


def loop_partners_load(
    org: Organisation, employers: list[Employer], counselor: User, coordinator: User
) -> None:
    """A second loop driven by an external driver (a social entrepreneur, issue 22), with a
    kick-off for which the counselor proposed three candidates (one shares their name with the
    workplace) and the driver invited one of them and a mentor; NAV's loop coordinator on the
    loop's NAV side, with one young person referred."""
    today = timezone.localdate()
    driver = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email=DRIVER_EMAIL,
        full_name="Dina Driver",
        role=LoopPartner.Role.EXTERNAL_DRIVER,
        affiliation="Gründerhuset Vest AS",
    )
    nav = drivers.loop_partner_invite(
        organisation=org,
        by=coordinator,
        email=NAV_EMAIL,
        full_name="Nils Navesen",
        role=LoopPartner.Role.NAV_COORDINATOR,
        affiliation="NAV Vest",
    )
    for partner in (driver, nav):
        partner.user.set_password(DEMO_PASSWORD)
        partner.user.save(update_fields=["password"])
    drivers.loop_partner_declaration_record(
        partner=driver, by=coordinator, signed_on=today - datetime.timedelta(days=10)
    )
    mentor = employer_services.contact_add(
        employer=employers[0],
        by=counselor,
        name="Tone Butikk",
        phone="93123456",
        is_mentor=True,
        confidentiality_signed_on=today - datetime.timedelta(days=10),
    )
    loop = loop_services.loop_create(
        organisation=org,
        by=coordinator,
        name="jobbLOOP Næringsliv",
        driver=coordinator,
        counselor=counselor,
        start_date=(today.replace(day=1) + datetime.timedelta(days=62)).replace(day=1),
        employers=employers,
        mentors=[mentor],
    )
    for partner in (driver, nav):
        drivers.loop_partner_assign(partner=partner, loop=loop, by=coordinator)
    reasons = [
        ("Eieren har selv vært ung arbeidsledig og vil gi noe tilbake.", "Butikk og lager", True),
        ("Stabil arbeidsplass med tålmodig mentor.", "Verksted, enkle reparasjoner", True),
        ("Ny i nettverket; vil prøve med én ung først.", "Kafé og kjøkken", False),
    ]
    for employer, (why, offers, each_period) in zip(employers, reasons, strict=False):
        selection.employer_selection_record(
            loop=loop,
            employer=employer,
            by=driver.user,
            why=why,
            offers=offers,
            takes_one_each_period=each_period,
        )
    kick_off = loop_services.gathering_create(
        organisation=org,
        by=coordinator,
        date=today + datetime.timedelta(days=21),
        place="Gründerhuset, møterom 2",
        loop=loop,
    )
    candidates = list(
        Participant.objects.filter(
            counselor=counselor,
            loop_seats__isnull=True,
            gathering_invitations__isnull=True,
            birth_date__isnull=False,
        ).order_by("-birth_date", "id")[:3]
    )
    if candidates:
        participant_services.consent_give(
            participant=candidates[0],
            by=counselor,
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=ConsentRecord.Information.CONTACT,
        )
    for candidate in candidates:
        loop_services.gathering_nominate(gathering=kick_off, by=counselor, participant=candidate)
    if candidates:
        drivers.driver_invite_candidate(
            partner=driver, gathering=kick_off, participant_id=candidates[0].pk
        )
    drivers.driver_invite_contact(partner=driver, gathering=kick_off, contact=mentor)
    drivers.nav_referral_create(
        partner=nav,
        loop=loop,
        given_name="Jonas",
        family_name="Berg",
        birth_date=today.replace(year=today.year - 19),
        asked_for="Vil prøve butikk og lager; har droppet ut av videregående.",
    )
