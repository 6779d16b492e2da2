"""Writes in the learning organisation: each in one transaction, with an audit row."""

import datetime
import secrets
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.learning.models import (
    GoalReview,
    LearningGoal,
    Method,
    MethodFile,
    MethodVersion,
    Network,
    NetworkMembership,
    PlatformMentor,
    PracticePlace,
)
from samspill.learning.permissions import (
    forget_mentor,
    is_platform_mentor,
    may_appoint_mentors,
    network_ids,
    staff_membership,
)
from samspill.learning.queries import SEARCH_CONFIG
from samspill.organisations.models import Membership

CONTENT_FIELDS = (
    "title",
    "purpose",
    "research_source",
    "research_finding",
    "effect_size",
    "steps",
    "when_to_use",
    "practice_places",
)
MAX_FILE_BYTES = 10 * 1024 * 1024


def _membership(by: Any) -> Membership:
    membership = staff_membership(by)
    if membership is None:
        raise PermissionDenied
    return membership


def _require_mentor(by: Any, organisation_id: int) -> None:
    if not is_platform_mentor(by, organisation_id):
        raise PermissionDenied


def _clean_places(places: list[str]) -> list[str]:
    unknown = set(places) - set(PracticePlace.values)
    if unknown:
        raise ValidationError({"practice_places": _("Choose places from the list.")})
    return [p for p in PracticePlace.values if p in places]


def _search_text(version: MethodVersion) -> str:
    return "\n".join(
        str(getattr(version, field))
        for field in (
            "title",
            "purpose",
            "research_source",
            "research_finding",
            "steps",
            "when_to_use",
        )
    )


# --- Platform mentors and networks ---------------------------------------------------------


@transaction.atomic
def platform_mentor_appoint(*, user: Any, by: Any) -> PlatformMentor:
    membership = _membership(by)
    if not may_appoint_mentors(membership):
        raise PermissionDenied
    member = Membership.objects.filter(
        user=user, organisation_id=membership.organisation_id, is_active=True
    ).first()
    if member is None:
        raise ValidationError(_("Only active staff in your organisation can be platform mentors."))
    if PlatformMentor.objects.filter(
        organisation_id=membership.organisation_id, user=user
    ).exists():
        raise ValidationError(_("%(name)s is a platform mentor already.") % {"name": user})
    mentor = PlatformMentor.objects.create(
        organisation_id=membership.organisation_id, user=user, appointed_by=by
    )
    forget_mentor(user)
    audit_record(
        actor=by,
        organisation_id=membership.organisation_id,
        action="learning.mentor_appointed",
        obj=mentor,
        data={"user": user.pk},
    )
    return mentor


@transaction.atomic
def platform_mentor_remove(*, mentor: PlatformMentor, by: Any) -> None:
    membership = _membership(by)
    if not may_appoint_mentors(membership) or mentor.organisation_id != membership.organisation_id:
        raise PermissionDenied
    audit_record(
        actor=by,
        organisation_id=mentor.organisation_id,
        action="learning.mentor_removed",
        obj=mentor,
        data={"user": mentor.user_id},
    )
    mentor.delete()
    if "user" in mentor._state.fields_cache:
        forget_mentor(mentor.user)


@transaction.atomic
def network_create(*, name: str, description: str = "", by: Any) -> Network:
    membership = _membership(by)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": _("Give the network a name.")})
    network = Network.objects.create(
        name=name.strip(),
        description=description,
        join_code=secrets.token_urlsafe(12),
        created_by=by,
    )
    NetworkMembership.objects.create(
        network=network, organisation_id=membership.organisation_id, joined_by=by
    )
    audit_record(
        actor=by,
        organisation_id=membership.organisation_id,
        action="learning.network_created",
        obj=network,
    )
    return network


@transaction.atomic
def network_join(*, join_code: str, by: Any) -> Network:
    membership = _membership(by)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied
    network = Network.objects.filter(join_code=join_code.strip()).first()
    if network is None:
        raise ValidationError({"join_code": _("No network has that join code.")})
    if NetworkMembership.objects.filter(
        network=network, organisation_id=membership.organisation_id
    ).exists():
        raise ValidationError({"join_code": _("Your organisation is in this network already.")})
    NetworkMembership.objects.create(
        network=network, organisation_id=membership.organisation_id, joined_by=by
    )
    audit_record(
        actor=by,
        organisation_id=membership.organisation_id,
        action="learning.network_joined",
        obj=network,
    )
    return network


@transaction.atomic
def network_leave(*, network: Network, by: Any) -> None:
    """The organisation leaves; its methods shared there stop being shared."""
    membership = _membership(by)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied
    org_id = membership.organisation_id
    deleted, _rows = NetworkMembership.objects.filter(
        network=network, organisation_id=org_id
    ).delete()
    if not deleted:
        raise ValidationError(_("Your organisation is not in this network."))
    Method.objects.filter(organisation_id=org_id, shared_with=network).update(shared_with=None)
    audit_record(actor=by, organisation_id=org_id, action="learning.network_left", obj=network)


