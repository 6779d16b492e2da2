"""Learning programmes shared within a network (issue 20, item 2).

A platform mentor shares a programme of their organisation with one of its networks. The other
member organisations' staff read its outline (modules, sessions, methods covered, material),
never a person: no enrolments, attendance, reflections or facilitators. Their platform mentors
adopt a copy into their own organisation, to adapt and run. Leaving the network stops the
sharing; a programme shared with a network one's organisation is not in is a 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.revisions import count_save
from samspill.learning.models import (
    Network,
    Programme,
    ProgrammeModule,
    ProgrammeSession,
    SessionMaterial,
)
from samspill.learning.permissions import methods_visible_to, network_ids, staff_membership
from samspill.learning.services import _membership, _require_mentor


def shared_programmes_for(user: Any) -> QuerySet[Programme]:
    """The one door to other organisations' programmes: those shared with a network the
    user's organisation is in."""
    membership = staff_membership(user)
    if membership is None:
        return Programme.objects.none()
    org_id = membership.organisation_id
    return Programme.objects.filter(shared_with__in=network_ids(org_id)).exclude(
        organisation_id=org_id
    )


@transaction.atomic
def programme_share(*, programme: Programme, network: Network | None, by: Any) -> Programme:
    """Share the programme with one of the organisation's networks (None: stop sharing)."""
    _require_mentor(by, programme.organisation_id)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if network is not None and network.pk not in set(network_ids(programme.organisation_id)):
        raise ValidationError({"network": _("Your organisation is not in that network.")})
    programme.shared_with = network
    programme.save(update_fields=count_save(programme, "shared_with"))
    audit_record(
        actor=by,
        organisation_id=programme.organisation_id,
        action="learning.programme_shared" if network else "learning.programme_unshared",
        obj=programme,
        data={"network": network.pk if network else None},
    )
    return programme


@transaction.atomic
def programme_adopt(*, programme: Programme, by: Any) -> Programme:
    """A copy of a programme shared with the network, in one's own organisation: its modules and
    sessions (the adopter facilitates them until changed), the methods covered that one's
    organisation may read, and the material. Nobody is enrolled."""
    membership = _membership(by)
    org_id = membership.organisation_id
    _require_mentor(by, org_id)
    if not shared_programmes_for(by).filter(pk=programme.pk).exists():
        raise ValidationError(_("Only a programme shared with your network can be adopted."))
    copy = Programme.objects.create(
        organisation_id=org_id,
        title=programme.title,
        description=programme.description,
        adopted_from=programme,
        created_by=by,
    )
    readable = set(methods_visible_to(by).values_list("pk", flat=True))
    modules = ProgrammeModule.objects.filter(programme=programme).prefetch_related(
        "sessions__methods", "sessions__materials"
    )
    for module in modules:
        new_module = ProgrammeModule.objects.create(
            programme=copy,
            number=module.number,
            title=module.title,
            description=module.description,
        )
        for session in module.sessions.all():
            new_session = ProgrammeSession.objects.create(
                module=new_module,
                title=session.title,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                place=session.place,
                video_url=session.video_url,
                description=session.description,
                facilitator=by,
            )
            new_session.methods.set([m for m in session.methods.all() if m.pk in readable])
            SessionMaterial.objects.bulk_create(
                SessionMaterial(
                    session=new_session, name=item.name, file=item.file.name, uploaded_by=by
                )
                for item in session.materials.all()
            )
    audit_record(
        actor=by,
        organisation_id=org_id,
        action="learning.programme_adopted",
        obj=copy,
        data={"from_programme": programme.pk},
    )
    return copy
