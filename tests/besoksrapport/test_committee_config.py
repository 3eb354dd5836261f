"""The committee configuration: what loads, and how each mistake is named."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from besoksrapport.committee.config import load_committee
from besoksrapport.errors import ConfigError
from besoksrapport.paths import EXAMPLE_CONFIG

MINIMAL = """
municipality = "Exempelby kommun"
committee = "Välfärd- och servicenämnden"
[meetings]
dates = [{dates}]
[deadline]
days_before = 7
[secretary]
emails = ["sekreterare@exempelby.se"]
"""


def write(tmp_path: Path, text: str, name: str = "committee.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_example_loads_with_a_full_roster():
    committee = load_committee(EXAMPLE_CONFIG)
    assert committee.name == "Välfärd- och servicenämnden"
    assert committee.genitive == "Välfärd- och servicenämndens"
    assert list(committee.meetings) == sorted(committee.meetings)
    covered = {op for person in committee.politicians for op in person.operations}
    assert covered == {"kost", "arbetsmarknad", "komvux", "turism", "kultur", "fritid"}


def test_unquoted_toml_dates_and_quoted_dates_mean_the_same(tmp_path):
    quoted = load_committee(write(tmp_path, MINIMAL.format(dates='"2027-01-28"'), "a.toml"))
    bare = load_committee(write(tmp_path, MINIMAL.format(dates="2027-01-28"), "b.toml"))
    assert quoted.meetings == bare.meetings == (dt.date(2027, 1, 28),)


def test_defaults_for_deadline_time_and_notification(tmp_path):
    committee = load_committee(write(tmp_path, MINIMAL.format(dates="")))
    assert committee.deadline.at == dt.time(12, 0)
    assert committee.notify == "each"
    assert committee.meetings == ()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (("days_before = 7", "days_before = -1"), "deadline.days_before",
         "värdet -1 är mindre än det minsta tillåtna, 0."),
        (('"sekreterare@exempelby.se"', '"inte en adress"'), "secretary.emails[0]",
         "skriv en e-postadress som namn@exempelby.se."),
        (("[deadline]", "colour = 'blå'\n[deadline]"), "meetings.colour",
         "fältet finns inte i konfigurationen; kontrollera stavningen."),
        (('municipality = "Exempelby kommun"', ""), "municipality",
         "fältet saknas men måste finnas."),
    ],
)
def test_a_mistake_names_the_file_the_field_and_what_is_wrong(tmp_path, change, field, words):
    text = MINIMAL.format(dates='"2027-01-28"').replace(*change)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_committee(path)
    assert caught.value.source == str(path)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"Konfigurationsfel i {path}, fältet {field}: ")
    assert str(caught.value).endswith(words)


def test_an_impossible_meeting_date_is_refused(tmp_path):
    path = write(tmp_path, MINIMAL.format(dates='"2027-02-30"'))
    with pytest.raises(ConfigError, match=r"meetings\.dates\[0\]"):
        load_committee(path)


def test_broken_toml_is_reported_with_the_file(tmp_path):
    path = write(tmp_path, "municipality = \n")
    with pytest.raises(ConfigError, match="filen är inte giltig TOML: fel på rad 1, kolumn 16"):
        load_committee(path)


def test_meetings_are_imported_from_an_icalendar_file_and_merged(tmp_path):
    (tmp_path / "sammantraden.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Exempelby//Kalender//SV\r\n"
        "BEGIN:VEVENT\r\nUID:1@exempelby\r\nDTSTAMP:20261101T080000Z\r\n"
        "DTSTART;TZID=Europe/Stockholm:20270211T130000\r\nSUMMARY:Sammanträde\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:2@exempelby\r\nDTSTAMP:20261101T080000Z\r\n"
        "DTSTART:20270310T230000Z\r\nSUMMARY:Sammanträde\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:3@exempelby\r\nDTSTAMP:20261101T080000Z\r\n"
        "DTSTART;VALUE=DATE:20270415\r\nSUMMARY:Sammanträde\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    text = MINIMAL.format(dates='"2027-01-28"').replace("[deadline]",
                                                        'ics = "sammantraden.ics"\n[deadline]')
    committee = load_committee(write(tmp_path, text))
    # 23:00 UTC on 10 March is already 11 March in Stockholm; the cancelled one is left out.
    assert committee.meetings == (dt.date(2027, 1, 28), dt.date(2027, 2, 11),
                                  dt.date(2027, 3, 11))


def test_a_missing_icalendar_file_is_named(tmp_path):
    text = MINIMAL.format(dates="").replace("[deadline]", 'ics = "saknas.ics"\n[deadline]')
    with pytest.raises(ConfigError) as caught:
        load_committee(write(tmp_path, text))
    assert caught.value.field == "meetings.ics"


def test_check_config_command_validates_without_starting_anything(tmp_path):
    good = subprocess.run([sys.executable, "-m", "besoksrapport.cli", "check-config",
                           str(EXAMPLE_CONFIG)], capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr
    assert "OK" in good.stdout
    bad_path = write(tmp_path, MINIMAL.format(dates='"2027-02-30"'))
    bad = subprocess.run([sys.executable, "-m", "besoksrapport.cli", "check-config",
                          str(bad_path)], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert str(bad_path) in bad.stderr and "meetings.dates[0]" in bad.stderr



ROSTER = """
[[politicians]]
id = "anna.lindqvist"
name = "Anna Lindqvist"
role = "ledamot"
operations = ["kost"]
{dates}
"""


def test_what_the_documents_cite_defaults_to_the_committees_own_guideline(tmp_path):
    committee = load_committee(write(tmp_path, MINIMAL.format(dates="")))
    assert committee.guideline.citation == (
        "Riktlinjer för Välfärd- och servicenämndens kontaktpolitiker, "
        "antagna 17 januari 2024, § 3")
    assert committee.proposals.listing == "Anmälningsärendena läggs till handlingarna"
    assert committee.proposals.follow_up == "Uppföljningen läggs till handlingarna"
    assert committee.diary_number is None


def test_guideline_diary_number_and_proposals_are_read_from_the_file(tmp_path):
    text = MINIMAL.format(dates="") + """
