"""Loop partners outside the staff (issue 22, item 1): the external driver and NAV's loop
coordinator. Their door and their writes.

Who sees what (the one door for them; every page and API route asks here):
- A loop partner is an active `LoopPartner` whose user has no active membership: no staff
  page, caseload, participant record or insight opens for them (those doors ask for a
  membership), and a loop outside their own `loops` is a 404.
- The external driver sees their loops, their loops' current employers (name, mentor, the
  driver's selection notes) and the gatherings of their loops. Of a candidate, only what the
  employer portal would show (portal/permissions.py): nothing at all without a signed
  confidentiality declaration; with it, the candidates invited to or proposed for their
  gatherings, and of each only what the participant shares with the workplace (the name only
  with consent to share contact details). Every such read is in the person's access log.
- The driver invites to their gatherings the candidates the organisation's staff proposed
  (`GatheringNomination`) and the contacts of their loops' employers; nobody else.
- NAV's loop coordinator sees the NAV side of their loops: the loop, its dates and gatherings,
  how many seats are filled (never who sits in them) and the young people they referred
  themselves, with what became of the referral. Nobody else's case.
- The organisation's administrator or coordinator invites partners, records their
  declaration and gives them loops. Another organisation's partner is a 404 to them.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounts.links import one_time_link
from samspill.accounts.models import User
from samspill.audit.services import access_log_record, audit_record
from samspill.core.revisions import count_save
from samspill.employers.models import Employer, EmployerContact
from samspill.loops import services as loop_services
from samspill.loops.models import (
    Gathering,
    GatheringInvitation,
    GatheringNomination,
    Loop,
    LoopEmployer,
    LoopPartner,
    LoopReferral,
)
from samspill.organisations.models import Membership, Organisation
from samspill.organisations.queries import membership_for_user
from samspill.outbox.services import outbox_put
from samspill.participants.models import Participant
from samspill.participants.sharing import Shared, shared_with_workplace
from samspill.referrals import services as referral_services
from samspill.referrals.models import Referral, Source

# Roles that invite partners and give them loops.
MANAGERS = (Membership.Role.ADMIN, Membership.Role.COORDINATOR)


# The door


def loop_partner(user: Any) -> LoopPartner | None:
    """The user's active loop-partner record, or None (staff never count as partners)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_samspill_loop_partner"):
        cached: LoopPartner | None = user._samspill_loop_partner
        return cached
    partner = (
        LoopPartner.objects.select_related("organisation", "user")
        .filter(user_id=user.pk, is_active=True)
        .first()
    )
    if partner is not None and membership_for_user(user) is not None:
        partner = None
    user._samspill_loop_partner = partner
    return partner


def partner_loops(partner: LoopPartner) -> QuerySet[Loop]:
    return Loop.objects.filter(partners=partner, organisation_id=partner.organisation_id)


def partner_gatherings(partner: LoopPartner) -> QuerySet[Gathering]:
    return Gathering.objects.filter(loop__partners=partner, organisation_id=partner.organisation_id)


def driver_members(partner: LoopPartner) -> QuerySet[LoopEmployer]:
    """The current employers of the driver's loops (none for NAV's coordinator)."""
    if not partner.is_driver:
        return LoopEmployer.objects.none()
    return LoopEmployer.objects.filter(
        loop__partners=partner,
        loop__organisation_id=partner.organisation_id,
        replaced_at__isnull=True,
    )


def driver_employers(partner: LoopPartner) -> QuerySet[Employer]:
    return Employer.objects.filter(
        pk__in=driver_members(partner).values("employer_id"),
        organisation_id=partner.organisation_id,
    )


def loop_for_partner(partner: LoopPartner, pk: int) -> Loop:
    loop = partner_loops(partner).filter(pk=pk).first()
    if loop is None:
        raise Http404
    return loop


def gathering_for_partner(partner: LoopPartner, pk: int) -> Gathering:
    gathering = partner_gatherings(partner).select_related("loop").filter(pk=pk).first()
    if gathering is None:
        raise Http404
    return gathering


def _require_driver(partner: LoopPartner) -> None:
    if not partner.is_driver:
        raise PermissionDenied


def _require_declaration(partner: LoopPartner) -> None:
    if not partner.has_declaration:
        raise ValidationError(
            _("Sign the confidentiality declaration before you see or invite candidates.")
        )


class Candidate:
    """A candidate as the driver sees them: only what the participant shares with the
    workplace (the name only with consent to share contact details)."""

    def __init__(
        self,
        participant: Participant,
        shared: Shared,
        invitation: GatheringInvitation | None,
        nomination: GatheringNomination | None,
    ) -> None:
        self.pk = participant.pk
        self.name = participant.full_name if shared.contact else ""
        self.phone = participant.phone if shared.contact else ""
        self.invitation = invitation
        self.nomination = nomination

    @property
    def invited(self) -> bool:
        return self.invitation is not None


