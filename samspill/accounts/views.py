from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.accounts import services
from samspill.accounts.forms import LoginForm, ResetForm
from samspill.accounts.oidc import oidc_enabled
from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest


class SettingsForm(forms.Form):
    email_reminders = forms.BooleanField(
        label=gettext_lazy("Send me reminders by e-mail"),
        required=False,
        help_text=gettext_lazy(
            "One short e-mail a day with how many things are due. Names are never included."
        ),
    )
    phone = forms.CharField(
        label=gettext_lazy("Work phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy(
            "Shown with your name to your participants and to the employers you are the "
            "contact person for, so that they know whom to call."
        ),
    )

    def __init__(self, *args: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:  # an employer's or a participant's own login: their phone lives elsewhere
            del self.fields["phone"]


@login_required
def account_settings(request: AuthedRequest) -> HttpResponse:
    # An unticked checkbox sends an empty POST, which must still count as a submission.
    data = request.POST if request.method == "POST" else None
    user = request.user
    form = SettingsForm(
        data,
        initial={"email_reminders": user.email_reminders, "phone": user.phone},
        staff=bool(request.membership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if "phone" in form.fields:
                services.user_set_phone(user=user, by=user, phone=form.cleaned_data["phone"])
            services.user_set_email_reminders(
                user=user, by=user, enabled=form.cleaned_data["email_reminders"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your settings were saved."))
            return redirect("account_settings")
    return render(request, "accounts/settings.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's sign-in page with a throttled form (samspill/accounts/throttle.py)."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc_enabled": oidc_enabled()}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset page; the form counts requests by e-mail and client address."""

    form_class = ResetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}