[guideline]
title = "Riktlinjer för kontaktpolitiker i socialnämnden"
adopted = 2025-03-12
paragraph = "§ 41"
[diary_number]
pattern = 'SN \\d{4}/\\d+'
example = "SN 2026/7"
[proposals]
listing = "Informationen noteras"
"""
    committee = load_committee(write(tmp_path, text))
    assert committee.guideline.citation == (
        "Riktlinjer för kontaktpolitiker i socialnämnden, antagna 12 mars 2025, § 41")
    rule = committee.diary_number
    assert rule is not None and rule.matches("SN 2026/143") and not rule.matches("SN 26/143")
    assert committee.proposals.listing == "Informationen noteras"
    assert committee.proposals.follow_up == "Uppföljningen läggs till handlingarna"


def test_the_example_configures_a_diary_number_its_own_example_matches():
    rule = load_committee(EXAMPLE_CONFIG).diary_number
    assert rule is not None and rule.matches(rule.example) and rule.matches("VSN 2026/1")
    assert not rule.matches("VSN 2026/143 extra")


@pytest.mark.parametrize(("section", "field"), [
    ("pattern = 'VSN ('\nexample = \"VSN (\"", "diary_number.pattern"),
    ("pattern = 'VSN \\d{4}/\\d+'\nexample = \"2026/143\"", "diary_number.example"),
])
def test_a_diary_number_rule_that_cannot_work_is_refused(tmp_path, section, field):
    text = MINIMAL.format(dates="") + f"[diary_number]\n{section}\n"
    with pytest.raises(ConfigError) as caught:
        load_committee(write(tmp_path, text))
    assert caught.value.field == field


def test_appointment_dates_say_in_which_years_a_politician_was_kontaktpolitiker(tmp_path):
    text = MINIMAL.format(dates="") + ROSTER.format(
        dates="appointed = 2024-05-01\nuntil = 2025-12-31")
    committee = load_committee(write(tmp_path, text))
    [anna] = committee.politicians
    assert (anna.appointed, anna.until) == (dt.date(2024, 5, 1), dt.date(2025, 12, 31))
    assert committee.roster_between(dt.date(2024, 1, 1), dt.date(2024, 4, 30)) == ()
    assert committee.roster_between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == (anna,)
    assert committee.roster_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == ()


def test_an_appointment_that_ends_before_it_starts_is_refused(tmp_path):
    text = MINIMAL.format(dates="") + ROSTER.format(
        dates="appointed = 2025-05-01\nuntil = 2024-12-31")
    with pytest.raises(ConfigError) as caught:
        load_committee(write(tmp_path, text))
    assert caught.value.field == "politicians[0]"
