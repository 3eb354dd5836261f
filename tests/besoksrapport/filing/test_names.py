"""Report file names stay readable and safe for Windows, SMB shares and Linux."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest

from besoksrapport.filing.names import (
    MAX_BYTES,
    MAX_CHARS,
    fixed_file_name,
    is_safe_name,
    report_file_name,
    safe_component,
    unique_name,
)

VISIT = date(2026, 11, 3)

NASTY = [
    "",
    " ",
    ".",
    "..",
    "...",
    "../../etc/passwd",
    "..\\..\\Windows\\System32",
    "/absolute/path",
    "C:\\Users\\x",
    "CON",
    "con",
    "Con.txt",
    "NUL .docx",
    "COM1",
    "lpt9.tar.gz",
    "COM¹",
    "AUX ",
    'a<b>c:d"e/f\\g|h?i*j',
    "tab\there\nnewline\rcarriage",
    "nul\x00byte",
    "\x1b[31mred\x1b[0m",
    "bidi \u202egpj.exe",
    "zero\u200bwidth\ufeffbom",
    "trailing dots...",
    "trailing spaces   ",
    "   leading spaces",
    "Anna\u00a0Lindqvist",  # no-break space
    "line\u2028separator",
    "A\u030angström",  # decomposed Å
    "Öberg Åsa Ängel",
    "Dragan Petrović",
    "李小龙",
    "🙂" * 200,
    "x" * 1000,
    "lone \ud800 surrogate",
    "\U000e0001 tag chars",
    "ends with dot.",
    "dots . . .",
]


@pytest.mark.parametrize("politician", NASTY)
@pytest.mark.parametrize("report_id", ["BR-1a2b", "../BR", "CON", "x" * 300, ""])
def test_report_names_from_nasty_input_are_safe(politician, report_id):
    name = report_file_name(VISIT, "kost", politician, report_id)
    assert is_safe_name(name), repr(name)
    assert name.startswith("2026-11-03 Kost ")
    assert name.endswith(".docx")
    assert "/" not in name and "\\" not in name


@pytest.mark.parametrize("text", NASTY)
def test_safe_component_never_yields_a_reserved_or_empty_component(text):
    component = safe_component(text)
    assert component
    assert component not in (".", "..")
    assert is_safe_name(component, max_chars=10_000, max_bytes=10_000), repr(component)


def test_readable_name_keeps_swedish_letters_composed():
    name = report_file_name(VISIT, "kultur", "Ce\u0301cilia O\u0308berg", "BR-9")
    assert name == "2026-11-03 Kultur Cécilia Öberg BR-9.docx"
    assert unicodedata.is_normalized("NFC", name)


def test_long_names_are_cut_but_keep_the_report_id():
    name = report_file_name(VISIT, "arbetsmarknad", "Å" * 500, "BR-7f3c")
    assert len(name) <= MAX_CHARS
    assert name.endswith(" BR-7f3c.docx")
    assert "ÅÅÅ" in name


def test_long_multibyte_names_respect_the_byte_bound():
    name = report_file_name(VISIT, "kost", "🙂" * 500, "BR-1")
    assert len(name.encode("utf-8")) <= MAX_BYTES
    assert name.endswith(" BR-1.docx")


def test_reserved_device_names_are_prefixed():
    assert safe_component("CON") == "_CON"
    assert safe_component("lpt1.docx") == "_lpt1.docx"
    assert safe_component("CONSOLE") == "CONSOLE"


def test_unique_name_resolves_case_insensitive_collisions():
    taken = ["2026-11-03 Kost A BR-1.docx", "2026-11-03 kost a br-1 (2).docx"]
    assert unique_name("2026-11-03 KOST A BR-1.docx", taken) == "2026-11-03 KOST A BR-1 (3).docx"
    assert unique_name("fresh.docx", taken) == "fresh.docx"


def test_unique_name_stays_within_the_length_bound():
    long_name = "x" * (MAX_CHARS - 5) + ".docx"
    result = unique_name(long_name, [long_name])
    assert len(result) <= MAX_CHARS
    assert result.endswith(" (2).docx")
    assert is_safe_name(result)


def test_fixed_names_carry_the_meeting_date():
    assert fixed_file_name(date(2026, 12, 10), "Förteckning") == "2026-12-10 Förteckning.docx"


def _random_text(rng: random.Random) -> str:
    alphabet = (
        [chr(c) for c in range(0, 0x80)]
        + list("åäöÅÄÖéüøæ ́̈\u00a0\u2028\u202e\u200b\ufeff")
        + ["🙂", "李", "\ud800", "\U000e0001", "..", "CON", "COM1", "LPT3", "/", "\\"]
    )
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))


def test_fuzzed_names_are_always_safe_and_unique():
    rng = random.Random(20261210)
    taken: list[str] = []
    for number in range(3000):
        name = report_file_name(VISIT, rng.choice(["kost", "komvux", _random_text(rng)]),
                                _random_text(rng), rng.choice([f"BR-{number}", _random_text(rng)]))
        assert is_safe_name(name), repr(name)
        name = unique_name(name, taken)
        assert is_safe_name(name), repr(name)
        taken.append(name)
    assert len({name.casefold() for name in taken}) == len(taken)
