"""Matching text in bokmål, nynorsk and Danish: words, a light stemmer, compound parts and negation.

No model, no external service: a small suffix-stripping stemmer for the three written languages
(they share most inflections: -en/-et/-ene/-er/-ar/-ane/-ene/-erne, -ing/-ingen/-ingar, ...),
compound splitting against the vocabulary the other side uses ("lagermedarbeider" meets
"lager", "truckfører" meets "truck"), and negation: a word after "ikke"/"ikkje"/"ikkje"/"ej",
"ingen", "uten"/"utan", "nei", "aldri" ... within the same clause counts against, not for
("ikke natt", "ikkje natt", "ikke om natten", "ikke nætter" all negate the stem "natt").

`terms(text)` gives (positive stems, negated stems); `overlap(wanted, offered)` matches two
stem sets, compounds included. The same code runs on SQLite and PostgreSQL, so both give the
same results.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A clause ends at punctuation or a conjunction that turns the sentence ("men", "but").
CLAUSE = re.compile(r"[.,;:!?()\n]+|\b(?:men|mens|but)\b", re.IGNORECASE)

NEGATIONS = frozenset(
    {"ikke", "ikkje", "ikkj", "ej", "ei", "inga", "ingen", "intet", "ingenting", "uten", "utan",
     "aldri", "nei", "ingi", "not", "never", "no"}
)  # fmt: skip
# Words of little meaning for matching, in the three languages. A negation keeps its effect
# over them: "ikke om natten" negates "natt".
STOPWORDS = frozenset(
    [
        "og",
        "i",
        "å",
        "at",
        "det",
        "er",
        "som",
        "en",
        "et",
        "ei",
        "på",
        "til",
        "for",
        "med",
        "av",
        "den",
        "de",
        "har",
        "jeg",
        "eg",
        "kan",
        "vil",
        "jo",
        "så",
        "om",
        "fra",
        "frå",
        "eller",
        "du",
        "han",
        "ho",
        "hun",
        "vi",
        "me",
        "dere",
        "dykk",
        "seg",
        "sin",
        "sitt",
        "sine",
        "meg",
        "mitt",
        "min",
        "mine",
        "mi",
        "deg",
        "være",
        "vere",
        "vera",
        "bli",
        "blir",
        "ble",
        "vart",
        "var",
        "ha",
        "hadde",
        "skal",
        "skulle",
        "kunne",
        "ville",
        "må",
        "mye",
        "mykje",
        "litt",
        "gjerne",
        "helst",
        "også",
        "ogso",
        "òg",
        "også",
        "bare",
        "berre",
        "noe",
        "noko",
        "noen",
        "nokon",
        "alle",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "with",
        "from",
        "is",
        "are",
        "be",
        "can",
        "will",
        "jeg",
        "mig",
        "mit",
        "min",
        "mine",
        "af",
        "fra",
        "til",
        "hos",
        "ved",
        "efter",
        "eller",
        "der",
        "her",
        "hvor",
        "hva",
        "kva",
        "når",
        "da",
        "som",
        "også",
        "meget",
        "gerne",
        "ønsker",
        "ønskjer",
        "ønsker",
        "vil",
        "gerne",
        "lyst",
        "liker",
        "likar",
        "kan",
        "godt",
        "arbeide",
        "arbejde",
        "jobbe",
        "jobb",
        "jobbar",
        "jobber",
        "work",
        "working",
    ]
)
# Suffixes, longest first. Kept short and conservative: a stem of at least four letters stays.
SUFFIXES = tuple(
    sorted(
        [
            "ene",
            "ane",
            "erne",
            "ene",
            "ende",
            "ande",
            "ande",
            "endes",
            "ingen",
            "ingane",
            "ingene",
            "inga",
            "ingar",
            "inger",
            "ing",
            "heten",
            "heita",
            "heiten",
            "heter",
            "hetene",
            "het",
            "else",
            "elser",
            "elsen",
            "ers",
            "erer",
            "eren",
            "erne",
            "er",
            "ar",
            "ars",
            "ast",
            "est",
            "este",
            "ets",
            "ens",
            "ene",
            "en",
            "et",
            "es",
            "e",
            "a",
            "s",
            "t",
            "ene",
            "ende",
        ],
        key=len,
        reverse=True,
    )
)
MIN_STEM = 4
MIN_PART = 4  # a compound part shorter than this is too likely to match by chance


def fold(text: str) -> str:
    """Lower case, "æ", "ø" and "å" kept, other accents removed ("é" -> "e")."""
    out = []
    for ch in text.lower():
        if ch in "æøå":
            out.append(ch)
            continue
        out.extend(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    # "ä"/"ö" are the Swedish spellings of "æ"/"ø".
    return "".join(out).replace("ä", "æ").replace("ö", "ø")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The light stem of one folded word: the longest known suffix off, a stem of >= 4 letters kept.

    "nattarbeid" -> "nattarbeid", "natten" -> "natt", "nætter" -> "natt", "netter" -> "natt",
    "lageret" -> "lager", "truckføreren" -> "truckfør", "kundene" -> "kund".
    """
    w = word
    for suffix in SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= MIN_STEM:
            w = w[: -len(suffix)]
            break
    # A few plural vowel changes the languages share: natt/netter/nætter, hand/hender.
    w = UMLAUT.get(w, w)
    # Doubled final consonants are spelt single in some forms ("natt"/"nat"): keep one form.
    if len(w) > MIN_STEM and w[-1] == w[-2] and w[-1] not in "aeiouyæøå":
        w = w[:-1]
    return w


