"""What the workplace may see of a participant: only what the participant has consented to
share with it, read at every request (withdrawing consent hides it at once). One rule for the
employer portal (mentors, employer contacts) and for the employer's contact person among staff
who does not otherwise follow the participant."""

from dataclasses import dataclass, field

from samspill.participants.models import ConsentRecord


@dataclass
class Shared:
    """What the workplace may see of one participant now: the consented information."""

    information: set[str] = field(default_factory=set)

    @property
    def contact(self) -> bool:
        return ConsentRecord.Information.CONTACT in self.information

    @property
    def strengths(self) -> bool:
        return ConsentRecord.Information.STRENGTHS in self.information

    @property
    def plan(self) -> bool:
        return ConsentRecord.Information.PLAN in self.information

    @property
    def accommodations(self) -> bool:
        return ConsentRecord.Information.ACCOMMODATIONS in self.information


def shared_with_workplace(participant_ids: list[int]) -> dict[int, Shared]:
    """Current workplace consents for these participants, in one query."""
    rows = ConsentRecord.objects.filter(
        participant_id__in=participant_ids,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        withdrawn_at__isnull=True,
    ).values_list("participant_id", "information")
    shared = {pid: Shared() for pid in participant_ids}
    for pid, information in rows:
        shared[pid].information.add(information)
    return shared
