"""The record's Messages tab says how many of the participant's messages are unread (a tab
shown on every page of the record, from templates of other apps): one COUNT on the partial
index of unread messages, on a page about one participant only, never in a list."""

from django import template

from samspill.participants.models import Participant
from samspill.selfservice import queries

register = template.Library()


@register.simple_tag
def unread_from_participant(participant: Participant) -> int:
    """What the participant wrote that staff have not read yet."""
    return queries.unread_count(participant, from_participant=True)
