from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.accounts import services
from samspill.accounts.forms import LoginForm, ResetForm
from samspill.accounts.oidc import end_session_url, oidc_enabled
from samspill.core.http import AuthedRequest


class SettingsForm(forms.Form):
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
    form = SettingsForm(data, initial={"email_reminders": request.user.email_reminders})
    if request.method == "POST" and form.is_valid():
        services.user_set_email_reminders(
            user=request.user, by=request.user, enabled=form.cleaned_data["email_reminders"]
        )
        messages.success(request, _("Your settings were saved."))
        return redirect("account_settings")
    return render(request, "accounts/settings.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's sign-in page with a throttled form (samspill/accounts/throttle.py)."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc_enabled": oidc_enabled()}


class LogoutView(auth_views.LogoutView):
    """Django's sign-out (POST only); after a sign-in with the organisation's account, the
    browser goes on to the provider to end its session too, when the provider offers that
    (accounts/oidc.py, `end_session_url`), and comes back to the login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_logout = end_session_url(request)  # before the session is flushed
        response: HttpResponse = super().post(request, *args, **kwargs)
        if provider_logout:
            return HttpResponseRedirect(provider_logout)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset page; the form counts requests by e-mail and client address."""

    form_class = ResetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}
