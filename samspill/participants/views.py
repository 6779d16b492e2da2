"""Pages for the caseload and the participant's record. Thin: permission door, one service,
redirect or render (STYLE.md 3)."""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samspill.audit.queries import access_log_for_participant
from samspill.audit.services import access_log_record
from samspill.core.db import replica_reads
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.followup import continuity
from samspill.organisations.models import Membership
from samspill.organisations.queries import staff_who_follow, teams_for_organisation
from samspill.participants import outcomes, permissions, queries, services
from samspill.participants.forms import (
    BulkReassignForm,
    CaseloadFilterForm,
    ConsentForm,
    CounselorChangeForm,
    OutcomeCorrectForm,
    OutcomeRecordForm,
    ParticipantCreateForm,
    ParticipantForm,
    PeriodEndForm,
    PeriodStartForm,
    StatusForm,
)
from samspill.participants.models import (
    ConsentRecord,
    FollowUpStatus,
    Outcome,
    Participant,
    PeriodOutcome,
)
from samspill.participants.outcomes import STATUS_EARLY_DAYS
from samspill.placements import queries as placement_queries
from samspill.plans.forms import NoteForm
from samspill.plans.queries import timeline_for

PAGE_SIZES = (10, 25, 50, 100)


def require_follower(request: AuthedRequest) -> Membership:
    membership = request.membership
    if not membership or not membership.follows_participants:
        raise PermissionDenied
    return membership


def participant_for_read(request: AuthedRequest, pk: int, what: str) -> Participant:
    """Fetch through the one door, or 404; log the read with the relationship that allowed it.

    No role check comes first: an administrator, like anyone else outside the door, gets a 404
    for a case record (STYLE.md 4)."""
    participant = get_object_or_404(
        Participant.objects.visible_to(request.user).select_related(
            "organisation", "counselor", "team", "active_period"
        ),
        pk=pk,
    )
    why = permissions.relationship_to(request.user, participant)
    assert why is not None  # visible_to and relationship_to encode the same rules
    access_log_record(actor=request.user, participant=participant, what=what, why=why)
    return participant


def participant_for_write(request: AuthedRequest, pk: int) -> Participant:
    """Writes check the same door as reads."""
    return get_object_or_404(
        Participant.objects.visible_to(request.user).select_related(
            "organisation", "counselor", "team"
        ),
        pk=pk,
    )


def _assignable(membership: Membership) -> QuerySet[Membership]:
    return staff_who_follow(membership.organisation_id)


def _handover_to(
    assignable: QuerySet[Membership], participant: Participant
) -> QuerySet[Membership]:
    """Whom a participant can be handed over to: the other counselors. Coordinators and
    leaders may follow participants of their own, but a handover goes to a counselor."""
    return assignable.filter(role=Membership.Role.COUNSELOR).exclude(
        user_id=participant.counselor_id or 0
    )


class KeysFirstPaginator(Paginator):
    """A page of the caseload through queries.caseload_slice: the keys sorted, then the page's
    rows read."""

    def __init__(
        self,
        rows: QuerySet[Participant],
        per_page: int,
        streams: queries.NameSearch | None = None,
    ) -> None:
        super().__init__(rows, per_page)
        self.rows = rows
        self.streams = streams

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(queries.caseload_slice(self.rows, bottom, top, self.streams), number, self)


