"""The roster against the guideline: every operation covered, only ledamöter and ersättare."""

from __future__ import annotations

import dataclasses

from besoksrapport.cli.main import main
from besoksrapport.committee.config import load_committee
from besoksrapport.committee.model import Politician
from besoksrapport.committee.roster import roster_problems
from besoksrapport.paths import EXAMPLE_CONFIG


def _with(committee, *politicians):
    return dataclasses.replace(committee, politicians=tuple(politicians))


def test_the_example_roster_follows_the_guideline():
    assert roster_problems(load_committee(EXAMPLE_CONFIG)) == []


def test_an_operation_without_kontaktpolitiker_is_named(roster):
    only_two = _with(roster, Politician("a", "A", "ledamot", ("kost", "komvux")),
                     Politician("b", "B", "ersattare", ("turism", "kultur", "fritid")))
    assert roster_problems(only_two) == [
        "Verksamheten arbetsmarknad har ingen kontaktpolitiker; enligt riktlinjerna har varje "
        "verksamhet minst en."]


def test_an_empty_roster_leaves_all_six_operations_without_kontaktpolitiker(roster):
    problems = roster_problems(_with(roster))
    assert len(problems) == 6
    for label in ("kost", "arbetsmarknad", "Komvux", "turism", "kultur", "fritid"):
        assert any(f"Verksamheten {label} har ingen" in problem for problem in problems)


def test_a_role_other_than_ledamot_or_ersattare_is_refused_and_covers_nothing(roster):
    everyone = ("kost", "arbetsmarknad", "komvux", "turism", "kultur", "fritid")
    problems = roster_problems(_with(roster, Politician("x.y", "X Y", "tjänsteperson", everyone),
                                     Politician("a", "A", "ledamot", everyone[1:])))
    assert problems == [
        "Kontaktpolitiker nr 1 (id ”x.y”) har rollen ”tjänsteperson”; en kontaktpolitiker ska "
        "vara ledamot eller ersättare i nämnden (skriv ”ledamot” eller ”ersattare”).",
        "Verksamheten kost har ingen kontaktpolitiker; enligt riktlinjerna har varje "
        "verksamhet minst en."]


def test_a_duplicate_id_is_reported_once_with_its_count(roster):
    doubled = _with(roster, *roster.politicians, roster.politicians[0], roster.politicians[0])
    assert roster_problems(doubled) == [
        "Id ”anna.lindqvist” står 3 gånger; varje kontaktpolitiker ska stå en gång, med alla "
        "sina verksamheter."]


def test_an_unknown_operation_is_named_with_the_known_ones(roster):
    extra = Politician("e.f", "E F", "ersattare", ("skola",))
    problems = roster_problems(_with(roster, *roster.politicians, extra))
    assert problems == [
        "Kontaktpolitiker nr 6 (id ”e.f”) är kontaktpolitiker för ”skola”, som inte är en av "
        "nämndens verksamheter (”kost”, ”arbetsmarknad”, ”komvux”, ”turism”, ”kultur” och "
        "”fritid”)."]


def test_check_config_prints_the_roster_problems_and_fails(tmp_path, capsys):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    # Dragan is the only kontaktpolitiker for fritid: give him kultur only.
    config = tmp_path / "committee.toml"
    config.write_text(text.replace('operations = ["fritid", "kultur"]',
                                   'operations = ["kultur"]'), encoding="utf-8")
    assert main(["check-config", str(config)]) == 1
    assert ("Fel i kontaktpolitikerlistan: Verksamheten fritid har ingen kontaktpolitiker"
            in capsys.readouterr().out)
