"""Who may move data in and out: an organisation's administrators."""

from samspill.organisations.models import Membership


def may_import(membership: Membership | None) -> bool:
    return bool(membership) and membership is not None and membership.is_admin
