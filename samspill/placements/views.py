"""Staff pages of a placement: the agreement in steps, approvals, versions, follow-ups,
evaluations, certificate, ending and the chain. Every page fetches the placement through the
participant door (404 outside it) and logs the read."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest, redirect_next
from samspill.participants import permissions as participant_permissions
from samspill.participants.sharing import shared_with_workplace
from samspill.participants.views import require_follower
from samspill.placements import agreement_pdf, followups, queries, services
from samspill.placements import certificate as certificate_pdf
from samspill.placements.forms import (
    STEP_BY_SLUG,
    STEPS,
    ApproveForm,
    CancelForm,
    CertificateForm,
    ChangeForm,
    EndForm,
    EvaluationForm,
    FollowUpForm,
    MeetingForm,
    PlacementStartForm,
    mentors_at,
)
from samspill.placements.models import Evaluation, Party, Placement, Status


def _placement(request: AuthedRequest, pk: int, what: str = "placement") -> Placement:
    """The placement through the participant door, or 404; the read is logged."""
    require_follower(request)
    placement = queries.placement_for_staff(request.user, pk)
    if placement is None:
        raise Http404
    _log_read(request, placement, what)
    return placement


def _log_read(request: AuthedRequest, placement: Placement, what: str) -> None:
    why = participant_permissions.relationship_to(request.user, placement.participant)
    assert why is not None
    access_log_record(actor=request.user, participant=placement.participant, what=what, why=why)


def _render(
    request: AuthedRequest,
    template: str,
    placement: Placement,
    http_status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {"placement": placement, "participant": placement.participant, **extra}
    return render(request, template, context, status=http_status)


def _form_page(
    request: AuthedRequest,
    placement: Placement,
    form: Any,
    *,
    title: str,
    submit: str,
    status: int = 200,
    intro: str = "",
    conflict: Placement | None = None,
) -> HttpResponse:
    return _render(
        request,
        "placements/form.html",
        placement,
        http_status=status,
        form=form,
        title=title,
        submit=submit,
        intro=intro,
        conflict=conflict,
    )


def _form_view(
    request: AuthedRequest,
    placement: Placement,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    then: Callable[[dict[str, Any]], HttpResponse] | None = None,
    **page: Any,
) -> HttpResponse:
    """The shape every form on a placement shares: on a valid POST call the service, say so
    and go on (to the agreement page unless `then` says otherwise); a rule broken in the
    service shows on the form, with the user's input, as a 400."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            if then is not None:
                return then(form.cleaned_data)
            return redirect("placements:detail", pk=placement.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, placement, form, status=status, **page)


# The access log's reason for the employer's contact person reading a placement there.
CONTACT_PERSON = "employer_contact_person"


