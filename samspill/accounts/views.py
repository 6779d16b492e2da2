from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
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
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy(
            "Shown where you are the one person to call: to the employers you are the contact "
            "person for, and to your participants."
        ),
    )
    email_reminders = forms.BooleanField(
        label=gettext_lazy("Send me reminders by e-mail"),
        required=False,
        help_text=gettext_lazy(
            "One short e-mail a day with how many things are due. Names are never included."
        ),
    )


@login_required
def account_settings(request: AuthedRequest) -> HttpResponse:
    # An unticked checkbox sends an empty POST, which must still count as a submission.
    data = request.POST if request.method == "POST" else None
    form = SettingsForm(
        data,
        initial={"email_reminders": request.user.email_reminders, "phone": request.user.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.user_set_phone(
                    user=request.user, by=request.user, phone=form.cleaned_data["phone"]
                )
                services.user_set_email_reminders(
                    user=request.user,
                    by=request.user,
                    enabled=form.cleaned_data["email_reminders"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your settings were saved."))
            return redirect("account_settings")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/settings.html", {"form": form}, status=status)


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
