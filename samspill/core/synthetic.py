"""Synthetic, valid-looking identity and organisation numbers for demo data, tests and benches.

They pass python-stdnum's checks but are generated, not taken from real people or firms.
"""

import datetime
import random

from stdnum.no import fodselsnummer, orgnr


def fodselsnummer_for(
    birth_date: datetime.date, rng: random.Random, *, d_number: bool = False
) -> str:
    """A birth number (or D-number) with correct check digits for `birth_date`."""
    while True:
        if 1900 <= birth_date.year <= 1999:
            individual = rng.randint(0, 499)
        elif 2000 <= birth_date.year <= 2039:
            individual = rng.randint(500, 999)
        else:
            raise ValueError("birth year outside 1900-2039")
        day = birth_date.day + (40 if d_number else 0)
        base = f"{day:02d}{birth_date:%m%y}{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        number = base + k1 + k2
        if len(number) == 11 and fodselsnummer.is_valid(number):
            return number


def orgnr_for(rng: random.Random) -> str:
    """A nine-digit organisation number with a correct modulus-11 check digit."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        base = str(rng.randint(80000000, 99999999))
        check = (11 - sum(w * int(d) for w, d in zip(weights, base, strict=True)) % 11) % 11
        if check != 10 and orgnr.is_valid(base + str(check)):
            return base + str(check)
