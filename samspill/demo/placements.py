"""Placements: a mentor with a portal login at the bakery, a running placement with what the
participant shares, one waiting for approval, and a chain from work training to wage subsidy."""

import datetime
from typing import Any

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import DEMO_PASSWORD
from samspill.employers import services as employer_services
from samspill.employers.models import Employer
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord, Participant
from samspill.placements import followups as placement_followups
from samspill.placements import services as placement_services
from samspill.placements.models import Party, Placement

# The demo mentor's portal login (password: DEMO_PASSWORD).
MENTOR_EMAIL = "mentor@demo.samspill.no"
PARTICIPANT_EMAIL = "deltaker@demo.samspill.no"
# The agreement's content for the demo placements.
AGREEMENT: dict[str, Any] = {
    "goals": [
        {"category": "job_here", "text": "Fast jobb i bakeriet etter perioden."},
        {"category": "language", "text": "Bruke norsk med kunder hver dag."},
    ],
    "hours_per_week": 30,
    "work_days": "Mandag til torsdag, 07-14",
    "work_place": "Bakeriet, Storgata 1",
    "employer_expects": "Møter presis og sier fra ved fravær før kl. 07.",
    "participant_expects": "Opplæring i ovnene og faste oppgaver.",
    "we_offer": "Oppfølging hver uke den første måneden, og svar på telefon samme dag.",
    "if_something_happens": "Ring veilederen. Ved sykdom: si fra til mentor før kl. 07.",
}


def placements_load(employers: list[Employer], counselor: User) -> None:
    """A mentor with a portal login at the bakery, two placements there, what the first
    participant shares with the workplace, a mentor note and an open concern."""
    today = timezone.localdate()
    bakery = employers[0]
    mentor = employer_services.contact_add(
        employer=bakery,
        by=counselor,
        name="Mona Mentor",
        title="Bakermester",
        phone="98765432",
        email=MENTOR_EMAIL,
        is_mentor=True,
        confidentiality_signed_on=today - datetime.timedelta(days=60),
    )
    mentor.user = User.objects.create_user(
        email=MENTOR_EMAIL, password=DEMO_PASSWORD, full_name=mentor.name
    )
    mentor.save(update_fields=["user"])
    employer_services.mentor_support_add(
        mentor=mentor,
        by=counselor,
        contact_on=today - datetime.timedelta(days=14),
        channel="visit",
        topic="De første ukene",
        going="well",
        next_contact_on=today - datetime.timedelta(days=1),
    )
    followed = list(Participant.objects.filter(counselor=counselor).order_by("id")[:3])
    for index, participant in enumerate(followed[:2]):
        placement = placement_services.placement_create(
            participant=participant,
            employer=bakery,
            by=counselor,
            kind=Placement.Kind.WORK_TRAINING,
            title="Bakeriassistent" if index == 0 else "Butikkmedarbeider",
            tasks="Steke brød og boller, vaske utstyr, fylle på i butikken.",
            start_date=today - datetime.timedelta(days=21) if index == 0 else today,
            end_date=today + datetime.timedelta(days=150),
            start_reason="Registrert etter oppstart." if index == 0 else "",
            mentor=mentor,
            **AGREEMENT,
        )
        meeting(placement, counselor)
        if index == 0:
            participant.shareable_accommodations = "Starter kl. 09 de første ukene."
            participant.email = PARTICIPANT_EMAIL
            participant.save(update_fields=["shareable_accommodations", "email"])
            participant.portal_user = User.objects.create_user(
                email=PARTICIPANT_EMAIL,
                password=DEMO_PASSWORD,
                full_name=participant.full_name,
            )
            participant.save(update_fields=["portal_user"])
            for information in ("contact", "plan", "accommodations"):
                if not participant.consents.filter(
                    recipient="workplace", information=information, withdrawn_at__isnull=True
                ).exists():
                    participant_services.consent_give(
                        participant=participant,
                        by=counselor,
                        recipient=ConsentRecord.Recipient.WORKPLACE,
                        information=information,
                    )
            approve_all(placement, counselor, mentor.user)
            placement_followups.follow_up_log(
                placement=placement,
                by=counselor,
                held_on=today - datetime.timedelta(days=14),
                going="well",
                participant_present=True,
                mentor_present=True,
                counselor_present=True,
                notes="God start. Trives med kollegene.",
                next_steps="Prøve kassa neste uke.",
            )
            placement_followups.mentor_note_add(
                placement=placement, by=mentor.user, text="Flink med deigen, kommer presis."
            )
            placement_followups.concern_raise(
                placement=placement,
                by=mentor.user,
                text="Virket sliten i dag og gikk tidlig. Kan dere ta en prat?",
            )
        else:
            # The second is sent and waits for the participant and the employer to approve.
            placement_services.agreement_send_for_approval(
                placement=placement, by=counselor, revision=placement.revision
            )
    if len(followed) == 3:
        _chain(followed[2], bakery, mentor, counselor)


