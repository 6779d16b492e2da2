"""The access log in plain words: what was read and why, for the person whose record it is
and the staff who show it to them.

The log stores short codes ("page:follow-up", "counselor") written by the apps that read a
record; the words live here, so that the rows already written read the same in every
language. A code this module does not know (a new page) is shown as its last part in words
instead of as a code.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What was read: the page, API route or portal view (audit.services.access_log_record's
# `what`). API routes ("api:...") read as the page they match, "through the API".
WHAT = {
    "page:overview": gettext_lazy("Overview"),
    "page:edit": gettext_lazy("Personal details, to edit"),
    "page:consent": gettext_lazy("Consents"),
    "page:follow-up": gettext_lazy("Follow-up"),
    "page:plan": gettext_lazy("Plan"),
    "htmx:timeline": gettext_lazy("Notes and events"),
    "page:belief": gettext_lazy("Belief check-ins"),
    "page:access-log": gettext_lazy("This access log"),
    "page:status-after-follow-up": gettext_lazy("Status after follow-up, to record"),
    "page:referral": gettext_lazy("Referral"),
    "page:referral-edit": gettext_lazy("Referral, to edit"),
    "participant": gettext_lazy("Personal details"),
    "outcomes": gettext_lazy("Outcomes"),
    "checkins": gettext_lazy("Belief check-ins"),
    "assignments": gettext_lazy("Counselors over time"),
    "referral": gettext_lazy("Referral"),
    "placement": gettext_lazy("Placement"),
    "placement agreement": gettext_lazy("Placement agreement"),
    "placement follow-ups": gettext_lazy("Placement follow-ups"),
    "placement evaluation": gettext_lazy("Placement evaluation"),
    "certificate": gettext_lazy("Placement certificate"),
    "portal:placement": gettext_lazy("Placement, in the employer portal"),
    "portal:note": gettext_lazy("Placement, to write a note (employer portal)"),
    "portal:concern": gettext_lazy("Placement, to report a concern (employer portal)"),
    "portal:agreement": gettext_lazy("Placement agreement, to approve (employer portal)"),
    "portal:certificate": gettext_lazy("Placement certificate (employer portal)"),
    "portal:my_placements": gettext_lazy("Own placements (participant portal)"),
    "portal:my_placement": gettext_lazy("Own placement (participant portal)"),
    "portal:my_agreement": gettext_lazy("Own placement agreement, to approve"),
    "portal:my_certificate": gettext_lazy("Own placement certificate"),
    "portal:my_status": gettext_lazy("Own status after follow-up"),
    "calendar feed": gettext_lazy("jobbLOOP calendar feed"),
    "page:loop_evaluation": gettext_lazy("jobbLOOP evaluation"),
}

# Why the read was allowed: the relationship (participants, referrals and portal permissions,
# loops.ical). Referral reads are stored as "referral:<relationship>".
WHY = {
    "counselor": gettext_lazy("Their counselor"),
    "team": gettext_lazy("On the counselor's team"),
    "leader": gettext_lazy("Leader"),
    "coordinator": gettext_lazy("Coordinator"),
    "taker": gettext_lazy("Took the referral"),
    "unassigned": gettext_lazy("Referral not yet taken"),
    "portal:mentor": gettext_lazy("Mentor at the workplace"),
    "portal:employer_contact": gettext_lazy("Contact person at the employer"),
    "portal:self": gettext_lazy("The participant themself"),
    "status_after_follow_up": gettext_lazy("Last counselor, recording the status after follow-up"),
    "calendar_feed": gettext_lazy("jobbLOOP calendar subscription"),
    "loop": gettext_lazy("Staff of their jobbLOOP"),
}


def _words(code: str) -> str:
    """An unknown code as words: its last part, dashes and underscores as spaces."""
    last = code.rsplit(":", 1)[-1].replace("-", " ").replace("_", " ").strip()
    return last[:1].upper() + last[1:]


def what_label(code: str) -> str:
    if code in WHAT:
        return str(WHAT[code])
    if code.startswith("api:"):
        inner = code.removeprefix("api:")
        return _("%(what)s, through the API") % {
            "what": str(WHAT[inner]) if inner in WHAT else _words(inner)
        }
    if code.startswith("calendar feed"):
        return str(WHAT["calendar feed"])
    return _words(code)


def why_label(code: str) -> str:
    if code in WHY:
        return str(WHY[code])
    if code.startswith("referral:"):
        inner = code.removeprefix("referral:")
        return _("%(why)s (referral)") % {"why": str(WHY[inner]) if inner in WHY else _words(inner)}
    return _words(code)