def _contact_person_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The placement as the employer's contact person sees it when they do not follow the
    participant: what the participant shares with the workplace, as the portal shows it."""
    placement = queries.placement_for_contact_person(request.user, pk)
    if placement is None:
        raise Http404
    access_log_record(
        actor=request.user, participant=placement.participant, what="placement", why=CONTACT_PERSON
    )
    shared = shared_with_workplace([placement.participant_id])[placement.participant_id]
    rows = services.content_rows(placement)
    if not shared.accommodations:
        rows = [row for row in rows if row["name"] != "accommodations"]
    return _render(
        request,
        "placements/contact_person.html",
        placement,
        shared=shared,
        content_rows=rows,
        status=placement.status,
        Status=Status,
        page=queries.agreement_page(placement),
        parties=Party,
        concerns=list(
            placement.concerns.filter(handled_at__isnull=True)
            .select_related("raised_by")
            .order_by("created_at", "id")[:20]
        ),
    )


@login_required
@require_GET
def placement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_follower(request)
    placement = queries.placement_for_staff(request.user, pk)
    if placement is None:
        return _contact_person_page(request, pk)
    _log_read(request, placement, "placement")
    page = queries.agreement_page(placement)
    today = timezone.localdate()
    status = placement.status_on(today)
    is_counselor = placement.participant.counselor_id == request.user.pk
    signers = queries.employer_signers(placement) if not placement.is_locked else []
    # The counselor approves last (the service refuses earlier): no button before then.
    counselor_waits_for = [
        str(party.label).lower()
        for party in (Party.PARTICIPANT, Party.EMPLOYER)
        if party not in page.approvals
    ]
    return _render(
        request,
        "placements/detail.html",
        placement,
        page=page,
        status=status,
        Status=Status,
        steps=STEPS,
        content_rows=services.content_rows(placement),
        chain_outcomes=services.CHAIN_OUTCOMES,
        missing=placement.missing_for_approval() if not placement.is_locked else [],
        signers=signers,
        approvers=[s.contact for s in signers if s.can_approve],
        is_counselor=is_counselor,
        counselor_waits_for=counselor_waits_for,
        approve_form=ApproveForm(
            initial={"revision": placement.revision, "party": Party.PARTICIPANT}
        ),
        today=today,
        evaluation_kinds=Evaluation.Kind,
        parties=Party,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    """One step of the draft agreement; saving goes on to the next step."""
    placement = _placement(request, pk, what="placement agreement")
    if step not in STEP_BY_SLUG:
        raise Http404
    if placement.is_locked or placement.cancelled_at is not None:
        messages.info(request, _("This agreement is approved; change it with a new version."))
        return redirect("placements:detail", pk=pk)
    form_class = STEP_BY_SLUG[step].form
    form = form_class(request.POST or None, instance=placement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            _placement_saved, cleared = services.agreement_update(
                placement=placement,
                by=request.user,
                revision=form.cleaned_data["revision"],
                **form.changes(),
            )
        except services.ConflictError:
            conflict = queries.placement_for_staff(request.user, pk)
            assert conflict is not None
            data = request.POST.copy()
            data["revision"] = str(conflict.revision)
            form = form_class(data, instance=conflict)
            form.is_valid()
            messages.error(
                request,
                _(
                    "Someone else saved this agreement while you were writing. Your text is "
                    "kept below and their version is shown beside it; save again to keep yours."
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if cleared:
                messages.warning(
                    request,
                    _("The content changed, so the approvals given so far were cleared."),
                )
            slugs = [s.slug for s in STEPS]
            index = slugs.index(step)
            if index + 1 < len(slugs):
                return redirect("placements:step", pk=pk, step=slugs[index + 1])
            messages.success(request, _("The agreement is saved."))
            return redirect("placements:detail", pk=pk)
    return _render(
        request,
        "placements/step.html",
        placement,
        http_status=400 if request.method == "POST" else 200,
        form=form,
        step=STEP_BY_SLUG[step],
        steps=STEPS,
        conflict=conflict,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk, what="placement agreement")
    instance = getattr(placement, "expectation_meeting", None)
    return _form_view(
        request,
        placement,
        MeetingForm(request.POST or None, instance=instance),
        lambda data: services.expectation_meeting_record(
            placement=placement, by=request.user, **data
        ),
        success=_("The expectation meeting is recorded."),
        title=_("Expectation meeting"),
        submit=_("Save the meeting"),
        intro=_(
            "Before the start, the participant, the employer, the mentor and we go through the "
            "agreement together, so everyone knows what to expect."
        ),
    )


@login_required
@require_POST
def send_for_approval(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send the complete agreement to the parties; the page then says who approves and how."""
    placement = _placement(request, pk, what="placement agreement")
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        messages.error(request, _("The agreement could not be sent; try again."))
        return redirect("placements:detail", pk=pk)
    try:
        services.agreement_send_for_approval(
            placement=placement, by=request.user, revision=revision
        )
    except services.ConflictError:
        messages.error(
            request, _("The agreement changed after you opened it. Read it again, then send it.")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agreement is sent for approval."))
    return redirect("placements:detail", pk=pk)


@login_required
@require_POST
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    """The counselor approves (last), or approves on the participant's behalf with a reason."""
    placement = _placement(request, pk, what="placement agreement")
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The approval could not be read; try again."))
        return redirect("placements:detail", pk=pk)
    party = form.cleaned_data["party"]
    if party == Party.EMPLOYER:
        raise PermissionDenied  # the employer approves in the portal
    if party == Party.COUNSELOR and placement.participant.counselor_id != request.user.pk:
        raise PermissionDenied
    try:
        services.agreement_approve(
            placement=placement,
            by=request.user,
            party=party,
            revision=form.cleaned_data["revision"],
            on_behalf_reason=form.cleaned_data["on_behalf_reason"],
        )
    except services.ConflictError:
        messages.error(
            request,
            _("The agreement changed after you opened it. Read it again, then approve."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your approval is recorded."))
    return redirect("placements:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def change(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change an approved agreement: extend, shorten or change content, as a new version."""
    placement = _placement(request, pk, what="placement agreement")
    if not placement.is_locked:
        return redirect("placements:step", pk=pk, step=STEPS[0].slug)
    form = ChangeForm(request.POST or None, instance=placement)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            version = services.agreement_change(
                placement=placement,
                by=request.user,
                revision=form.cleaned_data["revision"],
                reason=form.cleaned_data["reason"],
                **form.changes(),
            )
        except services.ConflictError:
            conflict = queries.placement_for_staff(request.user, pk)
            assert conflict is not None
            data = request.POST.copy()
            data["revision"] = str(conflict.revision)
            form = ChangeForm(data, instance=conflict)
            form.is_valid()
            messages.error(
                request,
                _(
                    "Someone else changed this agreement while you were writing. Your text is "
                    "kept below; check the current version, then save again."
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)d of the agreement is made.") % {"number": version.number},
            )
            return redirect("placements:detail", pk=pk)
    return _form_page(
        request,
        placement,
        form,
        title=_("Change the agreement"),
        submit=_("Make a new version"),
        status=400 if request.method == "POST" else 200,
        intro=_(
            "The agreement is approved by all. A change makes a new numbered version; the "
            "earlier versions are kept and can be compared."
        ),
        conflict=conflict,
    )


@login_required
@require_GET
def agreement_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """The agreement as PDF: the newest version (or `?version=N`), the draft before approval."""
    placement = _placement(request, pk, what="placement agreement pdf")
    versions = {v.number: v for v in queries.agreement_page(placement).versions}
    version = versions[max(versions)] if versions else None
    if "version" in request.GET:
        try:
            version = versions[int(request.GET["version"])]
        except (KeyError, ValueError):
            raise Http404 from None
    response = HttpResponse(
        agreement_pdf.as_bytes(placement, version), content_type="application/pdf"
    )
    name = agreement_pdf.filename(placement, version)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def compare(request: AuthedRequest, pk: int) -> HttpResponse:
    """Two versions of the agreement side by side, with the differences marked."""
    placement = _placement(request, pk, what="placement agreement")
    versions = {v.number: v for v in queries.agreement_page(placement).versions}
    if not versions:
        raise Http404
    try:
        left = versions[int(request.GET.get("a", 1))]
        right = versions[int(request.GET.get("b", max(versions)))]
    except (KeyError, ValueError):
        raise Http404 from None
    rows = services.compare_versions(left.content, right.content)
    return _render(
        request,
        "placements/compare.html",
        placement,
        left=left,
        right=right,
        rows=rows,
        versions=sorted(versions.values(), key=lambda v: v.number),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    return _form_view(
        request,
        placement,
        CancelForm(request.POST or None),
        lambda data: services.placement_cancel(
            placement=placement, by=request.user, reason=data["reason"], note=data["note"]
        ),
        success=_("The placement is cancelled."),
        title=_("Cancel the placement"),
        submit=_("Cancel the placement"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def end(request: AuthedRequest, pk: int) -> HttpResponse:
    """End a placement with its outcome, then offer the next step of the chain."""
    placement = _placement(request, pk)

    def then(data: dict[str, Any]) -> HttpResponse:
        if data["outcome"] in services.CHAIN_OUTCOMES:
            return redirect("placements:next", pk=pk)
        return redirect("placements:detail", pk=pk)

    return _form_view(
        request,
        placement,
        EndForm(request.POST or None, initial={"ended_on": timezone.localdate()}),
        lambda data: services.placement_end(placement=placement, by=request.user, **data),
        success=_("The placement has ended."),
        then=then,
        title=_("End the placement"),
        submit=_("End the placement"),
        intro=_("What happens next? The outcome is counted in the statistics."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def next_placement(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start the next placement of the chain with the content carried over."""
    placement = _placement(request, pk)
    initial = services.next_placement_initial(placement)
    form = PlacementStartForm(
        request.POST or None,
        initial=initial,
        mentors=mentors_at(placement.employer_id),
        country=placement.participant.organisation.country,
    )
    if request.method == "POST" and form.is_valid():
        carried = {
            name: value
            for name, value in initial.items()
            if name not in form.cleaned_data and name != "mentor"
        }
        try:
            created = services.placement_create(
                participant=placement.participant,
                employer=placement.employer,
                by=request.user,
                previous=placement,
                **form.cleaned_data,
                **carried,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The next placement is drafted; check the agreement."))
            return redirect("placements:detail", pk=created.pk)
    return _form_page(
        request,
        placement,
        form,
        title=_("Start the next placement"),
        submit=_("Draft the next placement"),
        status=400 if request.method == "POST" else 200,
        intro=_(
            "The job, goals, expectations and mentor carry over from this placement; you can "
            "change them in the new agreement."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    initial = {"held_on": timezone.localdate(), "counselor_present": True}
    return _form_view(
        request,
        placement,
        FollowUpForm(request.POST or None, initial=initial),
        lambda data: followups.follow_up_log(placement=placement, by=request.user, **data),
        success=_("The follow-up is logged."),
        title=_("Log a follow-up"),
        submit=_("Log the follow-up"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    placement = _placement(request, pk)
    if kind not in Evaluation.Kind.values:
        raise Http404
    form = EvaluationForm(
        request.POST or None,
        instance=placement.evaluations.filter(kind=kind).first(),
        initial={"held_on": timezone.localdate(), "tasks_mastered": placement.tasks},
    )
    return _form_view(
        request,
        placement,
        form,
        lambda data: followups.evaluation_save(
            placement=placement, by=request.user, kind=kind, **data
        ),
        success=_("The evaluation is saved."),
        title=str(Evaluation.Kind(kind).label),
        submit=_("Save the evaluation"),
        intro=_(
            "Written by the counselor and the mentor together with the participant, who can "
            "read it."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Draft the certificate and ask the employer contact to approve it."""
    placement = _placement(request, pk)
    issued = getattr(placement, "certificate", None)
    if issued is not None and issued.is_issued:
        # Final: no form that the service would refuse; the placement's page has the PDF.
        messages.info(request, _("The certificate is already issued."))
        return redirect("placements:detail", pk=pk)
    form = CertificateForm(
        request.POST or None,
        instance=getattr(placement, "certificate", None),
        initial=followups.certificate_initial(placement),
    )
    return _form_view(
        request,
        placement,
        form,
        lambda data: followups.certificate_request(placement=placement, by=request.user, **data),
        success=_("The employer contact is asked to approve the certificate."),
        title=_("Certificate"),
        submit=_("Ask the employer to approve"),
        intro=_(
            "The certificate names the employer, us, the period, the tasks and a short "
            "assessment. It is issued when the employer contact has approved it."
        ),
    )


@login_required
@require_GET
def certificate_download(request: AuthedRequest, pk: int) -> FileResponse:
    placement = _placement(request, pk, what="certificate")
    issued = getattr(placement, "certificate", None)
    if issued is None or not issued.is_issued:
        raise Http404
    return certificate_response(issued)


def certificate_response(issued: Any) -> FileResponse:
    return FileResponse(
        certificate_pdf.as_bytes_io(issued),
        as_attachment=True,
        filename=certificate_pdf.filename(issued),
        content_type="application/pdf",
    )


@login_required
@require_POST
def concern_handle(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff mark a concern from a workplace as handled."""
    membership = request.membership
    if not membership or not membership.follows_participants:
        raise PermissionDenied
    concern = queries.concern_for_staff(request.user, pk)
    if concern is None:
        raise Http404
    try:
        followups.concern_handle(concern=concern, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The concern was marked as handled."))
    return redirect_next(request, "followup:today")
