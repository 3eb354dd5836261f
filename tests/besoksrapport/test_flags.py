"""Flags and joint-visit links for every report of a realistic year, and the counting rules."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from year import CHAIR, sent, sent_year

from besoksrapport.form.validation import validate_envelope
from besoksrapport.guideline.flags import (
    CODES,
    EMPLOYED_IN_OPERATION,
    NOT_CONTACT_FOR_OPERATION,
    NOT_ON_ROSTER,
    OVER_YEARLY_VISITS,
    POSSIBLE_DUPLICATE,
    RELATIVE_EMPLOYED,
    ROLE_DIFFERS,
    assess,
    assess_all,
    ordinal,
)

# Hand-made from the table in year.py: report → (flag codes, joint_visit_of).
EXPECTED = {
    "P01": (set(), None),
    "P02": (set(), None),
    "P03": (set(), "BR-2025-P02"),
    "R01": (set(), None),
    "R02": (set(), "BR-2026-R01"),
    "R03": (set(), None),
    "R04": ({OVER_YEARLY_VISITS}, None),
    "R05": ({RELATIVE_EMPLOYED}, None),
    "R06": (set(), None),
    "R07": (set(), None),
    "R08": ({EMPLOYED_IN_OPERATION}, None),
    "R09": (set(), None),
    "R10": ({POSSIBLE_DUPLICATE}, None),
    "R11": ({NOT_ON_ROSTER}, None),
    "R12": ({NOT_CONTACT_FOR_OPERATION}, None),
    "R13": (set(), None),
}


def test_the_year_of_reports_is_valid_as_the_webhook_sees_it():
    assert {item.label: validate_envelope(item.envelope) for item in sent_year()} == \
        {item.label: [] for item in sent_year()}


def test_every_report_of_the_year_gets_exactly_its_flags_and_link(reports, labelled, roster):
    assert set(labelled) == set(EXPECTED)
    for label, report in labelled.items():
        others = [other for other in reports if other is not report]
        result = assess(report, others, roster)
        codes, joint = EXPECTED[label]
        assert {flag.code for flag in result.flags} == codes, label
        assert result.joint_visit_of == joint, label


def test_assess_all_agrees_with_assessing_one_report_at_a_time(reports, roster):
    together = assess_all(reports, roster)
    for report in reports:
        assert assess(report, reports, roster) == together[report.report_id]


def test_the_assessment_does_not_depend_on_the_order_of_the_other_reports(reports, roster):
    shuffled = reports[:]
    random.Random(7).shuffle(shuffled)
    assert assess_all(shuffled, roster) == assess_all(reports, roster)


def test_flag_messages_are_swedish_and_name_what_to_check(labelled, reports, roster):
    messages = {label: [flag.message for flag in assess(report, reports, roster).flags]
                for label, report in labelled.items()}
    assert messages["R04"] == [
        "Detta är kontaktpolitikerns 3:e ordinarie besök 2026 utan ordförandens beslut. Enligt "
        "riktlinjerna deltar kontaktpolitikern vid 1–2 verksamhetsbesök per år; fler besök "
        "görs efter beslut av ordföranden."]
    assert "anställd i verksamheten kultur." in messages["R08"][0]
    assert "ska kontaktpolitikern inte vara anställd" in messages["R08"][0]
    assert "närstående är anställd i verksamheten Komvux." in messages["R05"][0]
    assert "bör kontaktpolitikern inte ha en närstående" in messages["R05"][0]
    assert messages["R10"] == [
        "Kontaktpolitikern har redan rapporterat samma besök (fritid, Sporthallen, den 18 mars "
        "2026) i "
        "rapport BR-2026-R09. Kontrollera om rapporten är en dubblett."]
    assert messages["R11"] == ["Den som skickade rapporten (id ”erik.nystrom” i e-tjänsten) "
                               "finns inte i nämndens lista över kontaktpolitiker."]
    assert messages["R12"] == ["Kontaktpolitikern är utsedd för fritid och kultur, inte för "
                               "turism."]


def test_operations_are_lower_case_mid_sentence_but_komvux_keeps_its_capital(roster):
    report = sent("G01", "anna.lindqvist", "arbetsmarknad", "Jobbtorget", "2026-04-01",
                  employed_in_operation=True).report()
    messages = [flag.message for flag in assess(report, [], roster).flags]
    assert messages[0] == ("Kontaktpolitikern är utsedd för kost och Komvux, inte för "
                           "arbetsmarknad.")
    assert messages[1].startswith("Kontaktpolitikern har uppgett att hen är anställd i "
                                  "verksamheten arbetsmarknad. Enligt riktlinjerna")


def test_flag_codes_are_the_stable_documented_ones():
    assert CODES == ("not_on_roster", "not_contact_for_operation", "role_differs_from_roster",
                     "employed_in_operation", "relative_employed_in_operation",
                     "over_yearly_visits", "possible_duplicate")


def test_a_politician_not_on_the_roster_gets_no_operation_flag_besides(labelled, reports,
                                                                       roster):
    codes = [flag.code for flag in assess(labelled["R11"], reports, roster).flags]
    assert codes == [NOT_ON_ROSTER]


def test_a_role_other_than_the_roster_says_is_flagged(roster):
    report = sent("X01", "cecilia.oberg", "kultur", "Museet", "2026-04-01",
                  role="ledamot").report()
    flags = assess(report, [], roster).flags
    assert [flag.code for flag in flags] == [ROLE_DIFFERS]
    assert flags[0].message == ("Kontaktpolitikern har angett rollen ledamot, men står som "
                                "ersättare i listan över kontaktpolitiker.")


def _codes(report, reports, roster) -> list[str]:
    return [flag.code for flag in assess(report, reports, roster).flags]


def test_a_late_report_about_an_earlier_visit_makes_the_later_visit_the_third(roster):
    may = sent("A01", "anna.lindqvist", "kost", "Centralköket", "2026-05-04").report()
    june = sent("A02", "anna.lindqvist", "komvux", "Komvux", "2026-06-08").report()
    march = sent("A03", "anna.lindqvist", "kost", "Skolköket", "2026-03-02",
                 received_after=timedelta(days=120)).report()  # sent in July
    assert _codes(june, [may], roster) == []
    result = assess_all([may, june, march], roster)
    assert [flag.code for flag in result[june.report_id].flags] == [OVER_YEARLY_VISITS]
    assert result[march.report_id].flags == []


def test_visits_on_the_same_day_are_counted_in_order_of_reception_then_report_id(roster):
    first = sent("B01", "anna.lindqvist", "kost", "Centralköket", "2026-02-02").report()
    later_received = sent("B03", "anna.lindqvist", "kost", "Skolköket", "2026-05-05",
                          received_after=timedelta(days=2)).report()
    earlier_received = sent("B02", "anna.lindqvist", "komvux", "Komvux", "2026-05-05").report()
    result = assess_all([first, later_received, earlier_received], roster)
    assert result[earlier_received.report_id].flags == []
    assert [f.code for f in result[later_received.report_id].flags] == [OVER_YEARLY_VISITS]

    same_time = sent("B04", "anna.lindqvist", "komvux", "Lärcentrum", "2026-05-05").report()
    result = assess_all([first, later_received, same_time, earlier_received], roster)
    # B02 and B04 were received at the same moment: the report id decides, B04 is third.
    assert result["BR-2026-B02"].flags == []
    assert [f.code for f in result["BR-2026-B04"].flags] == [OVER_YEARLY_VISITS]


def test_visits_decided_by_the_chair_neither_count_nor_are_flagged(roster):
    reports = [sent(f"C0{n}", "bengt.haraldsson", "arbetsmarknad", f"Enhet {n}",
                    f"2026-0{n}-10", chair_decision_date=f"2026-0{n}-01", **CHAIR).report()
               for n in range(1, 6)]
    ordinary = [sent(f"C1{n}", "bengt.haraldsson", "kost", f"Kök {n}", f"2026-0{n}-20").report()
                for n in (6, 7)]
    result = assess_all([*reports, *ordinary], roster)
    assert all(assessment.flags == [] for assessment in result.values())


def test_ordinary_visits_are_counted_per_calendar_year(roster):
    reports = [sent("D01", "anna.lindqvist", "kost", "Centralköket", "2025-11-03").report(),
               sent("D02", "anna.lindqvist", "kost", "Centralköket", "2025-12-01").report(),
               sent("D03", "anna.lindqvist", "kost", "Centralköket", "2026-01-12").report(),
               sent("D04", "anna.lindqvist", "kost", "Centralköket", "2026-02-09").report()]
    assert all(a.flags == [] for a in assess_all(reports, roster).values())


def test_a_duplicate_is_not_counted_as_a_further_visit(labelled, reports, roster):
    # Dragan: R09, R10 (the same visit again), R12: R12 is his second visit, not his third.
    assert OVER_YEARLY_VISITS not in _codes(labelled["R12"], reports, roster)


def test_the_same_visit_is_recognised_whatever_the_case_and_spacing_of_the_unit(roster):
    first = sent("E01", "anna.lindqvist", "kost", "Centralköket Norr", "2026-03-03").report()
    second = sent("E02", "bengt.haraldsson", "kost", " CENTRALKÖKET   norr", "2026-03-03",
                  received_after=timedelta(days=2)).report()
    again = sent("E03", "anna.lindqvist", "kost", "centralköket norr ", "2026-03-03",
                 received_after=timedelta(days=3)).report()
    result = assess_all([first, second, again], roster)
    assert result[second.report_id].joint_visit_of == first.report_id
    assert result[second.report_id].flags == []
    assert [f.code for f in result[again.report_id].flags] == [POSSIBLE_DUPLICATE]
    assert result[again.report_id].joint_visit_of is None


def test_another_operation_or_day_at_the_same_unit_is_another_visit(roster):
    first = sent("F01", "anna.lindqvist", "kost", "Centralköket", "2026-03-03").report()
    other_day = sent("F02", "bengt.haraldsson", "kost", "Centralköket", "2026-03-04").report()
    other_operation = sent("F03", "bengt.haraldsson", "arbetsmarknad", "Centralköket",
                           "2026-03-03").report()
    result = assess_all([first, other_day, other_operation], roster)
    assert all(a.joint_visit_of is None and a.flags == [] for a in result.values())


def test_the_report_itself_among_the_others_is_not_its_own_duplicate(labelled, reports, roster):
    assert assess(labelled["R01"], reports, roster).flags == []


@pytest.mark.parametrize(("number", "text"), [(1, "1:a"), (2, "2:a"), (3, "3:e"), (4, "4:e"),
                                              (11, "11:e"), (12, "12:e"), (21, "21:a"),
                                              (22, "22:a"), (101, "101:a"), (111, "111:e")])
def test_ordinals_are_written_the_swedish_way(number, text):
    assert ordinal(number) == text
