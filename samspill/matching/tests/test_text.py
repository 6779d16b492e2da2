"""The matching text: stems, compounds and negation in bokmål, nynorsk and Danish."""

import pytest

from samspill.core import matchtext as text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("natten", "natt"),
        ("natta", "natt"),  # nynorsk
        ("nætter", "natt"),  # Danish
        ("netter", "natt"),
        ("lageret", "lager"),
        ("lager", "lager"),
        ("kundene", "kund"),
        ("kunderne", "kund"),  # Danish
    ],
)
def test_stems(word, expected):
    assert text.stem(text.fold(word)) == expected


def test_fold_keeps_scandinavian_letters_and_drops_accents():
    assert text.fold("Kafé Ærlig ØST Å") == "kafe ærlig øst å"


def test_compounds_meet_their_parts():
    need = text.stems("lager og truck")
    assert text.overlap(text.stems("lagermedarbeider, truckfører"), need) == {
        "lagermedarbeid",
        "truckfør",
    }
    # A short part is no match: "lag" must not meet "lagermedarbeider".
    assert not text.compound_match("lag", "lagermedarbeid")


@pytest.mark.parametrize(
    "wish",
    ["ikke natt", "ikkje natt", "ikke om natten", "ikke nætter", "Eg vil ikkje jobbe om natta"],
)
def test_negated_wish_counts_against(wish):
    t = text.terms(wish)
    assert "natt" in t.negative
    assert "natt" not in t.positive


def test_negation_ends_with_the_clause():
    t = text.terms("Jeg vil jobbe utendørs, ikke natt. Liker dyr")
    assert "natt" in t.negative
    assert {"utendør", "dyr"} <= t.positive
    t = text.terms("ikke kontor men gjerne lager")
    assert t.negative == {"kontor"} and "lager" in t.positive


@pytest.mark.parametrize(
    ("wanted", "offered"),
    [
        ("lager", "lagermedarbeider"),
        ("lagermedarbeider", "lager"),
        ("truck", "truckfører"),
        ("natt", "kontor"),
        ("kundeservice", "kunde"),
    ],
)
def test_stored_keys_find_what_overlap_finds(wanted, offered):
    """The stored index and its probes (the engine's fast path) agree with `overlap`."""
    need_stems = text.stems(wanted)
    keys = set(text.profile_index(what_i_can=offered, want_to_learn="", wishes="").split())
    assert text.met_by(keys, text.probes(text.CAN, need_stems)) == text.overlap(
        need_stems, text.stems(offered)
    )


def test_profile_index_keeps_negated_wishes_apart():
    keys = text.profile_index(what_i_can="", want_to_learn="", wishes="ute, ikke natt").split()
    assert "w=ute" in keys and "n=natt" in keys and "w=natt" not in keys
