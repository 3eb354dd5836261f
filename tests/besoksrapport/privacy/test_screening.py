"""The screening finds personal data by its shape, and leaves dates, ids and unit numbers."""

from __future__ import annotations

import pytest

from besoksrapport.privacy.screening import (
    ADDRESS,
    EMAIL,
    MASK,
    PERSONNUMMER,
    PHONE,
    POSSIBLE_PERSONNUMMER,
    POSSIBLE_SAMORDNINGSNUMMER,
    SAMORDNINGSNUMMER,
    masked,
    screen,
)


def kinds(text: str, field: str = "other_observations") -> list[str]:
    return [finding.kind for finding in screen({field: text})]


@pytest.mark.parametrize(("text", "kind"), [
    ("hans personnummer är 19800101-1234", POSSIBLE_PERSONNUMMER),
    ("hans personnummer är 19811218-9876", PERSONNUMMER),
    ("född 811218-9876 enligt anhöriga", PERSONNUMMER),
    ("nummer 8112189876 stod på lappen", PERSONNUMMER),
    ("198112189876", PERSONNUMMER),
    ("samordningsnummer 701063-2391", SAMORDNINGSNUMMER),
    ("samordningsnummer 19701063-2392", POSSIBLE_SAMORDNINGSNUMMER),
    ("ring henne på 070-123 45 67", PHONE),
    ("telefon 08-123 456 78", PHONE),
    ("Ring 0701234567.", PHONE),
    ("nås på +46 70 123 45 67", PHONE),
    ("mejla anna.svensson@example.com", EMAIL),
    ("hon bor på Storgatan 12 B", ADDRESS),
    ("brukaren bor på Södra Kyrkvägen 3, lgh 1101", ADDRESS),
])
def test_it_finds_each_kind_of_personal_data(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize("text", [
    "Besöket var den 2026-11-03 kl. 09.30–11.00, och nästa gång 2026-12-01.",
    "Se rapport BR-2026-7Q3K9X och ärendet VSN 2026/143.",
    "Avdelning 3B, Hus 12 och Gruppboendet Björken 2 har 14 platser.",
    "Budgeten är 1 250 000 kronor för 2027; 45 minuter per dag, 12 brukare.",
    "Datum 20261103 och perioden 2026-11-03–2026-11-05.",
    "Dnr KS 2025/1234, lokal 4:12, rum 0.14.",
    "Telefontiden är 08.00–10.00 varje vardag.",
])
def test_dates_ids_diary_numbers_and_unit_numbers_are_not_flagged(text):
    assert kinds(text) == []


def test_unit_names_with_numbers_and_street_names_are_not_flagged():
    assert kinds("Storgatan 5, dagverksamheten", field="unit") == []
    assert kinds("Avdelning 3, vån 2", field="unit") == []


def test_a_date_that_does_not_exist_is_no_personnummer():
    assert kinds("kod 19801301-1234 och 19800230-1234") == []


def test_the_masked_copy_replaces_every_found_string_and_keeps_the_rest():
    answers = {"other_observations": "Ring 070-123 45 67 eller mejla a@b.se, pnr 19800101-1234.",
               "unit_news": "Inget särskilt.", "visit_date": "2026-11-03"}
    copy = masked(answers)
    assert copy["other_observations"] == f"Ring {MASK} eller mejla {MASK}, pnr {MASK}."
    assert copy["unit_news"] == "Inget särskilt."
    assert answers["other_observations"].startswith("Ring 070")  # the original untouched
