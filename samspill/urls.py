from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samspill.accounts import oidc
from samspill.accounts import views as account_views
from samspill.api import api
from samspill.core import health
from samspill.core import views as core_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", core_views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("oidc/start/", oidc.StartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", account_views.account_settings, name="account_settings"),
    path("participants/", include("samspill.participants.urls")),
    path("employers/", include("samspill.employers.urls")),
    path("employers/coordination/", include("samspill.employers.urls_coordination")),
    path("matching/", include("samspill.matching.urls")),
    path("portal/", include("samspill.portal.urls")),
    path("", include("samspill.selfservice.urls")),
    path("placements/", include("samspill.placements.urls")),
    path("loops/", include("samspill.loops.urls")),
    path("loops/", include("samspill.loops.urls_partners")),
    path("loops/", include("samspill.loops.urls_selection")),
    path("loops/", include("samspill.loops.urls_meetings")),
    path("loops/", include("samspill.loops.urls_evaluation")),
    path("", include("samspill.followup.urls")),
    path("referrals/", include("samspill.referrals.urls")),
    path("workshops/", include("samspill.workshops.urls")),
    path("interchange/", include("samspill.interchange.urls")),
    path("insights/", include("samspill.insights.urls")),
    path("organisation/", include("samspill.organisations.urls")),
    path("privacy/", include("samspill.privacy.urls")),
    path("learning/", include("samspill.learning.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Pages get the layout's error pages, /api/ gets JSON (samspill/core/errors.py).
handler400 = "samspill.core.errors.bad_request"
handler403 = "samspill.core.errors.permission_denied"
handler404 = "samspill.core.errors.page_not_found"
handler500 = "samspill.core.errors.server_error"
