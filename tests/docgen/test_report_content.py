"""What the report document says: a municipal document's header, every public answer in the
guideline's order, nothing private."""

from __future__ import annotations

import dataclasses
import io

from documents import PRIVATE_ANSWERS, PRIVATE_WORDS, answer_texts, document_text, make_report
from docx import Document
from envelopes import example_envelope

from besoksrapport.committee.model import Politician
from besoksrapport.report import Flag
from besoksrapport.swedish import DISCUSSION_POINTS
from docgen.report import CONCLUSIONS, NO_CONCLUSIONS, render_report


def test_every_public_answer_of_the_maximal_example_is_in_the_document(committee, maximal):
    text = document_text(render_report(make_report(maximal), committee))
    expected = answer_texts(maximal)
    assert set(expected) >= set(maximal["data"]["answers"]) - {"public_record_acknowledged",
                                                                "joint_visit",
                                                                *PRIVATE_ANSWERS}
    missing = {field: snippet for field, snippets in expected.items() for snippet in snippets
               if snippet not in text}
    assert missing == {}
    assert maximal["data"]["submitter"]["name"] in text


def test_header_is_that_of_a_municipal_document(committee):
    report = make_report()
    report.diary_number = "VSN 2026/143"
    text = document_text(render_report(report, committee))
    assert text.startswith(
        "Exempelby kommun\nVälfärd- och servicenämnden\n"
        "Återrapportering av verksamhetsbesök\n"
        "Datum: 3 november 2026\n"
        "Diarienummer: VSN 2026/143\n"
        "Rapport-id: BR-2026-7K3M9Q\n"
        "Ärende: Verksamhetsbesök inom kost – Centralköket, Storgatan 12, den 21 oktober 2026\n"
        "Till: Välfärd- och servicenämnden\n"
        "Från: Anna Lindqvist, ledamot, kontaktpolitiker\n"
        "Sammanträde: 10 december 2026\n"
        "Styrdokument: Riktlinjer för Välfärd- och servicenämndens kontaktpolitiker, "
        "antagna 17 januari 2024, § 3\n")


def test_sender_names_the_operations_the_roster_appoints_the_politician_for(committee):
    roster = dataclasses.replace(committee, politicians=(
        Politician("anna.lindqvist", "Anna Lindqvist", "ledamot", ("kost", "komvux")),))
    text = document_text(render_report(make_report(), roster))
    assert "Från: Anna Lindqvist, ledamot, kontaktpolitiker för kost och Komvux\n" in text


def test_a_report_without_diary_number_has_no_such_line(committee):
    assert "Diarienummer" not in document_text(render_report(make_report(), committee))


def test_in_place_of_a_signature_it_says_how_the_report_was_sent(committee):
    text = document_text(render_report(make_report(), committee))
    assert ("Om rapporten\nAnna Lindqvist\nInskickad via e-tjänst efter inloggning\n"
            "Mottagen den 3 november 2026 kl. 14.05") in text


def test_report_without_meeting_says_the_meeting_is_not_decided(committee):
    text = document_text(render_report(make_report(meeting=None), committee))
    assert "Sammanträde: ännu inte bestämt" in text
    assert "sammanträde den" not in text


def test_the_politicians_own_conclusions_are_a_section_of_their_own(committee):
    doc = Document(io.BytesIO(render_report(make_report(), committee)))
    texts = [p.text for p in doc.paragraphs]
    heading = texts.index(CONCLUSIONS)
    assert doc.paragraphs[heading].style.name == "Heading 2"
    assert texts[heading + 1].startswith("Nämnden bör följa frågan om kylrummen")
    assert texts.index("Övriga iakttagelser") < heading < texts.index("Muntlig sammanfattning")
    answers = example_envelope("maximal")["data"]["answers"]
    del answers["own_conclusions"]
    text = document_text(render_report(make_report(answers=answers), committee))
    assert f"{CONCLUSIONS}\n{NO_CONCLUSIONS}" in text


