"""Writes to a user's own settings (STYLE.md 2)."""

from django.db import transaction

from samspill.accounts.models import User
from samspill.audit.services import audit_record
from samspill.organisations.queries import membership_for_user


@transaction.atomic
def user_set_email_reminders(*, user: User, by: User, enabled: bool) -> User:
    user.email_reminders = enabled
    user.save(update_fields=["email_reminders"])
    membership = membership_for_user(user)
    if membership is not None:
        audit_record(
            actor=by,
            organisation_id=membership.organisation_id,
            action="user.reminders_changed",
            obj=user,
            data={"email_reminders": enabled},
        )
    return user
