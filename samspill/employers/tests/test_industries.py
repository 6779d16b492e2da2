"""The industry code list (NACE Rev. 2 / SN2007 / DB07) and its helpers; no database needed."""

import string

import pytest
from django.utils import translation

from samspill.employers import industries

# The 88 NACE Rev. 2 divisions: the gaps (04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89) are part of
# the standard, left free so that sections could grow.
DIVISION_CODES = [
    *("01", "02", "03", "05", "06", "07", "08", "09"),
    *(f"{n:02d}" for n in range(10, 34)),
    *("35", "36", "37", "38", "39", "41", "42", "43", "45", "46", "47"),
    *("49", "50", "51", "52", "53", "55", "56", "58", "59", "60", "61", "62", "63"),
    *("64", "65", "66", "68", "69", "70", "71", "72", "73", "74", "75"),
    *("77", "78", "79", "80", "81", "82", "84", "85", "86", "87", "88"),
    *("90", "91", "92", "93", "94", "95", "96", "97", "98", "99"),
]


def test_sections_are_a_to_u():
    sections = industries.sections()
    assert [s.code for s in sections] == list(string.ascii_uppercase[:21])
    assert all(s.level == industries.SECTION and s.parent is None for s in sections)


def test_divisions_are_the_88_nace_divisions_in_order():
    assert len(DIVISION_CODES) == 88
    assert [d.code for d in industries.divisions()] == DIVISION_CODES


def test_every_division_belongs_to_a_section():
    section_codes = {s.code for s in industries.sections()}
    for division in industries.divisions():
        assert division.level == industries.DIVISION
        assert division.parent in section_codes


def test_every_section_has_divisions():
    for section in industries.sections():
        assert industries.divisions(section.code), section.code


def test_codes_are_unique():
    codes = [i.code for i in [*industries.sections(), *industries.divisions()]]
    assert len(codes) == len(set(codes)) == 21 + 88


def test_every_name_is_filled_in_all_languages():
    for industry in [*industries.sections(), *industries.divisions()]:
        assert set(industry.names) == set(industries.LANGUAGES)
        for language, text in industry.names.items():
            assert text.strip() == text and text, (industry.code, language)


@pytest.mark.parametrize(
    ("division", "section"),
    [("01", "A"), ("10", "C"), ("47", "G"), ("56", "I"), ("62", "J"), ("86", "Q"), ("99", "U")],
)
def test_section_of(division, section):
    assert industries.section_of(division) == section


@pytest.mark.parametrize("code", ["00", "04", "100", "1", "", "A"])
def test_section_of_unknown_division_raises_key_error(code):
    with pytest.raises(KeyError):
        industries.section_of(code)


def test_get():
    retail = industries.get("47")
    assert retail is not None
    assert retail.parent == "G"
    assert retail.names["nb"] == "Detaljhandel, unntatt med motorvogner"
    assert industries.get("G") == industries.sections()[6]
    assert industries.get("48") is None


def test_divisions_of_a_section():
    assert [d.code for d in industries.divisions("I")] == ["55", "56"]
    assert [d.code for d in industries.divisions("C")] == [f"{n:02d}" for n in range(10, 34)]
    assert industries.divisions("Z") == []


def test_known_names():
    agriculture = industries.get("A")
    food = industries.get("10")
    restaurants = industries.get("56")
    assert agriculture is not None and food is not None and restaurants is not None
    assert industries.name(agriculture, "nb") == "Jordbruk, skogbruk og fiske"
    assert industries.name(agriculture, "da") == "Landbrug, jagt, skovbrug og fiskeri"
    assert industries.name(agriculture, "en") == "Agriculture, forestry and fishing"
    assert industries.name(food, "nb") == "Produksjon av nærings- og nytelsesmidler"
    assert industries.name(restaurants, "nb") == "Serveringsvirksomhet"
    assert industries.name(restaurants, "en") == "Food and beverage service activities"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Serveringsvirksomhet"),
        ("nb-no", "Serveringsvirksomhet"),
        ("no", "Serveringsvirksomhet"),
        ("da", "Restaurationsvirksomhed"),
        ("da-DK", "Restaurationsvirksomhed"),
        ("en", "Food and beverage service activities"),
        ("de", "Food and beverage service activities"),
        ("", "Food and beverage service activities"),
    ],
)
def test_name_falls_back_to_english(language, expected):
    restaurants = industries.get("56")
    assert restaurants is not None
    assert industries.name(restaurants, language) == expected


def test_division_choices_shape():
    choices = industries.division_choices("nb")
    assert len(choices) == 21
    assert choices[0][0] == "A – Jordbruk, skogbruk og fiske"
    assert choices[0][1] == [
        ("01", "01 – Jordbruk og tjenester tilknyttet jordbruk, jakt og viltstell"),
        ("02", "02 – Skogbruk og tjenester tilknyttet skogbruk"),
        ("03", "03 – Fiske, fangst og akvakultur"),
    ]
    values = [value for _, group in choices for value, _ in group]
    assert values == DIVISION_CODES
    for label, group in choices:
        assert isinstance(label, str)
        assert all(text.startswith(f"{value} – ") for value, text in group)


def test_division_choices_follow_the_active_language():
    with translation.override("da"):
        assert industries.division_choices()[0][0] == "A – Landbrug, jagt, skovbrug og fiskeri"
    with translation.override("nb"):
        assert industries.division_choices()[0][0] == "A – Jordbruk, skogbruk og fiske"
    with translation.override("en"):
        assert industries.division_choices()[0][0] == "A – Agriculture, forestry and fishing"
    with translation.override("de"):
        assert industries.division_choices()[0][0] == "A – Agriculture, forestry and fishing"
    # An explicit language wins over the active one.
    with translation.override("da"):
        assert industries.division_choices("en")[0][0] == "A – Agriculture, forestry and fishing"


def test_division_choices_without_any_active_language_use_english():
    with translation.override(None):
        assert industries.division_choices()[0][0] == "A – Agriculture, forestry and fishing"


def test_names_are_read_only():
    agriculture = industries.get("A")
    assert agriculture is not None
    with pytest.raises(TypeError):
        agriculture.names["en"] = "Farming"  # type: ignore[index]
    assert hash(agriculture) == hash(industries.get("A"))