UMLAUT = {
    "nett": "natt",
    "nætt": "natt",
    "næt": "natt",
    "nat": "natt",
    "hend": "hand",
    "bønd": "bond",
    "bøk": "bok",
    "føt": "fot",
}


@dataclass(frozen=True)
class Terms:
    positive: frozenset[str] = field(default_factory=frozenset)
    negative: frozenset[str] = field(default_factory=frozenset)
    # The first written form of each stem, to explain a match in the person's own words.
    shown: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def terms(text: str) -> Terms:
    """The stems of `text`, split into those wished for and those negated."""
    positive: set[str] = set()
    negative: set[str] = set()
    shown: dict[str, str] = {}
    for clause in CLAUSE.split(fold(text or "")):
        if not clause:
            continue
        negated = False
        for word in WORD.findall(clause):
            if word in NEGATIONS:
                negated = True
                continue
            if word in STOPWORDS or len(word) < 2:
                continue
            s = stem(word)
            shown.setdefault(s, word)
            (negative if negated else positive).add(s)
    return Terms(frozenset(positive - negative), frozenset(negative), shown)


def stems(text: str) -> frozenset[str]:
    """All stems of `text`, negated or not (for a need's tasks and skills)."""
    t = terms(text)
    return t.positive | t.negative


@lru_cache(maxsize=50_000)
def compound_parts(stem: str) -> frozenset[str]:
    """The parts a compound stem may be split into: its beginnings of at least MIN_PART letters
    that leave at least three, and its endings of at least MIN_PART letters after at least three
    ("lagermedarbeid" -> "lager", "medarbeid", ...; "truckfør" -> "truck", ...)."""
    n = len(stem)
    heads = {stem[:i] for i in range(MIN_PART, n - 2)}
    tails = {stem[i:] for i in range(3, n - MIN_PART + 1)}
    return frozenset(heads | tails)


def compound_match(a: str, b: str) -> bool:
    """True when the stems are the same or one is a part of the other compound:
    "lagermedarbeid" ~ "lager", "truckfør" ~ "truck"; a part is at least MIN_PART letters."""
    return a == b or a in compound_parts(b) or b in compound_parts(a)


def overlap(wanted: Iterable[str], offered: Iterable[str]) -> set[str]:
    """The stems of `wanted` met by some stem of `offered`, exactly or as a compound part."""
    offered_set = set(offered)
    offered_parts: set[str] = set()
    for o in offered_set:
        offered_parts |= compound_parts(o)
    return {
        w
        for w in wanted
        if w in offered_set or w in offered_parts or not compound_parts(w).isdisjoint(offered_set)
    }


# The stored index (`Participant.match_terms`, `RecruitmentNeed.match_terms`): space-separated
# keys "<kind>=<stem>" for each stem and "<kind>~<part>" for each compound part of it, so that
# a lookup (in Python, or PostgreSQL's array overlap through a GIN index) finds both a word and
# the compounds it is part of. Kinds of a profile: c (can), l (wants to learn), w (wishes),
# n (negated wishes); a need's keys have no kind.
CAN, LEARN, WISH, NOT = "c", "l", "w", "n"


def index_keys(kind: str, stems_: Iterable[str]) -> list[str]:
    keys = []
    for s in sorted(stems_):
        keys.append(f"{kind}={s}")
        keys.extend(f"{kind}~{p}" for p in sorted(compound_parts(s)))
    return keys


def profile_index(*, what_i_can: str, want_to_learn: str, wishes: str) -> str:
    """A person's stored keys, from what they can, want to learn and their own words (never
    from `needs`: health is not read)."""
    wish = terms(wishes)
    keys = [
        *index_keys(CAN, terms(what_i_can).positive),
        *index_keys(LEARN, terms(want_to_learn).positive),
        *index_keys(WISH, wish.positive),
        *index_keys(NOT, wish.negative),
    ]
    return " ".join(dict.fromkeys(keys))


def need_index(*, role: str, tasks: str, skills: str) -> str:
    """A recruitment need's stored keys, from its role, tasks and skills."""
    return " ".join(dict.fromkeys(index_keys("", stems(" . ".join((role, tasks, skills))))))


def probes(kind: str, wanted: Iterable[str]) -> dict[str, set[str]]:
    """The keys that show a stored profile meets each of `wanted`, as key -> stems met: the
    stem itself, the stem as part of a stored compound, and each part of the stem stored as a
    stem of its own."""
    out: dict[str, set[str]] = {}
    for w in wanted:
        for key in (f"{kind}={w}", f"{kind}~{w}", *(f"{kind}={p}" for p in compound_parts(w))):
            out.setdefault(key, set()).add(w)
    return out


def met_by(keys: set[str], probe: dict[str, set[str]]) -> set[str]:
    """The stems of a probe that a stored key set meets."""
    met: set[str] = set()
    for key in keys:  # a person's or a need's few keys, looked up in the probe's many
        stems_met = probe.get(key)
        if stems_met:
            met |= stems_met
    return met