def meeting(placement: Placement, counselor: User) -> None:
    placement_services.expectation_meeting_record(
        placement=placement,
        by=counselor,
        held_on=min(placement.start_date, timezone.localdate()),
        participant_present=True,
        mentor_present=True,
        employer_present=True,
        counselor_present=True,
        notes="Gikk gjennom avtalen og arbeidstidene.",
    )


def approve_all(placement: Placement, counselor: User, employer_user: Any) -> None:
    revision = placement.revision
    placement_services.agreement_send_for_approval(
        placement=placement, by=counselor, revision=revision
    )
    placement_services.agreement_approve(
        placement=placement,
        by=counselor,
        party=Party.PARTICIPANT,
        revision=revision,
        on_behalf_reason="Godkjent muntlig i forventningsmøtet.",
    )
    placement_services.agreement_approve(
        placement=placement, by=employer_user, party=Party.EMPLOYER, revision=revision
    )
    placement_services.agreement_approve(
        placement=placement, by=counselor, party=Party.COUNSELOR, revision=revision
    )


def _chain(participant: Participant, bakery: Employer, mentor: Any, counselor: User) -> None:
    """Work training that ended with a certificate, and the wage subsidy drafted after it."""
    today = timezone.localdate()
    placement = placement_services.placement_create(
        participant=participant,
        employer=bakery,
        by=counselor,
        kind=Placement.Kind.WORK_TRAINING,
        title="Bakeriassistent",
        tasks="Steke brød, lage smørbrød, vaske utstyr.",
        start_date=today - datetime.timedelta(days=190),
        end_date=today - datetime.timedelta(days=7),
        start_reason="Registrert fra papiravtale.",
        mentor=mentor,
        **AGREEMENT,
    )
    meeting(placement, counselor)
    approve_all(placement, counselor, mentor.user)
    placement_followups.evaluation_save(
        placement=placement,
        by=counselor,
        kind="final",
        held_on=today - datetime.timedelta(days=8),
        tasks_mastered="Steker brød og lager smørbrød på egen hånd.",
        attendance="very_good",
        cooperation="good",
        what_worked="Faste rutiner og en tydelig mentor.",
        what_was_hard="Travle lørdager.",
        next_step="Klar for lønnstilskudd med mål om fast jobb.",
    )
    certificate = placement_followups.certificate_request(
        placement=placement,
        by=counselor,
        language="nb",
        tasks=placement.tasks,
        assessment="Pålitelig og presis, og har lært seg bakeriets rutiner godt.",
    )
    placement_followups.certificate_approve(certificate=certificate, by=mentor.user)
    placement_services.placement_end(
        placement=placement,
        by=counselor,
        ended_on=today - datetime.timedelta(days=7),
        outcome=Placement.Outcome.OTHER_MEASURE,
    )
    initial = placement_services.next_placement_initial(placement)
    initial.update(
        start_date=today + datetime.timedelta(days=7),
        end_date=today + datetime.timedelta(days=190),
        wage_subsidy_percent=40,
    )
    placement_services.placement_create(
        participant=participant,
        employer=bakery,
        by=counselor,
        previous=placement,
        **initial,
    )
