"""`samspill organisation_create`: a platform operator makes an organisation with its first
administrator from the command line (Django admin writes nothing), with an audit event, and
the administrator chooses a password from a one-time link."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.admin_site import is_platform_operator
from samspill.organisations.models import Membership, Organisation

ARGS = {
    "name": "Jobbhuset AS",
    "kind": "inclusion_company",
    "country": "NO",
    "admin_email": "Siri@Jobbhuset.no",
    "admin_name": "Siri Strand",
}


def create(**changes: str) -> str:
    options = {**ARGS, **changes}
    out = io.StringIO()
    call_command(
        "organisation_create",
        *(f"--{key.replace('_', '-')}={value}" for key, value in options.items()),
        stdout=out,
    )
    return out.getvalue()


def counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_it_creates_the_organisation_with_its_first_administrator_and_audits_it(db):
    create()

    organisation = Organisation.objects.get()
    membership = Membership.objects.select_related("user").get()
    assert (organisation.name, organisation.kind, organisation.country) == (
        "Jobbhuset AS",
        Organisation.Kind.INCLUSION_COMPANY,
        "NO",
    )
    assert (membership.organisation, membership.role, membership.is_active) == (
        organisation,
        Membership.Role.ADMIN,
        True,
    )
    administrator = membership.user
    assert (administrator.email, administrator.full_name) == ("Siri@jobbhuset.no", "Siri Strand")
    assert not administrator.has_usable_password()
    assert (administrator.is_staff, administrator.is_superuser) == (False, False)
    assert not is_platform_operator(administrator)
    events = AuditEvent.objects.filter(organisation=organisation).order_by("id")
    assert [event.action for event in events] == ["organisation.created", "membership.created"]
    assert events[1].data == {"user": administrator.pk, "role": "admin"}


def test_the_administrator_chooses_a_password_from_the_printed_link(db):
    out = create()
    link = re.search(r"http\S+/password-reset/\S+/", out)
    assert link is not None
    path = link.group(0).split("8000", 1)[-1]
    client = Client()

    form = client.get(path, follow=True)
    chosen = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-42", "new_password2": "a-long-new-password-42"},
    )

    assert chosen.status_code == 302
    assert Client().login(username="Siri@jobbhuset.no", password="a-long-new-password-42")
    assert client.get(path, follow=True).context["validlink"] is False


def test_an_e_mail_address_that_already_has_an_account_is_refused(db, counselor):
    before = counts()

    with pytest.raises(
        CommandError, match="--admin-email: This e-mail address already belongs to another account"
    ):
        create(admin_email=counselor.email.upper())

    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "--name: This field cannot be blank"),
        ({"admin_name": ""}, "--admin-name: This field cannot be blank"),
        ({"admin_email": "not-an-address"}, "--admin-email: Enter a valid email address"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(db, changes, message):
    with pytest.raises(CommandError, match=message):
        create(**changes)

    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("changes", [{"kind": "bank"}, {"country": "SE"}])
def test_an_unknown_kind_or_country_is_refused(db, changes):
    with pytest.raises(CommandError, match="invalid choice"):
        create(**changes)

    assert counts() == (0, 0, 0, 0)
