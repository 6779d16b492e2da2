"""Plain-language reasons for a seating, built from the interest marks ("Kari starts at
Bakeriet: both marked yes."). Kept apart from the solver: the seating does not depend on
them, and they are translated into the reader's language."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from samspill.loops.formation import Instance, Seat


def mark_word(mark: int) -> str:
    return {0: _("no"), 1: _("maybe"), 2: _("yes")}[mark]


def _why(instance: Instance, candidate: str, employer: str, names: Mapping[str, str]) -> str:
    employer_mark, candidate_mark = instance.mark(candidate, employer)
    if employer_mark == candidate_mark:
        return {0: _("both marked no"), 1: _("both marked maybe"), 2: _("both marked yes")}[
            employer_mark
        ]
    return _("%(employer)s marked %(employer_mark)s, %(candidate)s marked %(candidate_mark)s") % {
        "employer": names.get(employer, employer),
        "employer_mark": mark_word(employer_mark),
        "candidate": names.get(candidate, candidate),
        "candidate_mark": mark_word(candidate_mark),
    }


def explain_seat(
    instance: Instance, seat: Seat, names: Mapping[str, str] | None = None
) -> list[str]:
    """One sentence a period: where the candidate goes and what each side marked.

    `names` maps candidate and employer keys to the names people know them by.
    """
    names = names or {}
    last = len(seat.order) - 1
    sentences = []
    for period, employer in enumerate(seat.order):
        if period == 0:
            text = _("%(candidate)s starts at %(employer)s: %(why)s.")
        elif period == last:
            text = _("%(candidate)s ends at %(employer)s: %(why)s.")
        else:
            text = _("%(candidate)s then goes to %(employer)s: %(why)s.")
        sentences.append(
            text
            % {
                "candidate": names.get(seat.candidate, seat.candidate),
                "employer": names.get(employer, employer),
                "why": _why(instance, seat.candidate, employer, names),
            }
        )
    return sentences


def explain_waiting(
    instance: Instance, candidate: str, names: Mapping[str, str] | None = None
) -> str:
    """Why `candidate` is on the waiting list."""
    name = (names or {}).get(candidate, candidate)
    if instance.best_value(candidate) is None:
        return _("%(candidate)s waits: every loop has an employer %(candidate)s cannot go to.") % {
            "candidate": name
        }
    return _("%(candidate)s waits: the seats went to candidates with more interest both ways.") % {
        "candidate": name
    }
