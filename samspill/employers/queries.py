"""Reads of the employer base. Every function starts from `Employer.objects.visible_to(user)`."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from samspill.employers.models import (
    ContactPersonChange,
    Employer,
    EmployerContact,
    IntentionAgreement,
    MentorSupportContact,
    OutreachActivity,
    RecruitmentNeed,
)

BOARD_COLUMN_LIMIT = 30


@dataclass
class EmployerFilter:
    q: str = ""
    section: str = ""
    municipality: str = ""
    stage: str = ""
    need: str = ""  # text in an open recruitment need's role
    open_need: bool = False
    mine: bool = False


def employer_list(user: Any, flt: EmployerFilter) -> QuerySet[Employer]:
    qs = Employer.objects.visible_to(user)
    terms = flt.q.split()[:4]
    digits = "".join(terms)
    if digits.isdigit():
        qs = qs.filter(org_number__startswith=digits)
    elif terms:
        # The first word from the start of the name (indexed), the rest anywhere in it.
        qs = qs.filter(name__istartswith=terms[0])
        for term in terms[1:]:
            qs = qs.filter(name__icontains=term)
    if flt.section:
        qs = qs.filter(nace_section=flt.section)
    if flt.municipality:
        qs = qs.filter(municipality__iexact=flt.municipality.strip())
    if flt.stage:
        qs = qs.filter(stage=flt.stage)
    if flt.mine:
        qs = qs.filter(contact_person_id=user.pk)
    if flt.open_need or flt.need:
        needs = RecruitmentNeed.objects.filter(employer=OuterRef("pk"), is_open=True)
        if flt.need:
            needs = needs.filter(role__icontains=flt.need.strip())
        qs = qs.filter(Exists(needs))
    return qs.select_related("contact_person").order_by("name", "id")


def board(user: Any) -> list[tuple[str, str, int, list[Employer]]]:
    """The pipeline as columns: (stage, label, how many, the first employers by next step date).

    One grouped count and one query per stage: a fixed number whatever the size.
    """
    visible = Employer.objects.visible_to(user)
    counts = dict(visible.values_list("stage").annotate(n=Count("id")).order_by())
    columns = []
    for stage, label in Employer.Stage.choices:
        rows = list(
            visible.filter(stage=stage)
            .select_related("contact_person")
            .order_by("next_step_on", "name", "id")[:BOARD_COLUMN_LIMIT]
        )
        columns.append((stage, str(label), counts.get(stage, 0), rows))
    return columns


def employer_detail(user: Any, pk: int) -> Employer | None:
    return (
        Employer.objects.visible_to(user)
        .select_related("contact_person", "organisation")
        .filter(pk=pk)
        .first()
    )


def needs_for(employer: Employer) -> list[RecruitmentNeed]:
    return list(employer.needs.order_by("-is_open", "needed_from", "id")[:100])


def agreements_for(employer: Employer) -> list[IntentionAgreement]:
    return list(employer.agreements.order_by("-created_at", "-id")[:50])


def contacts_for(employer: Employer) -> list[EmployerContact]:
    return list(employer.contacts.order_by("-is_active", "name", "id")[:200])


def contact_history(employer: Employer) -> list[ContactPersonChange]:
    return list(
        employer.contact_history.select_related("contact_person", "changed_by").order_by(
            "-started_at", "-id"
        )[:50]
    )


def outreach_for(employer: Employer) -> QuerySet[OutreachActivity]:
    return employer.outreach.select_related("by").order_by("-occurred_on", "-id")


def support_log_for(contact: EmployerContact) -> QuerySet[MentorSupportContact]:
    return contact.support_log.select_related("counselor").order_by("-contact_on", "-id")


def renewals_due(*, until: datetime.date) -> QuerySet[IntentionAgreement]:
    """Agreements not ended whose renewal date comes by `until`: the contact person's Today page
    and the reminder scheduler read the same rule."""
    return IntentionAgreement.objects.filter(renewal_on__lte=until).exclude(
        status=IntentionAgreement.Status.ENDED
    )


def mentor_contacts_due(*, today: datetime.date) -> QuerySet[MentorSupportContact]:
    """Support log entries whose next contact date has come, the latest entry per mentor only
    (a later contact replaces the reminder): for the Today page and the reminder scheduler."""
    later = MentorSupportContact.objects.filter(
        mentor_id=OuterRef("mentor_id"), contact_on__gt=OuterRef("contact_on")
    )
    return MentorSupportContact.objects.filter(next_contact_on__lte=today).exclude(Exists(later))
