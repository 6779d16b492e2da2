from django.db.models import QuerySet

from samspill.audit.models import AccessLog


def access_log_for_participant(participant_id: int) -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.filter(participant_id=participant_id)
        .select_related("actor")
        .order_by("-accessed_at", "-id")
    )
