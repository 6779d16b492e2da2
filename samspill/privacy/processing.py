"""The record of processing activities (GDPR article 30), generated from what Samspill is
configured to hold: the purposes below name the apps that serve them; the categories of data
are those apps' tables (read from the models, so a new table shows up by itself), the special
categories are the fields the participant permissions mask, the recipients are the consent
choices, and the retention is the organisation's rules."""

import csv
import io
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from samspill.organisations.models import Organisation
from samspill.participants.models import ConsentRecord, Participant
from samspill.participants.permissions import SPECIAL_CATEGORY_FIELDS
from samspill.privacy.models import RetentionRule

# (purpose, the people it is about, the apps holding its data, the retention categories).
PURPOSES = [
    (
        _("Follow-up of participants towards work or education"),
        _("Participants"),
        ["participants", "plans", "followup"],
        [RetentionRule.Category.CASE_RECORDS],
    ),
    (
        _("Placements at employers, agreements, evaluations and certificates"),
        _("Participants, employer contacts and mentors"),
        ["placements", "loops", "employers"],
        [RetentionRule.Category.CASE_RECORDS],
    ),
    (
        _("Referral intake"),
        _("Referred persons"),
        ["referrals"],
        [RetentionRule.Category.REFERRALS_NOT_TAKEN_ON],
    ),
    (
        _("Group workshops: attendance, strengths profile and CV"),
        _("Participants"),
        ["workshops"],
        [RetentionRule.Category.CASE_RECORDS],
    ),
    (
        _("Security: who read and changed which record"),
        _("Participants and staff"),
        ["audit"],
        [RetentionRule.Category.ACCESS_LOG],
    ),
    (
        _(
            "Staff learning (legal basis: the employment relationship): learning goals and the "
            "leader's follow-up conversations, programme attendance, reflections, case "
            "sparring and peer feedback. Seen by the staff member; goals and follow-ups by "
            "their leaders; a reflection only by whom its author shares it with; every read "
            "by another person is logged. Kept while the person works in the organisation."
        ),
        _("Staff"),
        ["learning"],
        [],
    ),
    (
        _("Staff accounts and the organisation"),
        _("Staff"),
        ["accounts", "organisations"],
        [],
    ),
]


@dataclass
class Activity:
    purpose: str
    subjects: str
    categories: list[str]
    special: list[str]
    recipients: list[str]
    retention: list[str]


def record_for(organisation: Organisation) -> list[Activity]:
    rules = {
        rule.category: rule.months
        for rule in RetentionRule.objects.filter(organisation=organisation)
    }
    special = [
        str(field.verbose_name)
        for field in Participant._meta.concrete_fields
        if field.name in SPECIAL_CATEGORY_FIELDS
    ]
    recipients = [str(label) for label in ConsentRecord.Recipient.labels]
    activities = []
    for purpose, subjects, labels, categories in PURPOSES:
        tables = [
            str(model._meta.verbose_name_plural)
            for label in labels
            for model in apps.get_app_config(label).get_models()
        ]
        activities.append(
            Activity(
                purpose=str(purpose),
                subjects=str(subjects),
                categories=tables,
                special=special if "participants" in labels else [],
                recipients=recipients if "participants" in labels or "placements" in labels else [],
                retention=[
                    _("%(category)s: %(months)s months")
                    % {"category": RetentionRule.Category(c).label, "months": rules[c]}
                    if c in rules
                    else _("%(category)s: no rule set")
                    % {"category": RetentionRule.Category(c).label}
                    for c in categories
                ],
            )
        )
    return activities


def as_csv(activities: list[Activity]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Purpose"),
            _("About whom"),
            _("Categories of data"),
            _("Special categories"),
            _("Recipients"),
            _("Retention"),
        ]
    )
    for a in activities:
        writer.writerow(
            [
                a.purpose,
                a.subjects,
                "; ".join(a.categories),
                "; ".join(a.special),
                "; ".join(a.recipients),
                "; ".join(a.retention),
            ]
        )
    return out.getvalue()
