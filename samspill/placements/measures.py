"""NAV's and the jobcenters' measures, told plainly to employers (issue 22, item 10).

The catalogue is kept per country, in the country's language, since it describes that
country's schemes: what the measure is, who it is for, what the employer gets and for how long.
The figures are the usual ones, stated plainly and meant to be kept up to date here (they are
configuration, not law). An organisation's administrator may rewrite a measure for their
organisation (`MeasureText`); the employer portal shows the result, and an agreement links to
the measures its kind uses.
"""

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspill.audit.services import audit_record
from samspill.core.revisions import check_revision, count_save
from samspill.organisations.models import Organisation
from samspill.organisations.permissions import admin_membership
from samspill.placements.kinds_models import MeasureText
from samspill.placements.models import Placement

Kind = Placement.Kind
TEXT_FIELDS = ("name", "what", "who", "employer_gets", "how_long")


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    what: str
    who: str
    employer_gets: str
    how_long: str
    kinds: tuple[str, ...] = ()  # the placement kinds that use it
    revision: int = 0  # of the organisation's own text; 0 while it uses the country's


CATALOGUE: dict[str, tuple[Measure, ...]] = {
    "NO": (
        Measure(
            "wage_subsidy",
            "Lønnstilskudd",
            "NAV dekker en del av lønnen når du ansetter en som trenger en vei inn i jobb.",
            "Personer som har vanskelig for å få jobb på vanlige vilkår, for eksempel med "
            "nedsatt arbeidsevne.",
            "Refusjon av en del av lønnskostnadene. Du ansetter på vanlige lønnsvilkår.",
            "Midlertidig: vanligvis inntil ett år, lenger ved nedsatt arbeidsevne. Varig: "
            "vurderes jevnlig.",
            (Kind.TEMPORARY_WAGE_SUBSIDY, Kind.PERMANENT_WAGE_SUBSIDY, Kind.SUMMER_JOB),
        ),
        Measure(
            "mentor_grant",
            "Tilskudd til mentor",
            "NAV betaler for tiden en kollega bruker på å følge opp og lære opp den nye.",
            "Personer i arbeidstrening, med lønnstilskudd eller i ordinær jobb som trenger "
            "ekstra oppfølging.",
            "Dekning av mentorens timer, avtalt med NAV.",
            "Vanligvis inntil seks måneder, lenger ved behov.",
            (Kind.MENTOR_SUPPORT, Kind.WORK_TRAINING, Kind.APPRENTICESHIP),
        ),
        Measure(
            "work_training",
            "Arbeidstrening",
            "Den unge prøver seg i arbeid hos deg og får erfaring og en referanse.",
            "Personer som trenger arbeidserfaring for å komme i jobb.",
            "En ekstra hånd uten lønnskostnad; deltakeren får ytelse fra NAV.",
            "Inntil ett år, kan forlenges til 18 måneder.",
            (Kind.WORK_TRAINING,),
        ),
        Measure(
            "inclusion_grant",
            "Inkluderingstilskudd",
            "NAV dekker ekstra kostnader ved å tilrettelegge arbeidsplassen.",
            "Personer som trenger tilrettelegging for å kunne jobbe hos deg.",
            "Dekning av utstyr, tilpasninger eller opplæring, opp til NAVs sats per år.",
            "Så lenge tilretteleggingen trengs, innenfor NAVs sats.",
        ),
    ),
    "DK": (
        Measure(
            "dk_internship",
            "Virksomhedspraktik",
            "Den ledige prøver et job hos jer og får erfaring uden at være ansat.",
            "Ledige, der har brug for at afprøve et fag eller få arbejdserfaring.",
            "En ekstra hånd uden lønudgift; den ledige beholder sin ydelse.",
            "Typisk op til 4, 8 eller 13 uger efter målgruppe.",
            (Kind.COMPANY_INTERNSHIP,),
        ),
        Measure(
            "dk_wage_subsidy",
            "Løntilskud",
            "Jobcenteret betaler et fast tilskud pr. time, når I ansætter en ledig.",
            "Ledige, der har brug for en vej ind på arbejdsmarkedet.",
            "Et tilskud pr. time; I ansætter på overenskomstmæssige vilkår.",
            "Typisk op til 6 måneder hos en privat arbejdsgiver, kortere hos en offentlig.",
            (Kind.DK_WAGE_SUBSIDY,),
        ),
        Measure(
            "dk_mentor",
            "Mentorstøtte",
            "Jobcenteret betaler for de timer, en kollega bruger som mentor.",
            "Personer, der har brug for ekstra støtte for at komme godt i gang.",
            "Dækning af mentorens timer efter aftale med jobcenteret.",
            "Så længe støtten er nødvendig, efter aftale.",
            (Kind.COMPANY_INTERNSHIP, Kind.DK_WAGE_SUBSIDY),
        ),
    ),
}


def catalogue(organisation: Organisation) -> list[Measure]:
    """The measures of the organisation's country, in the organisation's own words where an
    administrator has rewritten them. One query."""
    own = {text.key: text for text in MeasureText.objects.filter(organisation=organisation)}
    result = []
    for measure in CATALOGUE.get(organisation.country, CATALOGUE["NO"]):
        text = own.get(measure.key)
        if text is not None:
            words = {name: getattr(text, name) for name in TEXT_FIELDS}
            measure = replace(measure, revision=text.revision, **words)
        result.append(measure)
    return result


def measures_for_kind(organisation: Organisation, kind: str) -> list[Measure]:
    """The measures an agreement of this kind uses."""
    return [measure for measure in catalogue(organisation) if kind in measure.kinds]


@transaction.atomic
def measure_save(
    *, organisation: Organisation, by: Any, key: str, revision: int | None = None, **words: str
) -> Measure:
    """Rewrite one measure for the organisation. Only its administrators may; every text is
    required and kept short; a stale revision is refused and nothing changes."""
    admin = admin_membership(by)
    if admin is None or admin.organisation_id != organisation.pk:
        raise PermissionDenied
    keys = {m.key for m in CATALOGUE.get(organisation.country, CATALOGUE["NO"])}
    if key not in keys:
        raise ValidationError({"key": _("There is no such measure.")})
    limits = {
        name: getattr(MeasureText._meta.get_field(name), "max_length", 0) for name in TEXT_FIELDS
    }
    clean = {}
    for name in TEXT_FIELDS:
        value = (words.get(name) or "").strip()
        if not value:
            raise ValidationError({name: _("This field is required.")})
        if len(value) > (limits[name] or 0):
            raise ValidationError({name: _("The text is too long.")})
        clean[name] = value
    text = MeasureText.objects.select_for_update().filter(organisation=organisation, key=key)
    current = text.first()
    if current is None:
        if revision:
            raise ValidationError(_("Someone else saved this while you were editing."))
        current = MeasureText(organisation=organisation, key=key, **clean)
        count_save(current)
        current.save()
    else:
        check_revision(current, revision)
        for name, value in clean.items():
            setattr(current, name, value)
        current.save(update_fields=count_save(current, *TEXT_FIELDS))
    audit_record(
        actor=by,
        organisation_id=organisation.pk,
        action="placements.measure_saved",
        obj=current,
        data={"key": key},
    )
    return next(m for m in catalogue(organisation) if m.key == key)