def test_declarations_and_the_arvode_claim_are_not_in_the_public_report(committee):
    answers = example_envelope("maximal")["data"]["answers"]
    answers.update(employed_in_operation=True, relative_employed_in_operation=True,
                   claims_meeting_fee=True)
    text = document_text(render_report(make_report(answers=answers), committee)).casefold()
    assert [word for word in PRIVATE_WORDS if word in text] == []


def test_discussion_points_follow_the_guideline_order_under_heading_2(committee):
    doc = Document(io.BytesIO(render_report(make_report(), committee)))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    points = [h for h in headings if h in DISCUSSION_POINTS.values()]
    assert points == list(DISCUSSION_POINTS.values())
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "Återrapportering av verksamhetsbesök"]


def test_date_and_time_are_written_the_swedish_way(committee):
    answers = example_envelope("maximal")["data"]["answers"]
    answers.update(visit_date="2026-10-28", start_time="09:30", end_time="11:00",
                   visit_kind="chair_decision", chair_decision_date="2026-10-14")
    text = document_text(render_report(make_report(answers=answers), committee))
    assert "Datum och tid\n28 oktober 2026, kl. 09.30–11.00" in text
    assert "Besök efter beslut av ordföranden (beslut den 14 oktober 2026)" in text
    # Received 13.05 UTC on 3 November is 14.05 in Stockholm (CET).
    assert "Mottagen den 3 november 2026 kl. 14.05" in text
    assert "Rapport-id: BR-2026-7K3M9Q" in text


def test_unanswered_fields_are_marked_plainly_never_as_python_values(committee):
    answers = example_envelope("maximal")["data"]["answers"]
    for field in ("information_given", "unit_news", "operation_raises", "other_observations",
                  "other_participants", "met_other", "chair_decision_date"):
        answers.pop(field, None)
    answers["strengths_and_challenges"] = "Stabil personal."
    answers.update(joint_visit=False, met=["staff"], visit_kind="ordinary",
                   oral_summary=False, invited_by_operation=True)
    text = document_text(render_report(make_report(answers=answers), committee))
    assert text.count("Inget svar lämnades.") == 4  # the four unanswered points
    assert "Inga andra kontaktpolitiker deltog." in text
    assert "Ordinarie besök (1–2 per år)" in text
    assert "Kontaktpolitikern gör ingen muntlig sammanfattning av besöket." in text
    for python_value in ("None", "True", "False", "[]", "{}"):
        assert python_value not in text


def test_flags_for_the_secretary_never_reach_the_public_document(committee):
    report = make_report()
    report.flags = [Flag("employed_relative", "Kontaktpolitikern har en närstående anställd."),
                    Flag("too_many_visits", "Tredje ordinarie besöket i år.")]
    data = render_report(report, committee)
    text = document_text(data)
    assert "närstående anställd." not in text
    assert "Tredje ordinarie" not in text
    assert b"too_many_visits" not in data and b"employed_relative" not in data


def test_facts_table_lists_each_other_participant_and_group_met(committee):
    answers = example_envelope("maximal")["data"]["answers"]
    answers.update(joint_visit=True, other_participants=["Bengt Haraldsson", "Cecilia Öberg"],
                   met=["staff", "service_users", "management", "other"],
                   met_other="elevrådet")
    doc = Document(io.BytesIO(render_report(make_report(answers=answers), committee)))
    rows = {row.cells[0].text: [p.text for p in row.cells[1].paragraphs]
            for row in doc.tables[0].rows}
    assert rows["Övriga kontaktpolitiker som deltog"] == ["Bengt Haraldsson", "Cecilia Öberg"]
    assert rows["Träffade under besöket"] == ["Personal", "Brukare", "Ledning eller chefer",
                                              "Andra: elevrådet"]
    assert rows["Uppgift"] == ["Svar"]
