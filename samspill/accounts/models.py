"""People who log in: staff, and later employer contacts, mentors and participants."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager["User"]):
    """Users log in with their e-mail address; there is no separate username."""

    use_in_migrations = True

    def _create_user_object(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who can log in. Identified by e-mail; the name is shown to colleagues."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email_reminders = models.BooleanField(
        _("send me reminders by e-mail"),
        default=False,
        help_text=_("One short e-mail a day listing what is due. Names are not included."),
    )
    # The OpenID Connect provider's `sub` for this person, stored at their first sign-in with it
    # (samspill/accounts/oidc.py): later sign-ins find them by it, not by e-mail address.
    oidc_subject = models.CharField(
        _("OpenID Connect subject"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ApiToken(models.Model):
    """A bearer token for integrations. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        # Never a secret starting with "-": its prefix is typed on the command line
        # (`samspill api_token revoke PREFIX`), where it would read as an option.
        secret = secrets.token_urlsafe(32)
        while secret.startswith("-"):
            secret = secrets.token_urlsafe(32)
        return "ssp_" + secret


class AuthThrottle(models.Model):
    """Failed attempts (at signing in, asking for a password reset, sending an API token) of
    one account or address in one fixed window. Kept in the database so that every web process
    counts the same attempts; `key` is a hash of what is counted, never the address itself.
    Rows whose window has passed mean nothing and are removed by the next count
    (samspill/accounts/throttle.py)."""

    key = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField(db_index=True)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("throttle count")
        verbose_name_plural = _("throttle counts")

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.failures}"


class IdempotentRequest(models.Model):
    """An API write sent with an `Idempotency-Key` header, and the answer it got, kept for
    24 hours so that a client retrying after a timeout gets the same answer instead of a second
    write (samspill/accounts/idempotency.py). `fingerprint` is a hash of the method, path and
    body: the same key with another request is refused. `status` is empty while the first
    request is still running."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotentrequest_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key[:20]}"
