"""Creaming: are those who get a placement (or a jobbLOOP seat) the ones closest to work?

Compares the need groups of those referred in a period with those who started a placement or
got a loop seat in it: the two distributions side by side, and the standardised difference of
the ordinal need level (1 = good prospects ... 5 = little prospect). A clearly negative
difference means those placed needed less help than those who came: creaming.
"""

import datetime
import math
from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from samspill.core import smallcells
from samspill.loops.models import LoopSeat
from samspill.organisations.models import Organisation
from samspill.participants.models import NeedGroup, Participant
from samspill.placements.models import Placement
from samspill.referrals.models import Referral

LEVEL = {group: index + 1 for index, group in enumerate(NeedGroup.values)}
# Standardised differences under 0.1 are conventionally negligible; 0.2 small; 0.5 medium.
NEGLIGIBLE = 0.1


def _summary(groups: list[str]) -> dict[str, Any]:
    """The need groups of one side, small cells hidden by the one rule (core/smallcells.py).
    With a hidden cell the mean level is hidden too: with the total it would give the hidden
    cells away."""
    known = [g for g in groups if g in LEVEL]
    counts = Counter(known)
    total = len(known)
    shown = smallcells.apply(
        {"n": total, **{g: counts[g] for g in NeedGroup.values}}, [("n", NeedGroup.values)]
    )
    unknown = smallcells.count(len(groups) - total)
    suppressed = unknown is None or None in shown.values()
    levels = [LEVEL[g] for g in known]
    mean = sum(levels) / total if total else None
    variance = (
        sum((v - mean) ** 2 for v in levels) / (total - 1)
        if total > 1 and mean is not None
        else None
    )
    return {
        "n": shown["n"],
        "unknown": unknown,
        "distribution": {
            g: {"n": shown[g], "share": smallcells.share(shown[g], shown["n"])}
            for g in NeedGroup.values
        },
        "mean_level": round(mean, 3) if mean is not None and not suppressed else None,
        "suppressed": suppressed,
        "_variance": variance,
    }


def compute(organisation: Organisation, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    referred = list(
        Referral.objects.filter(
            organisation=organisation, received_on__gte=start, received_on__lte=end
        ).values_list("need_group", flat=True)
    )
    placed_ids = set(
        Placement.objects.filter(
            participant__organisation=organisation,
            start_date__gte=start,
            start_date__lte=end,
            cancelled_at__isnull=True,
        ).values_list("participant_id", flat=True)
    ) | set(
        LoopSeat.objects.filter(
            loop__organisation=organisation,
            participant__isnull=False,
            seated_at__date__gte=start,
            seated_at__date__lte=end,
        ).values_list("participant_id", flat=True)
    )
    placed = list(
        Participant.objects.filter(pk__in=placed_ids).values_list("need_group", flat=True)
    )
    a, b = _summary(referred), _summary(placed)
    difference = None
    hidden = a["suppressed"] or b["suppressed"]
    if not hidden and a["_variance"] is not None and b["_variance"] is not None:
        pooled = math.sqrt((a["_variance"] + b["_variance"]) / 2)
        if pooled > 0:
            difference = round((b["mean_level"] - a["mean_level"]) / pooled, 3)
    for summary in (a, b):
        summary.pop("_variance")
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "referred": a,
        "placed": b,
        "standardised_difference": difference,
        "reading": reading(difference, a["n"], b["n"], suppressed=hidden),
    }


def reading(
    difference: float | None, referred: int | None, placed: int | None, *, suppressed: bool = False
) -> str:
    if difference is None and (suppressed or referred is None or placed is None):
        return _(
            "Some need groups have fewer than %(threshold)d people, so the need levels are not "
            "compared: the comparison could give them away."
        ) % {"threshold": smallcells.THRESHOLD}
    if difference is None:
        return _(
            "Too few with a known need group to compare (%(referred)d referred, %(placed)d placed)."
        ) % {"referred": referred, "placed": placed}
    if abs(difference) < NEGLIGIBLE:
        return _(
            "Those placed had about the same needs as those referred (standardised difference "
            "%(d).2f): no sign of creaming."
        ) % {"d": difference}
    if difference < 0:
        return _(
            "Those placed needed less help than those referred (standardised difference "
            "%(d).2f): a sign of creaming. Look at who waits, and why."
        ) % {"d": difference}
    return _(
        "Those placed needed more help than those referred (standardised difference %(d).2f): "
        "the placements reach those furthest from work."
    ) % {"d": difference}
