"""One-time links for choosing a password: invitations (staff, portal) and the first
administrator's link. Django's token generator signs the user's password hash, so a link stops
working once a password is chosen, and after PASSWORD_RESET_TIMEOUT."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from samspill.accounts.models import User


def one_time_link(user: User, viewname: str) -> str:
    """The absolute address of `viewname` (taking `uidb64` and `token`) for `user`."""
    kwargs = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return settings.SITE_URL.rstrip("/") + reverse(viewname, kwargs=kwargs)


def user_from_link(uidb64: str, token: str) -> User | None:
    """The user a link was made for, or None when it is forged, used or too old."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None