def driver_candidates(*, partner: LoopPartner, gathering: Gathering) -> list[Candidate]:
    """The candidates invited to or proposed for one of the driver's gatherings, as the
    portal's rules allow; each read goes into the person's access log. Three queries and the
    log rows."""
    _require_driver(partner)
    if not partner.has_declaration:
        return []
    invitations = {
        i.participant_id: i
        for i in GatheringInvitation.objects.filter(
            gathering=gathering, participant__isnull=False
        ).select_related("participant")
    }
    nominations = {
        n.participant_id: n
        for n in GatheringNomination.objects.filter(gathering=gathering).select_related(
            "participant"
        )
    }
    people: dict[int, Participant] = {}
    for invitation in invitations.values():
        if invitation.participant is not None:
            people[invitation.participant.pk] = invitation.participant
    for nomination in nominations.values():
        people[nomination.participant_id] = nomination.participant
    shared = shared_with_workplace(list(people))
    candidates = [
        Candidate(p, shared[pk], invitations.get(pk), nominations.get(pk))
        for pk, p in sorted(people.items())
    ]
    for p in people.values():
        access_log_record(
            actor=partner.user, participant=p, what="page:loop_driver_gathering", why="loop:driver"
        )
    return candidates


def nav_referrals(partner: LoopPartner) -> QuerySet[LoopReferral]:
    """The referrals NAV's coordinator made themself: nobody else's."""
    if not partner.is_nav:
        return LoopReferral.objects.none()
    return LoopReferral.objects.filter(
        referred_by=partner, loop__organisation_id=partner.organisation_id
    )


# Management by the organisation


def manager_membership(user: Any) -> Membership | None:
    """The user's membership when they may invite and manage loop partners."""
    membership = membership_for_user(user)
    if membership is None or membership.role not in MANAGERS:
        return None
    return membership


def partners_managed_by(membership: Membership) -> QuerySet[LoopPartner]:
    return LoopPartner.objects.filter(organisation_id=membership.organisation_id)


def _check_manager(by: User, organisation_id: int) -> None:
    membership = manager_membership(by)
    if membership is None or membership.organisation_id != organisation_id:
        raise PermissionDenied


def invitation_url(user: User) -> str:
    return one_time_link(user, "loop_partners:invitation")


def _send_invitation(partner: LoopPartner) -> None:
    url = invitation_url(partner.user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your invitation to Samspill")
        body = _(
            "%(organisation)s has invited you to Samspill as %(role)s of their jobbLOOP. Choose "
            "your password here (the link works once, for a few days): %(url)s"
        ) % {
            "organisation": partner.organisation.name,
            "role": partner.get_role_display(),
            "url": url,
        }
    outbox_put(to=[partner.user.email], subject=subject, body=body)


@transaction.atomic
def loop_partner_invite(
    *,
    organisation: Organisation,
    by: User,
    email: str,
    full_name: str,
    role: str,
    affiliation: str = "",
) -> LoopPartner:
    """Create a login for an external driver or NAV's loop coordinator (no usable password)
    and e-mail a one-time link to choose one. Only a new e-mail address: an existing account
    (staff, a portal user, another partner) is refused and nothing changes."""
    _check_manager(by, organisation.pk)
    if role not in LoopPartner.Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    email = User.objects.normalize_email(email.strip())
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Write the person's name.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This e-mail address already belongs to another account.")}
        )
    user = User(email=email, full_name=full_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    partner = LoopPartner(
        organisation=organisation,
        user=user,
        role=role,
        affiliation=affiliation.strip(),
        invited_by=by,
        invited_at=timezone.now(),
    )
    partner.full_clean()
    partner.save()
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="loop_partner.invited",
        obj=partner,
        data={"user": user.pk, "role": role},
    )
    _send_invitation(partner)
    return partner


@transaction.atomic
def loop_partner_declaration_record(
    *, partner: LoopPartner, by: User, signed_on: datetime.date
) -> LoopPartner:
    """Record that the partner signed the confidentiality declaration (as for employer
    contacts): only then does a driver see any candidate."""
    _check_manager(by, partner.organisation_id)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    partner.confidentiality_signed_on = signed_on
    partner.save(update_fields=["confidentiality_signed_on"])
    audit_record(
        actor=by,
        organisation_id=partner.organisation_id,
        action="loop_partner.declaration",
        obj=partner,
        data={"signed_on": signed_on.isoformat()},
    )
    return partner


