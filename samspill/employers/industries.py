"""Industry codes for employers: NACE Rev. 2 sections (A-U) and divisions (01-99).

Norway's SN2007 (SSB) and Denmark's DB07 (Danmarks Statistik) are both national versions of NACE
Rev. 2 that keep its sections and two-digit divisions unchanged, so one list serves both countries
and only the names differ. The list lives in `data/sn2007.csv` rather than in code so that the
names can be proofread and corrected without touching Python.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType

from django.utils.translation import get_language

LANGUAGES = ("en", "nb", "da")
# English is the official NACE text, so it is the safest fallback for any other language.
FALLBACK_LANGUAGE = "en"
SECTION = "section"
DIVISION = "division"

# The package this module lives in; `importlib.resources` then finds the CSV in a wheel or zip too.
_PACKAGE = __name__.rpartition(".")[0]
_DATA_FILE = "data/sn2007.csv"


@dataclass(frozen=True)
class Industry:
    level: str  # SECTION or DIVISION
    code: str  # "A".."U" for sections, "01".."99" for divisions
    parent: str | None  # the section letter for a division; None for a section
    # Keyed by language ("en", "nb", "da"). Instances are cached and shared by every caller, so the
    # mapping is read-only; it is left out of the hash because a mapping is not hashable.
    names: Mapping[str, str] = field(hash=False)


@cache
def _load() -> tuple[Industry, ...]:
    # Read once per process: the file is tiny and never changes while the process runs.
    text = resources.files(_PACKAGE).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    industries = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["level"] not in (SECTION, DIVISION):
            raise ValueError(f"{_DATA_FILE}: unknown level {row['level']!r} for {row['code']!r}")
        industries.append(
            Industry(
                level=row["level"],
                code=row["code"],
                parent=row["parent"] or None,
                names=MappingProxyType({lang: row[f"name_{lang}"] for lang in LANGUAGES}),
            )
        )
    return tuple(industries)


@cache
def _by_code() -> dict[str, Industry]:
    return {industry.code: industry for industry in _load()}


def sections() -> list[Industry]:
    """The 21 sections, A to U."""
    return [industry for industry in _load() if industry.level == SECTION]


def divisions(section: str | None = None) -> list[Industry]:
    """All 88 divisions in code order, or only those of `section` (empty for an unknown one)."""
    return [
        industry
        for industry in _load()
        if industry.level == DIVISION and (section is None or industry.parent == section)
    ]


def get(code: str) -> Industry | None:
    """The section ("G") or division ("47") with this code, or None."""
    return _by_code().get(code)


def section_of(division_code: str) -> str:
    """The section letter of a division: "47" -> "G". Raises KeyError for an unknown division."""
    industry = get(division_code)
    if industry is None or industry.parent is None:
        raise KeyError(division_code)
    return industry.parent


def language_key(language: str | None) -> str:
    """Map a Django language code ("nb", "nb-no", "no", "da", "en-gb", ...) to a name column."""
    language = (language or "").lower()
    # "no" is the macro-language code some browsers still send for Norwegian; bokmål is what SSB
    # publishes, so it is the right name for both.
    if language.startswith(("nb", "no")):
        return "nb"
    if language.startswith("da"):
        return "da"
    return FALLBACK_LANGUAGE


def name(industry: Industry, language: str) -> str:
    """The industry's name in `language`, falling back to English for other languages."""
    return industry.names.get(language_key(language)) or industry.names[FALLBACK_LANGUAGE]


def division_choices(language: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a Django form field: one group per section, holding its divisions.

    [("A – Jordbruk, skogbruk og fiske", [("01", "01 – Jordbruk og ..."), ...]), ...]

    Without `language` the active translation decides, so pass the function itself as
    `choices=division_choices` (Django evaluates a callable per form) rather than its result at
    import time, which would freeze the language of whichever request came first.
    """
    lang = language_key(language if language is not None else get_language())
    return [
        (
            f"{section.code} – {name(section, lang)}",
            [
                (division.code, f"{division.code} – {name(division, lang)}")
                for division in divisions(section.code)
            ],
        )
        for section in sections()
    ]
