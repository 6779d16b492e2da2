"""A loop's evaluation and the comparison of loops (evaluation.py).

The driver's side (staff who follow participants, the loop's external driver): the evaluation
page, opening and closing it, the young people's outcomes and their answers recorded with
them. The portal side (an employer contact, a mentor, a young person with their own login):
their open evaluations and their own questionnaire. The comparison of loops is the driver's
side's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samspill.audit.services import access_log_record
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.loops import drivers, evaluation
from samspill.loops.forms_evaluation import (
    EvaluationAnswerForm,
    EvaluationCloseForm,
    EvaluationOutcomeForm,
    labels_for,
)
from samspill.loops.models import EvaluationAnswer, Loop, LoopEvaluation
from samspill.participants.models import Outcome
from samspill.portal.permissions import portal_contact, portal_participant


def _page(
    request: AuthedRequest,
    loop: Loop,
    *,
    status: int = 200,
    close_form: EvaluationCloseForm | None = None,
    outcome_form: EvaluationOutcomeForm | None = None,
) -> HttpResponse:
    view = evaluation.evaluation_view(loop, request.user)
    current = view.evaluation
    if close_form is None and current is not None:
        close_form = EvaluationCloseForm(
            initial={"summary": current.summary, "revision": current.revision}
        )
    return render(
        request,
        "loops/evaluation.html",
        {
            "loop": loop,
            "view": view,
            "evaluation": current,
            "opens_on": evaluation.opens_on(loop),
            "ends_on": evaluation.loop_end(loop),
            "close_form": close_form,
            "outcome_form": outcome_form,
            "outcomes": Outcome.choices,
            "outcome_labels": dict(Outcome.choices),
            "workplace_labels": labels_for(EvaluationAnswer.Respondent.EMPLOYER),
            "youth_labels": labels_for(EvaluationAnswer.Respondent.YOUTH),
            "partner": drivers.loop_partner(request.user),
        },
        status=status,
    )


@login_required
@require_GET
def evaluation_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, evaluation.evaluation_loop(request.user, pk))


@login_required
@require_POST
def evaluation_open(request: AuthedRequest, pk: int) -> HttpResponse:
    loop = evaluation.evaluation_loop(request.user, pk)
    try:
        evaluation.evaluation_open(loop=loop, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _page(request, loop, status=400)
    messages.success(request, _("The evaluation is open. The workplaces were asked by e-mail."))
    return redirect("loop_evaluation:page", pk=loop.pk)


def _current(loop: Loop) -> LoopEvaluation:
    current = evaluation.evaluation_of(loop)
    if current is None:
        raise Http404
    return current


@login_required
@require_POST
def evaluation_close(request: AuthedRequest, pk: int) -> HttpResponse:
    loop = evaluation.evaluation_loop(request.user, pk)
    current = _current(loop)
    form = EvaluationCloseForm(request.POST)
    if form.is_valid():
        try:
            evaluation.evaluation_close(
                evaluation=current,
                by=request.user,
                summary=form.cleaned_data["summary"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluation was closed."))
            return redirect("loop_evaluation:page", pk=loop.pk)
    return _page(request, loop, status=400, close_form=form)


@login_required
@require_POST
def evaluation_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    loop = evaluation.evaluation_loop(request.user, pk)
    current = _current(loop)
    form = EvaluationOutcomeForm(request.POST)
    if form.is_valid():
        participant = evaluation.youth_for_staff(
            request.user, loop, form.cleaned_data["participant"]
        )
        try:
            evaluation.evaluation_outcome_record(
                evaluation=current,
                participant=participant,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome was saved."))
            return redirect("loop_evaluation:page", pk=loop.pk)
    return _page(request, loop, status=400, outcome_form=form)


def _questionnaire(
    request: AuthedRequest,
    *,
    loop: Loop,
    current: LoopEvaluation,
    kind: str,
    answer: EvaluationAnswer | None,
    save: object,
    done: str,
    **context: object,
) -> HttpResponse:
    form = EvaluationAnswerForm.for_answer(request.POST or None, kind=kind, answer=answer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save(  # type: ignore[operator]
                worked=data["worked"],
                supported=data["supported"],
                again=data["again"],
                went_well=data["went_well"],
                change=data["change"],
                revision=data["revision"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your answers were saved."))
            return redirect(done)
    return render(
        request,
        "loops/evaluation_answer.html",
        {"loop": loop, "evaluation": current, "form": form, "answer": answer, "kind": kind}
        | context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def youth_answer(request: AuthedRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Staff who may open a young person record the young person's answers with them."""
    loop = evaluation.evaluation_loop(request.user, pk)
    current = _current(loop)
    participant = evaluation.youth_for_staff(request.user, loop, participant_pk)
    access_log_record(
        actor=request.user, participant=participant, what="page:loop_evaluation", why="loop"
    )
    answer = current.answers.filter(participant=participant).first()

    def save(**data: object) -> None:
        evaluation.evaluation_answer(
            evaluation=current,
            by=request.user,
            participant=participant,
            **data,  # type: ignore[arg-type]
        )

    return _questionnaire(
        request,
        loop=loop,
        current=current,
        kind=EvaluationAnswer.Respondent.YOUTH,
        answer=answer,
        save=save,
        done=reverse("loop_evaluation:page", args=[loop.pk]),
        participant=participant,
    )


@login_required
@require_http_methods(["GET", "POST"])
def own_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """An employer contact, a mentor or a young person answers their own questionnaire."""
    respondent = evaluation.own_respondent(request.user, pk)
    answer = respondent.answer()

    def save(**data: object) -> None:
        evaluation.evaluation_answer(
            evaluation=respondent.evaluation,
            by=request.user,
            contact=respondent.contact,
            participant=respondent.participant,
            **data,  # type: ignore[arg-type]
        )

    return _questionnaire(
        request,
        loop=respondent.loop,
        current=respondent.evaluation,
        kind=respondent.kind,
        answer=answer,
        save=save,
        done=reverse("loop_evaluation:mine"),
        own=True,
    )


@login_required
@require_GET
def own_evaluations(request: AuthedRequest) -> HttpResponse:
    """A portal user's open evaluations: the loops they were in."""
    if portal_contact(request.user) is None and portal_participant(request.user) is None:
        raise PermissionDenied
    respondents = evaluation.own_evaluations(request.user)
    answered = set(
        EvaluationAnswer.objects.filter(
            evaluation__in=[r.evaluation for r in respondents],
            recorded_by=request.user,
        ).values_list("evaluation_id", flat=True)
    )
    return render(
        request,
        "loops/evaluations_mine.html",
        {"rows": [(r, r.evaluation.pk in answered) for r in respondents]},
    )


@login_required
@require_GET
def comparison(request: AuthedRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    loops = evaluation.comparison_loops(request.user, mine=mine)
    return render(
        request,
        "loops/evaluation_compare.html",
        {
            "rows": evaluation.compare(loops),
            "mine": mine,
            "partner": drivers.loop_partner(request.user),
        },
    )
