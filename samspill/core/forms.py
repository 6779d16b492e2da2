from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
