"""`{{ values|challenge_labels }}`: the typed challenges of a follow-up or evaluation, in words;
`|challenge_labels:"employer"` leaves out what the employer portal must never show."""

from django import template

from samspill.placements.models import EMPLOYER_VISIBLE, Challenge

register = template.Library()


@register.filter
def challenge_labels(values: list[str], audience: str = "staff") -> str:
    labels = dict(Challenge.choices)
    shown = [v for v in values if audience != "employer" or v in EMPLOYER_VISIBLE]
    return ", ".join(str(labels[v]) for v in shown if v in labels)