# --- Methods -------------------------------------------------------------------------------


@transaction.atomic
def method_create(*, by: Any, **content: Any) -> Method:
    """A new method with its first version as a draft."""
    membership = _membership(by)
    _require_mentor(by, membership.organisation_id)
    content["practice_places"] = _clean_places(content.get("practice_places") or [])
    method = Method(
        organisation_id=membership.organisation_id, title=content["title"], created_by=by
    )
    method.full_clean(exclude=["published", "shared_with", "adopted_from"])
    method.save()
    version = MethodVersion(method=method, number=1, created_by=by, **content)
    version.full_clean()
    version.save()
    audit_record(
        actor=by,
        organisation_id=method.organisation_id,
        action="learning.method_created",
        obj=method,
    )
    return method


def method_draft(method: Method) -> MethodVersion | None:
    """The method's unpublished version being worked on, if any."""
    latest = method.versions.order_by("-number").first()
    return latest if latest is not None and latest.is_draft else None


@transaction.atomic
def method_draft_save(
    *, method: Method, by: Any, revision: int | None = None, **content: Any
) -> MethodVersion:
    """Save the draft: the open draft is changed, or a new numbered draft is started from what
    is published. A stale draft (a colleague saved it meanwhile) is refused."""
    _require_mentor(by, method.organisation_id)
    content["practice_places"] = _clean_places(content.get("practice_places") or [])
    latest = (
        MethodVersion.objects.select_for_update().filter(method=method).order_by("-number").first()
    )
    if latest is not None and latest.is_draft:
        check_revision(latest, revision)
        for field, value in content.items():
            setattr(latest, field, value)
        latest.full_clean()
        latest.save(update_fields=count_save(latest, *content))
        version = latest
    else:
        number = latest.number + 1 if latest else 1
        version = MethodVersion(method=method, number=number, created_by=by, **content)
        version.full_clean()
        version.save()
    audit_record(
        actor=by,
        organisation_id=method.organisation_id,
        action="learning.method_draft_saved",
        obj=method,
        data={"version": version.number},
    )
    return version


@transaction.atomic
def method_publish(*, method: Method, by: Any, change_note: str = "") -> MethodVersion:
    _require_mentor(by, method.organisation_id)
    method = Method.objects.select_for_update().select_related("organisation").get(pk=method.pk)
    draft = method_draft(method)
    if draft is None:
        raise ValidationError(_("There is no draft to publish."))
    if draft.number > 1 and not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed in this version.")})
    draft.change_note = change_note.strip()
    draft.published_at = timezone.now()
    draft.published_by = by
    draft.save(update_fields=["change_note", "published_at", "published_by"])
    method.published = draft
    method.title = draft.title
    method.search_text = _search_text(draft)
    method.save(update_fields=count_save(method, "published", "title", "search_text"))
    if connection.vendor == "postgresql":
        config = SEARCH_CONFIG.get(method.organisation.country, "norwegian")
        Method.objects.filter(pk=method.pk).update(
            search_vector=SearchVector("search_text", config=config)
        )
    audit_record(
        actor=by,
        organisation_id=method.organisation_id,
        action="learning.method_published",
        obj=method,
        data={"version": draft.number},
    )
    return draft


@transaction.atomic
def method_share(*, method: Method, network: Network | None, by: Any) -> Method:
    """Share a published method with one of the organisation's networks (None: stop)."""
    _require_mentor(by, method.organisation_id)
    method = Method.objects.select_for_update().get(pk=method.pk)
    if network is not None:
        if method.published_id is None:
            raise ValidationError(_("Publish the method before you share it."))
        if network.pk not in set(network_ids(method.organisation_id)):
            raise ValidationError({"network": _("Your organisation is not in that network.")})
    method.shared_with = network
    method.save(update_fields=count_save(method, "shared_with"))
    audit_record(
        actor=by,
        organisation_id=method.organisation_id,
        action="learning.method_shared" if network else "learning.method_unshared",
        obj=method,
        data={"network": network.pk if network else None},
    )
    return method


@transaction.atomic
def method_adopt(*, method: Method, by: Any) -> Method:
    """A copy of another organisation's shared method, as a draft of one's own to adapt."""
    membership = _membership(by)
    org_id = membership.organisation_id
    _require_mentor(by, org_id)
    source = method.published
    if (
        source is None
        or method.organisation_id == org_id
        or method.shared_with_id not in set(network_ids(org_id))
    ):
        raise ValidationError(_("Only a method shared with your network can be adopted."))
    content = {field: getattr(source, field) for field in CONTENT_FIELDS}
    copy = Method.objects.create(
        organisation_id=org_id, title=source.title, adopted_from=source, created_by=by
    )
    MethodVersion.objects.create(method=copy, number=1, created_by=by, **content)
    audit_record(
        actor=by,
        organisation_id=org_id,
        action="learning.method_adopted",
        obj=copy,
        data={"from_method": method.pk, "from_version": source.number},
    )
    return copy


