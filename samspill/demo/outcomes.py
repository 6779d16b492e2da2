"""A year of follow-up that has ended, so every insights page has figures after `make run`.

About 120 more participants, started 10 to 18 months ago with the three counselors, live the
stories of samspill/demo/stories.py through the services, dated back from today: belief
check-ins, a change of counselor for some, work training that ends in work for some, an ordinary
job with its post-employment follow-up, the end of the period with its outcome, and the status
six months after recorded by the last counselor once it is due (and left for them to record,
for some: Today's reminders).
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samspill.accounts.models import User
from samspill.core.synthetic import fodselsnummer_for
from samspill.demo import sparring, stories
from samspill.demo.people import DREAMS, FAMILY, GIVEN, Cast
from samspill.demo.placements import approve_all, meeting
from samspill.employers import services as employer_services
from samspill.employers.models import Employer, EmployerContact
from samspill.followup import services as followup_services
from samspill.insights import services as insights_services
from samspill.insights.models import Analysis
from samspill.participants import outcomes as participant_outcomes
from samspill.participants import services as participant_services
from samspill.participants.models import FollowUpStatus, Outcome
from samspill.placements import followups as placement_followups
from samspill.placements import services as placement_services
from samspill.placements.models import FollowUp, Placement
from samspill.plans import services as plan_services
from samspill.plans.models import Activity

HOURS = [Decimal(20), Decimal(30), Decimal("37.5")]
# Mentors at three partner employers (not the bakery: its mentor's portal shows the demo's
# running placements).
MENTORS = [
    ("Geir Verksted", "geir.verksted@demo.samspill.no"),
    ("Hanne Frisør", "hanne.frisor@demo.samspill.no"),
    ("Rune Coop", "rune.coop@demo.samspill.no"),
]
JOBS = ["Mekanikerlærling", "Frisørassistent", "Butikkmedarbeider"]
AGREEMENT: dict[str, Any] = {
    "goals": [{"category": "job_here", "text": "Fast jobb etter perioden."}],
    "employer_expects": "Møter presis og sier fra ved fravær.",
    "participant_expects": "Opplæring og faste oppgaver.",
    "we_offer": "Oppfølging hver uke den første måneden, og svar på telefon samme dag.",
    "if_something_happens": "Ring veilederen.",
}
BACKDATED = "Registrert etter oppstart."


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())


def _mentors(cast: Cast, employers: list[Employer]) -> list[tuple[Employer, EmployerContact]]:
    """A mentor with a portal login (no password: invited when needed) at each employer."""
    today = timezone.localdate()
    mentors = []
    for employer, (name, email) in zip(employers, MENTORS, strict=True):
        mentor = employer_services.contact_add(
            employer=employer,
            by=cast.coordinator,
            name=name,
            email=email,
            is_mentor=True,
            confidentiality_signed_on=today - datetime.timedelta(days=600),
        )
        mentor.user = User.objects.create_user(email=email, password=None, full_name=name)
        mentor.save(update_fields=["user"])
        mentors.append((employer, mentor))
    return mentors


def year_load(cast: Cast, employers: list[Employer]) -> None:
    mentors = _mentors(cast, employers[1:4])
    # Names and identity numbers from a generator of their own: the numbers depend on the
    # dates, and the stories must not.
    rng = random.Random(stories.SEED + 1)
    names = rng.sample([(g, f) for g in GIVEN for f in FAMILY], stories.COUNT)
    for story, (given, family) in zip(stories.tell(), names, strict=True):
        _Life(cast, story, mentors, rng).live(given, family)
    # The effects page shows its estimate from the start, as if the leader had asked for it.
    insights_services.analysis_run(
        analysis=insights_services.analysis_request(
            organisation_id=cast.org.pk, kind=Analysis.Kind.EFFECTS, by=cast.leader
        )
    )


class _Life:
    """One story, recorded through the services in the order it happened."""

    def __init__(
        self,
        cast: Cast,
        story: stories.Story,
        mentors: list[tuple[Employer, EmployerContact]],
        rng: random.Random,
    ) -> None:
        self.cast, self.story, self.rng = cast, story, rng
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=story.started_days_ago)
        self.counselor = cast.counselors[story.counselor]
        self.employer, self.mentor = mentors[story.index % len(mentors)]
        self.job_title = JOBS[story.index % len(mentors)]
        self.hours = HOURS[story.index % len(HOURS)]
        self.training: Placement | None = None
        self.job: Placement | None = None

    def on(self, day: int) -> datetime.date:
        return self.start + datetime.timedelta(days=day)

    def live(self, given: str, family: str) -> None:
        story = self.story
        birth = self.start - datetime.timedelta(days=round(story.age * 365.25))
        self.participant = participant_services.participant_create(
            organisation=self.cast.org,
            by=self.counselor,
            counselor=self.counselor,
            start_date=self.start,
            given_name=given,
            family_name=family,
            national_id=fodselsnummer_for(birth, self.rng),
            phone=f"9{self.rng.randint(1000000, 9999999)}",
            municipality=self.rng.choice(["Bergen", "Askøy", "Bjørnafjorden", "Øygarden"]),
            need_group=story.need,
            dreams=self.rng.choice(DREAMS),
        )
        last = story.ended[0] if story.ended else story.started_days_ago - 1
        # The first employer contact, within a few weeks (the fidelity page counts the days).
        plan_services.activity_add(
            participant=self.participant,
            by=self.counselor,
            kind=Activity.Kind.EMPLOYER_CONTACT,
            title="Besøke bedrift sammen",
            due_date=self.on(min(last, 7 + story.index % 35)),
            status=Activity.Status.DONE,
            employer=self.employer,
        )
        steps: list[tuple[int, int, Any]] = [
            (day, 1, lambda belief=belief, day=day: self.checkin(day, belief))
            for day, belief in story.checkins
        ]
        if story.change is not None:
            steps.append((story.change[0], 0, self.change))
        if story.placement is not None:
            first, end = story.placement
            steps += [(first, 2, self.training_start), (end, 3, self.training_end)]
        if story.reached is not None and story.reached[1] == Outcome.ORDINARY_WORK:
            steps.append((story.reached[0], 4, self.job_start))
        if story.ended is not None:
            steps.append((story.ended[0], 5, self.end))
        for _day, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
            step()
        if story.ended is None and self.job is not None:
            self.follow_ups_log(self.job, until=self.today - datetime.timedelta(days=1))

    def checkin(self, day: int, belief: int) -> None:
        result = followup_services.checkin_record(
            participant=self.participant,
            by=self.counselor,
            belief=belief,
            asked_on=self.on(day),
        )
        if result.suggest_sparring:  # about half are taken to a colleague (demo/sparring.py)
            sparring.lost_belief_talked_over(
                story=self.story.index, result=result, counselor=self.counselor, cast=self.cast
            )

    def change(self) -> None:
        assert self.story.change is not None
        day, to, reason = self.story.change
        self.counselor = self.cast.counselors[to]
        participant_services.counselor_assign(
            participant=self.participant,
            counselor=self.counselor,
            by=self.cast.leader,
            reason=reason,
            handover_note="Trives best med faste avtaler. Se planen for neste steg.",
            started_at=_at(self.on(day)),
        )

    def _approved(self, placement: Placement) -> Placement:
        meeting(placement, self.counselor)
        approve_all(placement, self.counselor, self.mentor.user)
        return Placement.objects.get(pk=placement.pk)

    def training_start(self) -> None:
        assert self.story.placement is not None
        first, _end = self.story.placement
        self.training = self._approved(
            placement_services.placement_create(
                participant=self.participant,
                employer=self.employer,
                by=self.counselor,
                kind=Placement.Kind.WORK_TRAINING,
                title=self.job_title,
                tasks="Faste oppgaver i arbeidstiden, med mentor.",
                start_date=self.on(first),
                end_date=self.on(first + 180),
                start_reason=BACKDATED,
                mentor=self.mentor,
                hours_per_week=self.hours,
                work_place=self.employer.name,
                **AGREEMENT,
            )
        )

    def training_end(self) -> None:
        assert self.story.placement is not None and self.training is not None
        _first, end = self.story.placement
        led_there = self.story.reached is not None and self.story.reached[0] == end
        outcome = (
            self.story.reached[1]
            if led_there and self.story.reached
            else [Outcome.OTHER_MEASURE, Outcome.NOT_READY][self.story.index % 2]
        )
        self.follow_ups_log(self.training, until=self.on(end))
        self.training = placement_services.placement_end(
            placement=self.training, by=self.counselor, ended_on=self.on(end), outcome=outcome
        )

    def job_start(self) -> None:
        """An ordinary job: the counselor records the outcome the day it starts, and follow-up
        goes on into the job (three months at least) before the period ends."""
        assert self.story.reached is not None
        day = self.story.reached[0]
        training = self.training
        if training is not None and training.outcome == Outcome.ORDINARY_WORK:
            # The chain: the job where the work training was, from the day after.
            initial = placement_services.next_placement_initial(training)
            job = placement_services.placement_create(
                participant=self.participant,
                employer=training.employer,
                by=self.counselor,
                previous=training,
                start_reason=BACKDATED,
                **initial,
            )
        else:
            job = placement_services.placement_create(
                participant=self.participant,
                employer=self.employer,
                by=self.counselor,
                kind=Placement.Kind.ORDINARY_JOB,
                title=self.job_title,
                tasks="Faste oppgaver, med mentor de første månedene.",
                start_date=self.on(day),
                start_reason=BACKDATED,
                mentor=self.mentor,
                hours_per_week=self.hours,
                work_place=self.employer.name,
                **AGREEMENT,
            )
        self.job = self._approved(job)
        period = self.participant.active_period
        assert period is not None
        participant_outcomes.outcome_record(
            period=period,
            by=self.counselor,
            date=self.job.start_date,
            outcome=Outcome.ORDINARY_WORK,
            hours_per_week=self.hours,
            note=f"Fast jobb hos {self.employer.name}.",
        )

    def follow_ups_log(self, placement: Placement, *, until: datetime.date) -> None:
        """The scheduled follow-ups up to `until`, held a couple of days before they were due
        (in a job's first four weeks: one a week); in one placement in eight the second is
        held late, so a week of the four goes without."""
        due = FollowUp.objects.filter(
            placement=placement, held_on__isnull=True, due_on__lte=until
        ).order_by("due_on")
        for number, follow_up in enumerate(due):
            assert follow_up.due_on is not None
            held_on = max(placement.start_date, follow_up.due_on - datetime.timedelta(days=2))
            if self.story.index % 8 == 0 and number == 1:
                held_on = min(self.today, follow_up.due_on + datetime.timedelta(days=6))
            placement_followups.follow_up_log(
                placement=placement,
                by=self.counselor,
                held_on=held_on,
                going=FollowUp.Going.WELL if number % 3 else FollowUp.Going.MIXED,
                participant_present=True,
                mentor_present=True,
                counselor_present=True,
                scheduled=follow_up,
            )

    def end(self) -> None:
        assert self.story.ended is not None
        day, outcome = self.story.ended
        if self.job is not None:
            self.follow_ups_log(self.job, until=self.on(day))
        work = outcome == Outcome.ORDINARY_WORK
        period = participant_services.period_end(
            participant=self.participant,
            by=self.counselor,
            end_date=self.on(day),
            outcome=outcome,
            hours_per_week=self.hours if work else None,
        )
        if not self.story.status_recorded:
            return  # left for the last counselor to record (Today)
        for status in FollowUpStatus.objects.filter(period=period, due_on__lte=self.today):
            later = self.story.status_outcome
            participant_outcomes.status_record(
                status=status,
                by=self.counselor,
                outcome=later,
                as_of=min(self.today, status.due_on + datetime.timedelta(days=day % 20)),
                hours_per_week=self.hours if later == Outcome.ORDINARY_WORK else None,
            )
