from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samspill.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from samspill.accounts.checks import staff_sign_in
        from samspill.accounts.sessions import note_sign_in

        # The session is written at sign-in anyway: note the time there, not at the next page.
        user_logged_in.connect(note_sign_in, dispatch_uid="samspill.accounts.note_sign_in")
        checks.register(staff_sign_in, checks.Tags.security)