@transaction.atomic
def loop_partner_assign(*, partner: LoopPartner, loop: Loop, by: User) -> LoopPartner:
    """Give the partner a loop. An external driver becomes the loop's driver."""
    _check_manager(by, partner.organisation_id)
    if loop.organisation_id != partner.organisation_id:
        raise Http404
    if not partner.is_active:
        raise ValidationError(_("This partner is no longer active."))
    partner.loops.add(loop)
    if partner.is_driver and loop.driver_id != partner.user_id:
        locked = Loop.objects.select_for_update().get(pk=loop.pk)
        locked.driver = partner.user
        locked.save(update_fields=count_save(locked, "driver", "updated_at"))
    audit_record(
        actor=by,
        organisation_id=partner.organisation_id,
        action="loop_partner.assigned",
        obj=partner,
        data={"loop": loop.pk},
    )
    return partner


@transaction.atomic
def loop_partner_deactivate(*, partner: LoopPartner, by: User) -> LoopPartner:
    """End the partner's access at once (their loops keep their history)."""
    _check_manager(by, partner.organisation_id)
    partner.is_active = False
    partner.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        organisation_id=partner.organisation_id,
        action="loop_partner.deactivated",
        obj=partner,
    )
    return partner


# The driver's writes


def driver_invite_candidate(
    *, partner: LoopPartner, gathering: Gathering, participant_id: int
) -> GatheringInvitation:
    """Invite to one of the driver's gatherings a candidate the staff proposed for it."""
    _require_driver(partner)
    gathering = gathering_for_partner(partner, gathering.pk)
    _require_declaration(partner)
    nomination = (
        GatheringNomination.objects.select_related("participant")
        .filter(gathering=gathering, participant_id=participant_id)
        .first()
    )
    if nomination is None:
        raise Http404
    return loop_services.gathering_invite(
        gathering=gathering, by=partner.user, participant=nomination.participant
    )


def driver_invite_contact(
    *, partner: LoopPartner, gathering: Gathering, contact: EmployerContact
) -> GatheringInvitation:
    """Invite to one of the driver's gatherings a contact at one of the loop's employers."""
    _require_driver(partner)
    gathering = gathering_for_partner(partner, gathering.pk)
    if (
        gathering.loop_id is None
        or not LoopEmployer.objects.filter(
            loop_id=gathering.loop_id, employer_id=contact.employer_id, replaced_at__isnull=True
        ).exists()
    ):
        raise Http404
    if not contact.is_active:
        raise ValidationError({"contact": _("This contact is no longer active.")})
    return loop_services.gathering_invite(gathering=gathering, by=partner.user, contact=contact)


def driver_contacts(partner: LoopPartner, gathering: Gathering) -> QuerySet[EmployerContact]:
    """The contacts the driver may invite to `gathering`: at the loop's current employers."""
    if gathering.loop_id is None:
        return EmployerContact.objects.none()
    return EmployerContact.objects.filter(
        employer__loops__loop_id=gathering.loop_id,
        employer__loops__replaced_at__isnull=True,
        employer__organisation_id=partner.organisation_id,
        is_active=True,
    ).select_related("employer")


# NAV's side


@transaction.atomic
def nav_referral_create(
    *,
    partner: LoopPartner,
    loop: Loop,
    given_name: str,
    family_name: str,
    asked_for: str,
    birth_date: datetime.date | None = None,
    phone: str = "",
    email: str = "",
) -> LoopReferral:
    """NAV's coordinator refers a young person to one of their loops: a referral in the
    organisation's intake (source NAV), which staff take from there."""
    if not partner.is_nav:
        raise PermissionDenied
    loop = loop_for_partner(partner, loop.pk)
    referral = referral_services.referral_create(
        organisation=partner.organisation,
        by=partner.user,
        source=Source.OTHER,
        source_other="NAV",  # a name, the same in every language
        received_on=timezone.localdate(),
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date,
        phone=phone,
        email=email,
        asked_for=asked_for,
    )
    row = LoopReferral(loop=loop, referral=referral, referred_by=partner)
    row.full_clean()
    row.save()
    audit_record(
        actor=partner.user,
        organisation_id=partner.organisation_id,
        action="loop.nav_referred",
        obj=row,
        data={"loop": loop.pk, "referral": referral.pk},
    )
    return row


def nav_referral_rows(partner: LoopPartner, loop: Loop | None = None) -> list[LoopReferral]:
    """The coordinator's own referrals (in one of their loops), each read logged."""
    rows = nav_referrals(partner).select_related("referral", "loop")
    if loop is not None:
        rows = rows.filter(loop=loop)
    result = list(rows)
    for row in result:
        referral: Referral = row.referral
        referral_services.referral_access_log_record(
            actor=partner.user, referral=referral, what="page:loop_nav", why="loop:nav"
        )
    return result