@transaction.atomic
def method_file_add(*, method: Method, by: Any, name: str, file: UploadedFile) -> MethodFile:
    """A tool or template added to the draft (a new draft is started when none is open)."""
    _require_mentor(by, method.organisation_id)
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    method = (
        Method.objects.select_for_update(of=("self",)).select_related("published").get(pk=method.pk)
    )
    draft = method_draft(method)
    if draft is None:
        published = method.published
        if published is None:
            raise ValidationError(_("The method has no version yet."))
        content = {field: getattr(published, field) for field in CONTENT_FIELDS}
        draft = method_draft_save(method=method, by=by, **content)
        for old in published.files.all():
            MethodFile.objects.create(
                version=draft, name=old.name, file=old.file.name, uploaded_by=old.uploaded_by
            )
    added = MethodFile.objects.create(
        version=draft, name=name.strip() or file.name or "", file=file, uploaded_by=by
    )
    audit_record(
        actor=by,
        organisation_id=method.organisation_id,
        action="learning.method_file_added",
        obj=method,
        data={"version": draft.number, "file": added.pk},
    )
    return added


# --- Learning goals and follow-up conversations -------------------------------------------


def _check_goal_dates(
    target_date: datetime.date | None, next_review_on: datetime.date | None
) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if target_date is not None and target_date < today:
        errors["target_date"] = _("The target date has passed; choose a date from today.")
    if next_review_on is not None and next_review_on < today:
        errors["next_review_on"] = _("The next review must be today or later.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_create(
    *,
    by: Any,
    goal: str,
    why: str = "",
    practice: str = "",
    target_date: datetime.date | None = None,
    next_review_on: datetime.date | None = None,
    methods: Any = (),
) -> LearningGoal:
    membership = _membership(by)
    _check_goal_dates(target_date, next_review_on)
    created = LearningGoal(
        organisation_id=membership.organisation_id,
        owner=by,
        goal=goal,
        why=why,
        practice=practice,
        target_date=target_date,
        next_review_on=next_review_on,
    )
    created.full_clean()
    created.save()
    created.methods.set(methods)
    audit_record(
        actor=by,
        organisation_id=membership.organisation_id,
        action="learning.goal_created",
        obj=created,
    )
    return created


@transaction.atomic
def goal_update(
    *,
    learning_goal: LearningGoal,
    by: Any,
    revision: int | None = None,
    methods: Any = None,
    **fields: Any,
) -> LearningGoal:
    """The owner changes their goal (its status too); a stale form is refused."""
    if learning_goal.owner_id != by.pk:
        raise PermissionDenied
    current = LearningGoal.objects.select_for_update().get(pk=learning_goal.pk)
    check_revision(current, revision)
    changed_dates = {
        key: fields[key]
        for key in ("target_date", "next_review_on")
        if key in fields and fields[key] != getattr(current, key)
    }
    _check_goal_dates(changed_dates.get("target_date"), changed_dates.get("next_review_on"))
    for field, value in fields.items():
        setattr(current, field, value)
    current.full_clean()
    current.save(update_fields=count_save(current, *fields))
    if methods is not None:
        current.methods.set(methods)
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="learning.goal_updated",
        obj=current,
        data={"fields": sorted(fields)},
    )
    return current


@transaction.atomic
def goal_review_record(
    *,
    goal: LearningGoal,
    by: Any,
    held_on: datetime.date,
    notes: str = "",
    next_steps: str = "",
    next_review_on: datetime.date | None = None,
) -> GoalReview:
    """A leader records the follow-up conversation and the next review date."""
    membership = _membership(by)
    if (
        membership.role != Membership.Role.LEADER
        or goal.organisation_id != membership.organisation_id
        or goal.owner_id == by.pk
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("The conversation cannot be dated in the future.")
    if next_review_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = _("The next review must come after this conversation.")
    if errors:
        raise ValidationError(errors)
    current = LearningGoal.objects.select_for_update().get(pk=goal.pk)
    review = GoalReview.objects.create(
        goal=current,
        leader=by,
        held_on=held_on,
        notes=notes,
        next_steps=next_steps,
        next_review_on=next_review_on,
    )
    current.next_review_on = next_review_on
    current.save(update_fields=count_save(current, "next_review_on"))
    audit_record(
        actor=by,
        organisation_id=current.organisation_id,
        action="learning.goal_reviewed",
        obj=current,
    )
    return review
