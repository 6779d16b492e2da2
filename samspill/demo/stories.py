"""The stories of the demo's year of ended follow-up, drawn before anything is written: for each
participant, in days from the start of their period, the check-ins, a change of counselor, a
placement, the day they reached work, education or an apprenticeship, and the end.

Drawn from a seeded generator and nothing else (not today's date), so every run tells the same
stories; samspill/demo/outcomes.py dates them back from today and records them through the
services. The chance of reaching work follows a hazard that belief raises and counselor changes
lower (as in insights/synthetic.py), so the effects page has something to find.
"""

import math
import random
from dataclasses import dataclass, field

from samspill.participants.models import NeedGroup, Outcome

SEED = 17
COUNT = 120
# Starts 10 to 18 months ago.
FIRST_START, LAST_START = 300, 545
NEED_SHARE = [0.3, 0.3, 0.2, 0.12, 0.08]  # NeedGroup.values, from good prospects down
NEED_EFFECT = [0.0, -0.3, -0.6, -0.9, -1.3]  # log hazard against good prospects
BELIEF_CHANCE = [0.8, 0.65, 0.5, 0.35, 0.25]  # a check-in believes (4-5), by need group
BASE_HAZARD = 1 / 280  # per day
BELIEF_EFFECT = math.log(1.6)
CHANGE_EFFECT = math.log(0.7)
FIRST_CHECKIN, CHECKIN_DAYS = 28, 84  # the organisation's default: every 12 weeks
CHANGE_SHARE = 0.3
PLACEMENT_SHARE = 0.4
LEAVE_SHARE = 0.5  # leave without work or education, some time in the first year
REACHED = [Outcome.ORDINARY_WORK, Outcome.EDUCATION, Outcome.APPRENTICESHIP]
REACHED_SHARE = [0.65, 0.22, 0.13]
LEFT = [Outcome.OTHER_MEASURE, Outcome.NOT_READY, Outcome.MOVED_OTHER, Outcome.UNKNOWN]
LEFT_SHARE = [0.4, 0.25, 0.2, 0.15]
# Follow-up into an ordinary job lasts three months at least (placements.rules); the period
# ends some weeks after that.
JOB_FOLLOW_UP_DAYS = (95, 140)
STATUS_RECORDED_SHARE = 0.75


@dataclass
class Story:
    index: int
    counselor: int  # 0-2: Kari Nordmann, Ola Hansen, Fatima Ali
    started_days_ago: int
    age: float
    need: str
    checkins: list[tuple[int, int]] = field(default_factory=list)  # (day, belief 1-5)
    change: tuple[int, int, str] | None = None  # (day, new counselor, reason)
    placement: tuple[int, int] | None = None  # work training (first day, last day)
    reached: tuple[int, str] | None = None  # (day, outcome)
    ended: tuple[int, str] | None = None  # (day, outcome); None while still followed
    status_recorded: bool = False  # the status six months after, once it is due
    status_outcome: str = ""


def _believes(rng: random.Random, need: int) -> int:
    if rng.random() < BELIEF_CHANCE[need]:
        return rng.choice([4, 4, 5])
    return rng.choice([2, 3, 3])


def tell(count: int = COUNT, seed: int = SEED) -> list[Story]:
    rng = random.Random(seed)
    stories = []
    for index in range(count):
        need = rng.choices(range(len(NeedGroup.values)), NEED_SHARE)[0]
        story = Story(
            index=index,
            counselor=index % 3,
            started_days_ago=rng.randint(FIRST_START, LAST_START),
            age=rng.uniform(18, 40),
            need=NeedGroup.values[need],
        )
        horizon = story.started_days_ago - 1  # up to yesterday
        leave_on = rng.randint(120, 360) if rng.random() < LEAVE_SHARE else None
        if rng.random() < CHANGE_SHARE:
            to = (story.counselor + rng.randint(1, 2)) % 3
            reason = rng.choice(["long_leave", "participant_wish", "caseload_balancing"])
            story.change = (rng.randint(40, 250), to, reason)
        if rng.random() < PLACEMENT_SHARE:
            first = rng.randint(30, 90)
            story.placement = (first, first + rng.randint(60, 150))
        checkin_days = range(FIRST_CHECKIN, horizon, CHECKIN_DAYS)
        story.checkins = [(day, _believes(rng, need)) for day in checkin_days]
        # Week by week: the hazard by the latest check-in's belief and the changes so far.
        believes, changes = 0, 0
        for week_start in range(0, horizon, 7):
            if leave_on is not None and week_start >= leave_on:
                break
            for day, belief in story.checkins:
                if day <= week_start:
                    believes = int(belief >= 4)
            changes = int(story.change is not None and story.change[0] <= week_start)
            hazard = BASE_HAZARD * math.exp(
                NEED_EFFECT[need] + BELIEF_EFFECT * believes + CHANGE_EFFECT * changes
            )
            if rng.random() < 1 - math.exp(-7 * hazard):
                day = min(week_start + rng.randint(0, 6), horizon)
                story.reached = (day, rng.choices(REACHED, REACHED_SHARE)[0])
                break
        if story.reached is not None:
            day, outcome = story.reached
            if outcome == Outcome.ORDINARY_WORK:
                end = day + rng.randint(*JOB_FOLLOW_UP_DAYS)
                story.ended = (end, outcome) if end <= horizon else None
            else:
                story.ended = (day, outcome)
        elif leave_on is not None and leave_on <= horizon:
            story.ended = (leave_on, rng.choices(LEFT, LEFT_SHARE)[0])
        _fit(story)
        story.status_recorded = rng.random() < STATUS_RECORDED_SHARE
        story.status_outcome = _later(rng, story)
        stories.append(story)
    return stories


def _fit(story: Story) -> None:
    """Keep what happens inside the period: check-ins and a change before its end, and a
    placement that ends by the day work or education starts (it led there) or the period ends."""
    last = story.ended[0] if story.ended else story.started_days_ago - 1
    story.checkins = [(day, belief) for day, belief in story.checkins if day < last]
    if story.change is not None and story.change[0] >= last:
        story.change = None
    if story.placement is not None:
        first, planned = story.placement
        stop = story.reached[0] if story.reached else last
        story.placement = (first, min(planned, stop)) if first < stop - 14 else None


def _later(rng: random.Random, story: Story) -> str:
    """Where a person is six months after the end: mostly where they went, some further."""
    if story.ended is None:
        return ""
    outcome = story.ended[1]
    if outcome in REACHED:
        return outcome if rng.random() < 0.85 else rng.choice([Outcome.NOT_READY, Outcome.UNKNOWN])
    return rng.choices([outcome, Outcome.ORDINARY_WORK, Outcome.EDUCATION], [0.6, 0.25, 0.15])[0]
