"""National identity numbers: parsing (Norwegian birth and D-numbers, Danish CPR) and how the
participant services store them (normalised, unique per organisation)."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.no import fodselsnummer

from samspill.audit.models import AuditEvent
from samspill.core.synthetic import fodselsnummer_for
from samspill.core.testing import make_participant, make_staff
from samspill.organisations.models import Membership, Organisation
from samspill.participants import services
from samspill.participants.identity import format_identity_number, parse_identity_number
from samspill.participants.models import Participant

BIRTH_DATE = datetime.date(1990, 5, 17)


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in the source language, whatever catalogues are compiled.
    with translation.override("en"):
        yield


def a_fodselsnummer(birth_date: datetime.date = BIRTH_DATE, *, seed: int = 1) -> str:
    return fodselsnummer_for(birth_date, random.Random(seed))


def a_d_number(birth_date: datetime.date = BIRTH_DATE, *, seed: int = 1) -> str:
    return fodselsnummer_for(birth_date, random.Random(seed), d_number=True)


def with_check_digits(base: str) -> str:
    """Nine digits plus the two check digits that make the checksum right."""
    k1 = fodselsnummer.calc_check_digit1(base)
    return base + k1 + fodselsnummer.calc_check_digit2(base + k1)


def impossible_date_number() -> str:
    """31 February 1990, with check digits that are right: only the date is wrong."""
    for individual in range(1000):
        number = with_check_digits(f"310290{individual:03d}")
        if len(number) == 11:
            return number
    raise AssertionError("no individual number gives two single check digits")


def refusal(raw: str, country: str = "NO") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_identity_number(raw, country=country)
    return caught.value


@pytest.fixture
def danish_org(db) -> Organisation:
    return Organisation.objects.create(
        name="Jobcenter Aarhus",
        kind=Organisation.Kind.JOBCENTER,
        country=Organisation.Country.DENMARK,
    )


class TestNorwegianNumbers:
    def test_it_accepts_a_valid_birth_number(self):
        number = a_fodselsnummer()

        parsed = parse_identity_number(number, country="NO")

        assert parsed.number == number
        assert parsed.kind == "fnr"
        assert parsed.birth_date == BIRTH_DATE

    def test_it_accepts_a_birth_number_from_this_century(self):
        born = datetime.date(2004, 12, 31)

        parsed = parse_identity_number(a_fodselsnummer(born), country="NO")

        assert parsed.birth_date == born

    def test_it_refuses_a_wrong_checksum_with_a_clear_message(self):
        number = a_fodselsnummer()
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)

        error = refusal(wrong)

        assert error.code == "checksum"
        assert error.messages == [
            "The check digits do not match. Check the number for a typing error."
        ]

    def test_it_refuses_an_impossible_date(self):
        error = refusal(impossible_date_number())

        assert error.code == "component"
        assert "the date part is impossible" in error.messages[0]

    @pytest.mark.parametrize("raw", ["1705900681", "170590068190"])
    def test_it_refuses_the_wrong_length_and_says_how_many_digits_it_got(self, raw):
        error = refusal(raw)

        assert error.code == "length"
        assert error.messages == [
            f"A Norwegian identity number has 11 digits; this one has {len(raw)}."
        ]

    @pytest.mark.parametrize("raw", ["17O59006819", "abcdefghijk", "170590 0681x"])
    def test_it_refuses_letters(self, raw):
        error = refusal(raw)

        assert error.code == "format"
        assert error.messages == ["An identity number may only contain digits."]

    def test_it_accepts_a_d_number_and_derives_the_birth_date_from_day_minus_40(self):
        number = a_d_number()
        assert int(number[:2]) == BIRTH_DATE.day + 40

        parsed = parse_identity_number(number, country="NO")

        assert parsed.kind == "dnr"
        assert parsed.birth_date == BIRTH_DATE

    @pytest.mark.parametrize("raw", ["170590 06819", "170590-06819", " 1705 9006 819 "])
    def test_it_removes_spaces_and_dashes(self, raw):
        assert a_fodselsnummer() == "17059006819"  # the number the raw strings are written from

        parsed = parse_identity_number(raw, country="NO")

        assert parsed.number == "17059006819"

    def test_it_shows_a_stored_number_the_way_people_write_it(self):
        assert format_identity_number("17059006819") == "170590 06819"
        assert format_identity_number("0101901234") == "010190-1234"
        assert format_identity_number("") == ""


class TestDanishNumbers:
    def test_it_accepts_a_valid_cpr_number(self):
        # ddmmyy + four digits; a 7th digit of 0-3 means the 1900s.
        parsed = parse_identity_number("010190-1234", country="DK")

        assert parsed.number == "0101901234"
        assert parsed.kind == "cpr"
        assert parsed.birth_date == datetime.date(1990, 1, 1)

    def test_it_takes_the_century_from_the_seventh_digit(self):
        # A 7th digit of 4 with a year of 00-36 means the 2000s.
        parsed = parse_identity_number("0101054234", country="DK")

        assert parsed.birth_date == datetime.date(2005, 1, 1)

    def test_it_refuses_an_impossible_date(self):
        error = refusal("3102901234", country="DK")

        assert error.code == "component"
        assert error.messages == [
            "This is not a valid Danish CPR number (the date part is impossible)."
        ]

    def test_it_refuses_the_wrong_length(self):
        error = refusal("01019012345", country="DK")

        assert error.code == "length"
        assert error.messages == ["A Danish CPR number has 10 digits; this one has 11."]

    def test_it_does_not_take_a_cpr_number_in_a_norwegian_organisation(self):
        error = refusal("0101901234", country="NO")

        assert error.code == "length"


class TestStoringTheNumber:
    def test_it_stores_only_the_digits_with_kind_and_birth_date(self, org, counselor):
        participant = make_participant(org, counselor, national_id="170590 06819")

        participant.refresh_from_db()
        assert participant.national_id == "17059006819"
        assert participant.national_id_kind == "fnr"
        assert participant.birth_date == BIRTH_DATE

    def test_it_stores_a_d_number_with_its_kind(self, org, counselor):
        participant = make_participant(org, counselor, national_id=a_d_number())

        participant.refresh_from_db()
        assert participant.national_id_kind == "dnr"
        assert participant.birth_date == BIRTH_DATE

    def test_it_stores_a_cpr_number_in_a_danish_organisation(self, danish_org, counselor):
        dane = make_staff(danish_org, "dane@example.org", Membership.Role.COUNSELOR)
        participant = make_participant(danish_org, dane, national_id="010190-1234")

        participant.refresh_from_db()
        assert participant.national_id == "0101901234"
        assert participant.national_id_kind == "cpr"
        assert participant.birth_date == datetime.date(1990, 1, 1)

    def test_it_refuses_an_invalid_number_on_the_field_and_saves_nothing(self, org, counselor):
        with pytest.raises(ValidationError) as caught:
            make_participant(org, counselor, national_id=impossible_date_number())

        assert list(caught.value.message_dict) == ["national_id"]
        assert Participant.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    def test_it_allows_the_same_number_in_another_organisation(
        self, org, other_org, counselor, outsider
    ):
        number = a_fodselsnummer()
        make_participant(org, counselor, national_id=number)

        make_participant(other_org, outsider, national_id=number)

        assert Participant.objects.filter(national_id=number).count() == 2

    def test_it_refuses_the_same_number_twice_in_one_organisation(self, org, counselor):
        make_participant(org, counselor, national_id=a_fodselsnummer())
        participants, events = Participant.objects.count(), AuditEvent.objects.count()

        with pytest.raises(ValidationError) as caught:
            # Written differently, but the same number once normalised.
            make_participant(org, counselor, given_name="Per", national_id="170590-06819")

        assert caught.value.message_dict == {
            "national_id": ["Another participant in this organisation has this identity number."]
        }
        assert Participant.objects.count() == participants
        assert AuditEvent.objects.count() == events

    def test_it_refuses_an_update_to_a_number_another_participant_has(self, org, counselor):
        make_participant(org, counselor, national_id=a_fodselsnummer())
        other = make_participant(org, counselor, given_name="Per")

        with pytest.raises(ValidationError) as caught:
            services.participant_update(
                participant=other, by=counselor, national_id=a_fodselsnummer()
            )

        assert "national_id" in caught.value.message_dict
        other.refresh_from_db()
        assert other.national_id == ""
        assert other.birth_date is None

    def test_it_allows_many_participants_without_a_number(self, org, counselor):
        make_participant(org, counselor)
        make_participant(org, counselor, given_name="Per")

        assert Participant.objects.filter(national_id="").count() == 2
