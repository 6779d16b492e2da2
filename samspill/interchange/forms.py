"""The upload form: a zip of an interchange folder, or its files."""

import zipfile
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.interchange import format as fmt

# An upload is for an organisation moving in with its history, not for a million participants
# (that is `samspill import` on the server).
MAX_UNPACKED = 500 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    upload = MultipleFileField(
        label=gettext_lazy("Interchange files"),
        help_text=gettext_lazy(
            "A zip of the folder, or interchange.json and the CSV files (docs/interchange.md)."
        ),
    )

    def unpack(self, folder: Path) -> None:
        """Write the uploaded files into `folder`; a form error for anything else."""
        written = 0
        for upload in self.cleaned_data["upload"]:
            name = Path(upload.name or "").name
            if name.endswith(".zip"):
                written += _unzip(upload, folder)
            elif name in fmt.FILENAMES:
                with open(folder / name, "wb") as target:
                    for chunk in upload.chunks():
                        target.write(chunk)
                written += 1
            else:
                raise ValidationError(
                    _("“%(name)s” is not a file of the interchange format.") % {"name": name}
                )
        if not written:
            raise ValidationError(_("The upload holds no interchange files."))


def _unzip(upload: UploadedFile, folder: Path) -> int:
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise ValidationError(_("The zip file cannot be read.")) from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise ValidationError(_("The zip file is too large for an upload; use samspill import."))
    written = 0
    for member in members:
        # Only the format's file names, wherever they sit in the zip: nothing else is unpacked.
        name = Path(member.filename).name
        if name in fmt.FILENAMES:
            (folder / name).write_bytes(archive.read(member))
            written += 1
    return written