@login_required
@require_GET
def caseload(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    scopes = queries.scopes_for(membership)
    teams = teams_for_organisation(membership.organisation_id) if membership.is_leader else []
    form = CaseloadFilterForm(request.GET or None, teams=teams)
    flt = queries.CaseloadFilter(scope=scopes[0])
    if request.GET.get("scope") in scopes:
        flt.scope = request.GET["scope"]
    if request.GET.get("quick") in queries.QUICK_FILTERS:
        flt.quick = request.GET["quick"]
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        flt.q = data["q"].strip()
        flt.status = data["status"] or "active"
        flt.team = data["team"] if membership.is_leader else None
        flt.no_contact_days = data["no_contact_days"] or queries.NO_CONTACT_DAYS_DEFAULT
        flt.sort = data["sort"] or "name"
    try:
        size = int(request.GET.get("size", 25))
    except ValueError:
        size = 25
    size = size if size in PAGE_SIZES else 25
    base = queries.caseload_base(request.user, membership, flt)
    # The counts may lag the rows by the replica's moment: a chip off by one for a second.
    with replica_reads():
        counts = queries.caseload_counts(
            base,
            flt,
            membership,
            queries.name_search_streams(request.user, membership, flt, few=False, quick=False),
        )
    # Beyond COUNT_CAP a wide search shows "more than" and its first COUNT_CAP matches.
    counts_whole = not (queries.counts_capped(flt) and counts["all"] > queries.COUNT_CAP)
    capped = not counts_whole
    rows = queries.caseload_rows(base, flt, user=request.user, few=counts_whole)
    streams = queries.name_search_streams(request.user, membership, flt, few=counts_whole)
    paginator = KeysFirstPaginator(rows, size, streams)
    if not capped:
        # The counts query already counted the rows of the chosen quick filter: no second COUNT.
        paginator.count = counts.get(flt.quick, counts["all"])
    elif flt.quick == "all":
        paginator.count = queries.COUNT_CAP
    else:
        with replica_reads():
            found = queries.quick_count(base, flt)
        paginator.count = min(found, queries.COUNT_CAP)
        capped = found > queries.COUNT_CAP
        counts = {**counts, flt.quick: paginator.count}  # its chip shows what is known
    page = paginator.get_page(request.GET.get("page"))
    permissions.log_national_id_matches(
        request.user, queries.searched_number(flt.q), page.object_list, what="search:national_id"
    )
    context: dict[str, Any] = {
        "form": form,
        "flt": flt,
        "scopes": scopes,
        "counts": counts,
        # The quick filters' counts are whole unless the search went over the cap.
        "counts_whole": counts_whole,
        "capped": capped,
        "count_cap": number_format(queries.COUNT_CAP, force_grouping=True),
        "page": page,
        "page_sizes": PAGE_SIZES,
        "size": size,
        "quick_filters": [
            ("all", _("All")),
            ("due", _("Follow-up due within a week")),
            ("overdue", _("Follow-up overdue")),
            ("no_contact", _("No contact for %(days)d days") % {"days": flt.no_contact_days}),
            ("no_follow_up", _("No follow-up planned")),
        ],
    }
    template = (
        "participants/_caseload_results.html" if request.htmx else "participants/caseload.html"
    )
    return render(request, template, context)


@login_required
def participant_create(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    memberships = _assignable(membership)
    form = ParticipantCreateForm(
        request.POST or None,
        memberships=memberships,
        initial={"counselor": memberships.filter(user=request.user).first()},
    )
    if request.method == "POST" and not form.is_valid():
        _check_the_rest(form, organisation=membership.organisation)
    elif request.method == "POST":
        data = dict(form.cleaned_data)
        data.pop("confirm_past")
        counselor = data.pop("counselor").user
        start_date = data.pop("start_date")
        try:
            participant = services.participant_create(
                organisation=membership.organisation,
                by=request.user,
                counselor=counselor,
                start_date=start_date,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": participant.full_name})
            if not Participant.objects.visible_to(request.user).filter(pk=participant.pk).exists():
                return redirect("participants:caseload")
            return redirect("participants:detail", pk=participant.pk)
    return render(request, "participants/participant_form.html", {"form": form, "creating": True})


def _check_the_rest(
    form: ParticipantForm, *, organisation: Any, participant: Participant | None = None
) -> None:
    """The form has errors of its own (an e-mail address, a date): ask the service about the
    fields that did convert, so that every field's error shows in this round, not the next."""
    fields = {f: form.cleaned_data[f] for f in services.PROFILE_FIELDS if f in form.cleaned_data}
    try:
        services.participant_check(organisation=organisation, participant=participant, **fields)
    except ValidationError as error:
        for name, field_messages in error.message_dict.items():
            if name in form.fields and name not in form.errors:
                form.add_error(name, field_messages)


@login_required
@require_GET
def participant_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_read(request, pk, "page:overview")
    masked = permissions.mask_special_categories(request.user, participant)
    handover = queries.unseen_handover(participant, request.user)
    if handover is not None:
        handover.participant = participant
        handover = services.handover_open(assignment=handover, by=request.user)
    placements = placement_queries.placements_for_participant(participant.pk)
    # Notes and concerns come from the participant's placements (and show under them): none
    # without a placement, and two queries fewer on most records.
    workplace_notes, concerns = (
        placement_queries.workplace_messages(participant.pk) if placements else ([], [])
    )
    return render(
        request,
        "participants/detail_overview.html",
        {
            "participant": participant,
            "special_masked": masked,
            "tab": "overview",
            "handover": handover,
            "placements": placements,
            "workplace_notes": workplace_notes,
            "concerns": concerns,
            "note_form": NoteForm(),
            "timeline": timeline_for(participant, limit=_timeline_limit(request)),
            "timeline_limit": _timeline_limit(request),
        },
    )


def _timeline_limit(request: AuthedRequest) -> int:
    try:
        return max(20, min(500, int(request.GET.get("show", 20))))
    except ValueError:
        return 20


@login_required
def participant_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_read(request, pk, "page:edit")
    form = ParticipantForm(request.POST or None, instance=participant)
    if not permissions.can_read_special_categories(request.user, participant):
        # Neither shown nor written: a leader's save leaves them as they are.
        for name in permissions.SPECIAL_CATEGORY_FIELDS:
            del form.fields[name]
    if request.method == "POST" and not form.is_valid():
        _check_the_rest(form, organisation=participant.organisation, participant=participant)
    elif request.method == "POST":
        try:
            services.participant_update(
                participant=participant,
                by=request.user,
                revision=form.cleaned_data["revision"],
                **{f: form.cleaned_data[f] for f in services.PROFILE_FIELDS if f in form.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "participants/participant_form.html",
        {"form": form, "participant": participant, "tab": "edit"},
    )


@login_required
def participant_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_read(request, pk, "page:consent")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_give(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("participants:consent", pk=participant.pk)
    consents = participant.consents.select_related("given_recorded_by", "withdrawn_recorded_by")
    return render(
        request,
        "participants/detail_consent.html",
        {"participant": participant, "tab": "consent", "form": form, "consents": consents},
    )


@login_required
@require_POST
def consent_withdraw(request: AuthedRequest, pk: int, consent_pk: int) -> HttpResponse:
    participant = participant_for_write(request, pk)
    consent = get_object_or_404(ConsentRecord, pk=consent_pk, participant=participant)
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent was withdrawn."))
    return redirect("participants:consent", pk=participant.pk)


@login_required
def participant_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_read(request, pk, "page:follow-up")
    membership = require_follower(request)
    assignable = _assignable(membership)
    others = _handover_to(assignable, participant)
    change_form = CounselorChangeForm(memberships=others)
    end_form = PeriodEndForm()
    start_form = PeriodStartForm(
        memberships=assignable, initial={"counselor": assignable.filter(user=request.user).first()}
    )
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "assign":
            change_form = CounselorChangeForm(request.POST, memberships=others)
            if change_form.is_valid():
                data = change_form.cleaned_data
                services.counselor_assign(
                    participant=participant,
                    counselor=data["counselor"].user,
                    by=request.user,
                    reason=data["reason"],
                    reason_text=data["reason_text"],
                    handover_note=data["handover_note"],
                )
                messages.success(request, _("The counselor was changed."))
                return redirect(_after_write(request, participant))
        elif action == "end":
            end_form = PeriodEndForm(request.POST)
            if end_form.is_valid():
                services.period_end(
                    participant=participant, by=request.user, **end_form.cleaned_data
                )
                messages.success(request, _("The follow-up period was ended."))
                return redirect(_after_write(request, participant))
        elif action == "start":
            start_form = PeriodStartForm(request.POST, memberships=assignable)
            if start_form.is_valid():
                services.period_start(
                    participant=participant,
                    by=request.user,
                    counselor=start_form.cleaned_data["counselor"].user,
                    start_date=start_form.cleaned_data["start_date"],
                )
                messages.success(request, _("A new follow-up period was started."))
                return redirect(_after_write(request, participant))
        elif action is not None:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        form = {"assign": change_form, "end": end_form, "start": start_form}[action or ""]
        add_service_errors(form, error)
    return _follow_up_page(
        request,
        participant,
        change_form=change_form,
        end_form=end_form,
        start_form=start_form,
        status=400 if action and request.method == "POST" else 200,
    )


def _follow_up_page(
    request: AuthedRequest,
    participant: Participant,
    *,
    change_form: CounselorChangeForm | None = None,
    end_form: PeriodEndForm | None = None,
    start_form: PeriodStartForm | None = None,
    record_form: OutcomeRecordForm | None = None,
    bound: forms.Form | None = None,
    bound_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The follow-up tab: counselor history, outcomes with their corrections, statuses after
    follow-up, and the forms. `bound` is a correction or status form that failed (for the
    outcome or status `bound_pk`), shown again with its errors. A fixed number of queries."""
    membership = require_follower(request)
    if change_form is None or start_form is None:
        assignable = _assignable(membership)
        others = _handover_to(assignable, participant)
        change_form = change_form or CounselorChangeForm(memberships=others)
        start_form = start_form or PeriodStartForm(
            memberships=assignable,
            initial={"counselor": assignable.filter(user=request.user).first()},
        )
    today = timezone.localdate()
    active = participant.active_period
    changes = continuity.changes_in_period(active)
    periods = list(queries.follow_up_periods(participant.pk))
    # What each row shows beyond its fields (forms, labels) is set on the prefetched rows.
    record: Any
    change: Any
    row: Any
    for period in periods:
        for record in period.outcomes.all():
            for change in record.changes.all():
                change.before_outcome_display = _outcome_label(change.before.get("outcome", ""))
                change.before_date = datetime.date.fromisoformat(change.before["date"])
            record.correct_form = (
                bound
                if isinstance(bound, OutcomeCorrectForm) and bound_pk == record.pk
                else OutcomeCorrectForm(
                    prefix=f"o{record.pk}",
                    initial={
                        "date": record.date,
                        "outcome": record.outcome,
                        "hours_per_week": record.hours_per_week,
                        "wage_subsidy": record.wage_subsidy,
                        "note": record.note,
                        "revision": record.revision,
                    },
                )
            )
        for row in period.statuses.all():
            row.recordable_from = row.due_on - datetime.timedelta(days=STATUS_EARLY_DAYS)
            row.record_url = reverse(
                "participants:status_record", kwargs={"pk": participant.pk, "status_pk": row.pk}
            )
            row.form = (
                bound if isinstance(bound, StatusForm) and bound_pk == row.pk else _status_form(row)
            )
    return render(
        request,
        "participants/detail_follow_up.html",
        {
            "participant": participant,
            "tab": "follow_up",
            "periods": periods,
            "change_form": change_form,
            "changes": changes,
            "chance_now": continuity.relative_chance_after(changes),
            "chance_after": continuity.relative_chance_after(changes + 1),
            "end_form": end_form or PeriodEndForm(),
            "end_blockers": services.period_end_blockers(active, today),
            "record_form": record_form or OutcomeRecordForm(prefix="record"),
            "proposals": placement_queries.outcome_proposals(active),
            "start_form": start_form,
        },
        status=status,
    )


def _outcome_label(code: str) -> str:
    return str(Outcome(code).label) if code in Outcome.values else code


def _status_form(row: FollowUpStatus, data: Any = None) -> StatusForm:
    return StatusForm(
        data,
        prefix=f"s{row.pk}",
        initial={
            "outcome": row.outcome,
            "as_of": row.as_of or timezone.localdate(),
            "hours_per_week": row.hours_per_week,
            "wage_subsidy": row.wage_subsidy,
            "revision": row.revision,
        },
    )


def _outcome_data(form: forms.Form) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "date": data["date"],
        "outcome": data["outcome"],
        "hours_per_week": data["hours_per_week"],
        "wage_subsidy": data["wage_subsidy"],
        "note": data["note"],
    }


@login_required
@require_POST
def outcome_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record an outcome in the open period (the person starts a job; follow-up goes on)."""
    participant = participant_for_read(request, pk, "page:follow-up")
    require_follower(request)
    form = OutcomeRecordForm(request.POST, prefix="record")
    period = participant.active_period
    if period is None:
        raise Http404
    if form.is_valid():
        try:
            outcomes.outcome_record(period=period, by=request.user, **_outcome_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect("participants:follow_up", pk=participant.pk)
    return _follow_up_page(request, participant, record_form=form, status=400)


@login_required
@require_POST
def outcome_correct(request: AuthedRequest, pk: int, outcome_pk: int) -> HttpResponse:
    """Correct an outcome; its earlier values are kept and shown under it."""
    participant = participant_for_read(request, pk, "page:follow-up")
    require_follower(request)
    record = get_object_or_404(PeriodOutcome, pk=outcome_pk, period__participant=participant)
    form = OutcomeCorrectForm(request.POST, prefix=f"o{record.pk}")
    if form.is_valid():
        try:
            outcomes.outcome_correct(
                record=record,
                by=request.user,
                revision=form.cleaned_data["revision"],
                reason=form.cleaned_data["reason"],
                **_outcome_data(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome was corrected."))
            return redirect("participants:follow_up", pk=participant.pk)
    return _follow_up_page(request, participant, bound=form, bound_pk=record.pk, status=400)


@login_required
@require_POST
def outcome_propose(request: AuthedRequest, pk: int, placement_pk: int) -> HttpResponse:
    """The counselor confirms the outcome a placement ended in as the period's."""
    participant = participant_for_read(request, pk, "page:follow-up")
    require_follower(request)
    proposed = {p.pk: p for p in placement_queries.outcome_proposals(participant.active_period)}
    placement = proposed.get(placement_pk)
    if placement is None or participant.active_period is None or placement.end_date is None:
        raise Http404
    try:
        outcomes.outcome_record(
            period=participant.active_period,
            by=request.user,
            date=placement.end_date,
            outcome=placement.outcome,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The outcome was recorded."))
    return redirect("participants:follow_up", pk=participant.pk)


@login_required
@require_POST
def status_record(request: AuthedRequest, pk: int, status_pk: int) -> HttpResponse:
    """Record or correct a status after follow-up from the participant's record (a leader,
    or whoever may see the record)."""
    participant = participant_for_read(request, pk, "page:follow-up")
    require_follower(request)
    row = get_object_or_404(FollowUpStatus, pk=status_pk, period__participant=participant)
    form = _status_form(row, request.POST)
    if _status_save(request, row, form):
        return redirect("participants:follow_up", pk=participant.pk)
    return _follow_up_page(request, participant, bound=form, bound_pk=row.pk, status=400)


def _status_save(request: AuthedRequest, row: FollowUpStatus, form: StatusForm) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        outcomes.status_record(
            status=row,
            by=request.user,
            outcome=data["outcome"],
            as_of=data["as_of"],
            hours_per_week=data["hours_per_week"],
            wage_subsidy=data["wage_subsidy"],
            revision=data["revision"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("The status was recorded."))
    return True


# Statuses after follow-up for the period's last counselor, who no longer follows the person:
# only the name, the period and the form, each opening logged (the record stays closed).
STATUS_ACCESS_WHY = "status_after_follow_up"


@login_required
@require_GET
def statuses_to_record(request: AuthedRequest) -> HttpResponse:
    membership = require_follower(request)
    rows = queries.statuses_to_record(request.user, membership, timezone.localdate()).only(
        "due_on",
        "months",
        "period__start_date",
        "period__end_date",
        "period__participant__given_name",
        "period__participant__family_name",
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "participants/statuses.html", {"page": page})


@login_required
def status_to_record(request: AuthedRequest, status_pk: int) -> HttpResponse:
    membership = require_follower(request)
    row = get_object_or_404(
        queries.statuses_to_record(request.user, membership, timezone.localdate()), pk=status_pk
    )
    access_log_record(
        actor=request.user,
        participant=row.period.participant,
        what="page:status-after-follow-up",
        why=STATUS_ACCESS_WHY,
    )
    form = _status_form(row, request.POST if request.method == "POST" else None)
    if request.method == "POST" and _status_save(request, row, form):
        return redirect("participants:statuses")
    return render(
        request,
        "participants/status_form.html",
        {
            "row": row,
            "form": form,
            "recordable_from": row.due_on - datetime.timedelta(days=STATUS_EARLY_DAYS),
        },
        status=400 if request.method == "POST" else 200,
    )


def _after_write(request: AuthedRequest, participant: Participant) -> str:
    """Back to the record if the user may still see it (a reassignment can remove access)."""
    if Participant.objects.visible_to(request.user).filter(pk=participant.pk).exists():
        return reverse("participants:follow_up", kwargs={"pk": participant.pk})
    return reverse("participants:caseload")


@login_required
@require_GET
def participant_access_log(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = participant_for_write(request, pk)
    if not permissions.can_read_access_log(request.user, participant):
        raise PermissionDenied
    participant = participant_for_read(request, pk, "page:access-log")
    page = Paginator(access_log_for_participant(participant.pk), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participants/detail_access_log.html",
        {"participant": participant, "tab": "access_log", "page": page},
    )


@login_required
def bulk_reassign(request: AuthedRequest) -> HttpResponse:
    """A leader spreads a leaving counselor's caseload over colleagues, in one transaction."""
    membership = require_follower(request)
    if not membership.is_leader:
        raise PermissionDenied
    form = BulkReassignForm(request.POST or None, memberships=_assignable(membership))
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.counselor_bulk_reassign(
                leaving=data["leaving"].user,
                to=[m.user for m in data["to"]],
                by=request.user,
                reason=data["reason"],
                reason_text=data["reason_text"],
                handover_note=data["handover_note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            result = {
                "leaving": data["leaving"].user,
                "moved": sorted(moved.items(), key=lambda kv: kv[0].full_name),
            }
            result["total"] = sum(len(ps) for _u, ps in result["moved"])
    status = 400 if request.method == "POST" and result is None else 200
    return render(
        request, "participants/bulk_reassign.html", {"form": form, "result": result}, status=status
    )
