"""The upload page: an organisation's administrator imports an interchange folder into their
own organisation. Thin (STYLE.md 3): the door, one service, render."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.interchange import permissions
from samspill.interchange.forms import UploadForm
from samspill.interchange.report import ImportRejected
from samspill.interchange.services import interchange_import


@login_required
def upload(request: AuthedRequest) -> HttpResponse:
    membership = request.membership
    if not permissions.may_import(membership):
        raise PermissionDenied
    assert membership is not None
    form = UploadForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory(prefix="samspill-upload-") as folder:
            try:
                form.unpack(Path(folder))
                report = interchange_import(
                    folder=Path(folder), by=request.user, organisation=membership.organisation
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except ImportRejected as rejected:
                report = rejected.report
    if request.method == "POST" and (report is None or not report.ok):
        status = 400
    return render(
        request, "interchange/upload.html", {"form": form, "report": report}, status=status
    )
