"""The retention rules applied: what is due (a dry run) and doing it.

Per organisation and category (`RetentionRule`): a participant whose last follow-up period
ended longer ago than the rule is erased (services.participant_erase, as on request, with the
rule as reason); access-log entries older than the rule are deleted (the participants' and the
referrals' access logs); a referral never taken on
(no participant record) received longer ago than the rule is anonymised. A legal hold stops all
three for that participant. What is done is gone, so a second run finds nothing more: safe to
run twice, and daily (tasks.py), reporting to the organisation's administrators by e-mail.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.audit.append_only import append_only_lifted
from samspill.audit.models import AccessLog
from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.organisations.models import Membership, Organisation
from samspill.outbox.services import outbox_put
from samspill.participants.models import FollowUpPeriod, Participant
from samspill.privacy import services
from samspill.privacy.anonymise import blank_values
from samspill.privacy.models import Erasure, LegalHold, RetentionRule
from samspill.referrals.models import Referral, ReferralAccessLog


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Due:
    organisation: Organisation
    category: str
    months: int
    count: int


@dataclass
class RetentionReport:
    applied: bool
    due: list[Due] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.due:
            return ["nothing is due"]
        verb = "done" if self.applied else "due (dry run; --apply to do it)"
        return [
            f"{item.organisation.name}: {item.category} older than {item.months} months: "
            f"{item.count} {verb}"
            for item in self.due
        ]


def _held(participant_ref: str) -> Exists:
    return Exists(
        LegalHold.objects.filter(participant_id=OuterRef(participant_ref), lifted_at__isnull=True)
    )


def case_records_due(rule: RetentionRule, today: datetime.date) -> QuerySet[Participant]:
    """Participants whose last period ended before the rule's limit: none open, no hold, not
    already erased."""
    limit = months_before(today, rule.months)
    open_period = FollowUpPeriod.objects.filter(participant=OuterRef("pk"), end_date__isnull=True)
    erased = Erasure.objects.filter(participant_id=OuterRef("pk"))
    return (
        Participant.objects.filter(organisation_id=rule.organisation_id)
        .annotate(last_end=Max("periods__end_date"))
        .filter(last_end__lt=limit)
        .exclude(Exists(open_period))
        .exclude(Exists(erased))
        .exclude(_held("pk"))
        .order_by("pk")
    )


def _access_log_limit(rule: RetentionRule, now: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(
            months_before(timezone.localdate(now), rule.months), datetime.time()
        )
    )


def access_log_due(rule: RetentionRule, now: datetime.datetime) -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.filter(
            organisation_id=rule.organisation_id, accessed_at__lt=_access_log_limit(rule, now)
        )
        .exclude(_held("participant_id"))
        .order_by("pk")
    )


def referral_access_log_due(
    rule: RetentionRule, now: datetime.datetime
) -> QuerySet[ReferralAccessLog]:
    """Reads of referrals older than the access-log rule; a referral made a participant who is
    under a legal hold keeps them."""
    return (
        ReferralAccessLog.objects.filter(
            organisation_id=rule.organisation_id, accessed_at__lt=_access_log_limit(rule, now)
        )
        .exclude(_held("referral__participant_id"))
        .order_by("pk")
    )


def referrals_due(rule: RetentionRule, today: datetime.date) -> QuerySet[Referral]:
    """Referrals never taken on (no participant record), not yet anonymised."""
    return (
        Referral.objects.filter(
            organisation_id=rule.organisation_id,
            participant__isnull=True,
            received_on__lt=months_before(today, rule.months),
        )
        .exclude(given_name="")
        .order_by("pk")
    )


def retention_run(*, apply: bool, now: datetime.datetime | None = None) -> RetentionReport:
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = RetentionReport(applied=apply)
    rules = RetentionRule.objects.select_related("organisation").order_by(
        "organisation__name", "category"
    )
    for rule in rules:
        count = _apply_rule(rule, now, today) if apply else _count_rule(rule, now, today)
        if count:
            report.due.append(Due(rule.organisation, rule.category, rule.months, count))
    return report


def _count_rule(rule: RetentionRule, now: datetime.datetime, today: datetime.date) -> int:
    if rule.category == RetentionRule.Category.CASE_RECORDS:
        return case_records_due(rule, today).count()
    if rule.category == RetentionRule.Category.ACCESS_LOG:
        return access_log_due(rule, now).count() + referral_access_log_due(rule, now).count()
    return referrals_due(rule, today).count()


def _apply_rule(rule: RetentionRule, now: datetime.datetime, today: datetime.date) -> int:
    reason = _("Retention rule: %(category)s, kept %(months)s months.") % {
        "category": rule.get_category_display(),
        "months": rule.months,
    }
    if rule.category == RetentionRule.Category.CASE_RECORDS:
        due = list(case_records_due(rule, today).select_related("portal_user"))
        for participant in due:
            services.participant_erase(
                participant=participant, reason=reason, by=None, trigger=Erasure.Trigger.RETENTION
            )
        return len(due)
    with transaction.atomic(), append_only_lifted():
        if rule.category == RetentionRule.Category.ACCESS_LOG:
            count, _by_model = access_log_due(rule, now).delete()
            count += referral_access_log_due(rule, now).delete()[0]
        else:
            count = 0
            for referral in referrals_due(rule, today):
                Referral.objects.filter(pk=referral.pk).update(**blank_values(referral))
                count += 1
        if count:
            audit_record(
                actor=None,
                organisation_id=rule.organisation_id,
                action="privacy.retention_applied",
                obj=rule,
                data={"category": rule.category, "count": count},
            )
    return count


def retention_report_send(report: RetentionReport) -> int:
    """E-mails each organisation's administrators what the run did (counts, no names)."""
    by_org: dict[int, list[Due]] = {}
    for item in report.due:
        by_org.setdefault(item.organisation.pk, []).append(item)
    sent = 0
    for org_id, items in by_org.items():
        admins = Membership.objects.filter(
            organisation_id=org_id, role=Membership.Role.ADMIN, is_active=True
        ).values_list("user__email", flat=True)
        body = "\n".join(
            _("%(category)s: %(count)s removed or anonymised (kept %(months)s months).")
            % {
                "category": RetentionRule.Category(item.category).label,
                "count": item.count,
                "months": item.months,
            }
            for item in items
        )
        if outbox_put(
            to=list(admins), subject=_("Samspill: the retention rules were applied"), body=body
        ):
            sent += 1
    return sent


def retention_rule_set(
    *,
    organisation: Organisation,
    category: str,
    months: int | None,
    by: object,
    revision: int | None = None,
) -> RetentionRule:
    """Sets (or changes) how long `category` is kept in `organisation`. With `revision` (the
    administrators' page), a colleague's save since is refused (StaleRevision)."""
    if months is None or months < 1:
        raise ValidationError({"months": _("Keep data at least one month.")})
    if category not in RetentionRule.Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    with transaction.atomic():
        rule = (
            RetentionRule.objects.select_for_update()
            .filter(organisation=organisation, category=category)
            .first()
        )
        if rule is None:
            rule = RetentionRule(organisation=organisation, category=category, months=months)
            rule.full_clean()
            rule.save()
        else:
            check_revision(rule, revision)
            rule.months = months
            rule.full_clean()
            rule.save(update_fields=count_save(rule, "months"))
        audit_record(
            actor=by,
            organisation_id=organisation.pk,
            action="privacy.retention_rule_set",
            obj=rule,
            data={"category": category, "months": months},
        )
    return rule


__all__ = ["retention_run", "retention_report_send", "retention_rule_set"]
