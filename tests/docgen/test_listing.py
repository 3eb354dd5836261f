"""The Förteckning: the meeting's reports listed like anmälningsärenden on an agenda."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

from docx import Document
from meeting_reports import MEETING, make_report

from besoksrapport.committee.model import Proposals
from besoksrapport.filing.entries import ListedReport
from besoksrapport.report import Flag
from docgen.accessibility import check_docx
from docgen.listing import COLUMNS, render_listing
from docgen.template import Template


def entries(*numbers: int) -> list[ListedReport]:
    return [ListedReport(make_report(n), f"fil-{n}.docx") for n in numbers]


def table_rows(data: bytes) -> list[list[str]]:
    [table] = Document(io.BytesIO(data)).tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_listing_names_committee_and_meeting_in_swedish(committee):
    doc = Document(io.BytesIO(render_listing(MEETING, committee, entries(1, 2))))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Förteckning över återrapporterade verksamhetsbesök"
    assert doc.paragraphs[0].style.name == "Heading 1"
    assert "Välfärd- och servicenämnden" in texts
    assert "Sammanträde den 10 december 2026" in texts
    assert doc.core_properties.title.endswith("10 december 2026")


def test_rows_are_numbered_in_visit_date_then_report_id_order(committee):
    same_day = make_report(41, visit_date="2026-10-02")  # same visit date as report 1
    early = make_report(7, visit_date="2026-09-15")
    listed = [ListedReport(same_day, "a.docx"), ListedReport(make_report(1), "b.docx"),
              ListedReport(early, "c.docx")]
    rows = table_rows(render_listing(MEETING, committee, listed))
    assert [row[0] for row in rows[1:]] == ["1.", "2.", "3."]
    assert [row[1] for row in rows[1:]] == ["2026-09-15", "2026-10-02", "2026-10-02"]
    assert [row[6] for row in rows[1:]] == ["BR-0007", "BR-0001", "BR-0041"]


def test_each_row_shows_operation_unit_politician_oral_summary_and_report_but_no_file(
        committee):
    report = make_report(3, operation="komvux", unit="Vuxenutbildningen Åby", oral_summary=True)
    data = render_listing(MEETING, committee, [ListedReport(report, "x y.docx")])
    rows = table_rows(data)
    assert [label.replace("\u00ad", "") for label in rows[0]] == [
        "Nr", "Besöksdatum", "Verksamhet", "Enhet", "Kontaktpolitiker",
        "Muntlig sammanfattning", "Rapport"]
    assert rows[1] == ["1.", report.visit_date.isoformat(), "Komvux", "Vuxenutbildningen Åby",
                       report.submitter.name, "Ja", "BR-0003"]
    assert b"x y.docx" not in data
    no_oral = make_report(4, oral_summary=False)
    assert table_rows(render_listing(MEETING, committee,
                                     [ListedReport(no_oral, "z.docx")]))[1][5] == "Nej"


def test_listing_is_accessible_and_its_header_row_repeats(committee):
    data = render_listing(MEETING, committee, entries(*range(1, 40)))
    assert check_docx(data) == []
    [table] = Document(io.BytesIO(data)).tables
    assert table.rows[0]._tr.trPr.xpath("w:tblHeader")
    assert len(table.rows) == 40
    assert len(COLUMNS) == len(table.columns)


def test_listing_is_byte_identical_whatever_the_input_order(committee):
    listed = entries(5, 1, 3)
    assert (render_listing(MEETING, committee, listed)
            == render_listing(MEETING, committee, list(reversed(listed))))


def test_flags_are_not_in_the_public_listing(committee):
    report = make_report(1)
    report.flags.append(Flag("employed", "Anställd i verksamheten"))
    data = render_listing(MEETING, committee, [ListedReport(report, "a.docx")])
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    text += "\n".join("|".join(row) for row in table_rows(data))
    assert "Anställd i verksamheten" not in text
    assert "employed" not in text


def test_an_empty_meeting_says_so_without_a_table(committee):
    data = render_listing(date(2027, 1, 28), committee, [])
    doc = Document(io.BytesIO(data))
    assert doc.tables == []
    assert "Inga återrapporter har kommit in till det här sammanträdet." in [
        p.text for p in doc.paragraphs]
    assert check_docx(data) == []


def test_listing_uses_the_given_template(committee, tmp_path):
    base = Template.load()
    doc = base.new_document()
    doc.sections[0].header.paragraphs[0].text = "Exempelby kommun, nämndkansliet"
    buffer = io.BytesIO()
    doc.save(buffer)
    template = Template(buffer.getvalue(), name="exempelby.docx")
    data = render_listing(MEETING, committee, entries(1), template=template)
    header = Document(io.BytesIO(data)).sections[0].header
    assert header.paragraphs[0].text == "Exempelby kommun, nämndkansliet"


def test_the_meetings_diary_number_heads_the_list_and_a_reports_own_is_in_its_row(committee):
    own = dataclasses.replace(make_report(2), diary_number="VSN 2026/150")
    shared = dataclasses.replace(make_report(1), diary_number="VSN 2026/143")
    listed = [ListedReport(shared, "a.docx"), ListedReport(own, "b.docx")]
    data = render_listing(MEETING, committee, listed, diary_number="VSN 2026/143")
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "Diarienummer: VSN 2026/143" in texts
    assert [row[6] for row in table_rows(data)[1:]] == ["BR-0001", "BR-0002\nDnr VSN 2026/150"]


def test_the_list_ends_with_the_proposed_decision(committee):
    data = render_listing(MEETING, committee, entries(1))
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert texts[-1] == "Förslag till beslut: Anmälningsärendena läggs till handlingarna."
    other = dataclasses.replace(committee, proposals=Proposals(listing="Informationen noteras"))
    texts = [p.text for p in Document(io.BytesIO(render_listing(MEETING, other, entries(1))))
             .paragraphs]
    assert texts[-1] == "Förslag till beslut: Informationen noteras."


def test_listing_names_the_municipality_under_its_title(committee):
    texts = [p.text for p in Document(io.BytesIO(
        render_listing(MEETING, committee, entries(1)))).paragraphs]
    assert texts[1:3] == ["Exempelby kommun", "Välfärd- och servicenämnden"]


def test_a_joint_visit_is_marked_with_the_others_who_took_part(committee):
    joint = make_report(1, joint_visit=True, other_participants=["Bengt Haraldsson"])
    alone = make_report(2, joint_visit=False)
    rows = table_rows(render_listing(MEETING, committee, [ListedReport(joint, "a.docx"),
                                                          ListedReport(alone, "b.docx")]))
    assert rows[1][4] == f"{joint.submitter.name}\nGemensamt besök med Bengt Haraldsson"
    assert rows[2][4] == alone.submitter.name


def test_no_row_of_the_listing_may_split_across_pages(committee):
    [table] = Document(io.BytesIO(render_listing(MEETING, committee, entries(1, 2, 3)))).tables
    assert all(row._tr.trPr is not None and row._tr.trPr.xpath("w:cantSplit")
               for row in table.rows)
