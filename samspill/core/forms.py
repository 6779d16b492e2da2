import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.core.revisions import StaleRevision


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class RevisionMixin:
    """An edit form on a shared object carries the revision it was opened at (a hidden field,
    required), so the service can refuse a stale save (samspill/core/revisions.py). A model
    form adds it only when it edits an existing object; `revision=` gives it to a plain form.

    `private_fields` are named but never quoted in a conflict message (nor are long texts)."""

    private_fields: frozenset[str] = frozenset()

    def __init__(self, *args: Any, revision: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: Any = self
        instance = getattr(form, "instance", None)
        if revision is None and instance is not None and instance.pk:
            revision = instance.revision
        if revision is not None or form.is_bound and instance is None:
            form.fields["revision"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, initial=revision
            )


class PastDateMixin:
    """A date in the past where one is planned (a goal's target, the next follow-up) is more
    often a slip (2020 for 2026) than meant: the form says so and asks for a tick before it
    saves. Only a date given or changed in this save is questioned. The template shows the tick
    box where `past_warning` is set (core/past_date.html)."""

    past_date_fields: tuple[str, ...] = ()
    past_warning = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: Any = self
        form.fields["confirm_past"] = forms.BooleanField(
            label=gettext_lazy("Yes, the date is in the past"), required=False
        )

    def clean(self) -> dict[str, Any]:
        form: Any = self
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        today = timezone.localdate()
        for name in self.past_date_fields:
            value = cleaned.get(name)
            if value and value < today and name in form.changed_data:
                self.past_warning = True
                if not cleaned.get("confirm_past"):
                    form.add_error(
                        name,
                        _(
                            "%(date)s is in the past. If that is right, tick “Yes, the date is "
                            "in the past” and save again."
                        )
                        % {"date": date_format(value, "SHORT_DATE_FORMAT")},
                    )
        return cleaned


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return _("empty")
    model = getattr(getattr(field, "queryset", None), "model", None)
    if isinstance(field, forms.ModelChoiceField) and model and isinstance(value, model):
        return str(field.label_from_instance(value))
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _differs(mine: Any, theirs: Any) -> bool:
    if isinstance(theirs, models.Model) or isinstance(mine, models.Model):
        if mine is not None and theirs is not None and type(mine) is not type(theirs):
            return False  # not the same thing (a membership in the form, a user saved)
        return getattr(mine, "pk", mine) != getattr(theirs, "pk", theirs)
    return (mine if mine is not None else "") != (theirs if theirs is not None else "")


def add_conflict_error(form: forms.BaseForm, conflict: StaleRevision) -> None:
    """Tell the user that a colleague saved first and what is saved now where it differs from
    their form; their input stays, and the form now carries the current revision, so saving
    again (after a look) overwrites knowingly."""
    current = conflict.current
    data: Any = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
    data[form.add_prefix("revision")] = str(current.revision)
    form.data = data
    private: frozenset[str] = getattr(form, "private_fields", frozenset())
    differences = []
    for name, field in form.fields.items():
        if name == "revision" or not hasattr(current, name) or name not in form.cleaned_data:
            continue
        theirs = getattr(current, name)
        if not _differs(form.cleaned_data[name], theirs):
            continue
        if name in private or isinstance(field.widget, forms.Textarea):
            differences.append(str(field.label))
        else:
            differences.append(
                _("%(field)s (now: %(value)s)")
                % {"field": field.label, "value": _shown(field, theirs)}
            )
    if differences:
        message = _(
            "Someone else saved this while you were editing. What is saved now differs from "
            "your form in: %(fields)s. Your changes are still in the form and nothing was "
            "saved: check them, then save again."
        ) % {"fields": "; ".join(differences)}
    else:
        message = _(
            "Someone else saved a change here while you were editing. Nothing was saved: "
            "check the page as it is now, then try again."
        )
    form.add_error(None, message)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when the form has it."""
    if isinstance(error, StaleRevision):
        add_conflict_error(form, error)
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, _page_messages(error))


def _page_messages(error: ValidationError) -> list[str]:
    """The messages as the page shows them: one whose params carry a `link` (a URL) shows it
    as a real link, named by `link_text`; elsewhere (the API, a log) the plain text names the
    URL itself."""
    shown: list[str] = []
    for item in error.error_list:
        params = item.params if isinstance(item.params, dict) else {}
        if "link" not in params:
            shown.extend(item.messages)
            continue
        values = {name: conditional_escape(value) for name, value in params.items()}
        values["link"] = format_html(
            '<a href="{}">{}</a>', params["link"], params.get("link_text") or params["link"]
        )
        shown.append(mark_safe(conditional_escape(str(item.message)) % values))
    return shown
