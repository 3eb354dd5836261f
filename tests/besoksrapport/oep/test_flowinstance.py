"""Reading the platform's XML: the real Sundsvall export, encodings, and what is refused."""

from __future__ import annotations

import pytest
from oep_instances import LISTING, SAMPLE

from besoksrapport.oep.flowinstance import FlowInstanceUnreadable, listed_ids, parse_flow_instance


def test_the_real_iso_8859_1_export_reads_with_its_swedish_letters():
    flow = parse_flow_instance(SAMPLE.read_bytes())
    assert (flow.flow_instance_id, flow.family_id) == (235212, 832)
    assert flow.submitted == "2024-12-05T21:41:45"
    assert flow.poster is not None and flow.poster.fields["ID"] == "17811"
    assert flow.poster.name == "Namn Efternamn"
    query = flow.query(element="employeeTitle")
    assert query is not None and query.texts("Value") == ["Biståndshandläggare"]
    assert flow.query(query_id=66896).texts("StartDate") == ["2024-11-30"]
    assert flow.query(element="absentDateFrom").name == "Datum första sjukdag"


def test_the_same_export_in_utf_8_reads_the_same():
    latin = SAMPLE.read_bytes()
    utf8 = latin.decode("iso-8859-1").replace('encoding="ISO-8859-1"', 'encoding="UTF-8"')
    assert parse_flow_instance(utf8.encode("utf-8")) == parse_flow_instance(latin)


def test_a_dtd_is_refused_so_no_entity_is_ever_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE FlowInstance [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><FlowInstance>&b;</FlowInstance>')
    with pytest.raises(FlowInstanceUnreadable) as refused:
        parse_flow_instance(bomb)
    assert refused.value.issue.code == "oep_dtd"
    assert "DTD" in refused.value.issue.message


@pytest.mark.parametrize(("data", "code"), [
    (b"<html><body>Logga in</body></html>", "oep_not_flow_instance"),
    (b"not xml at all", "oep_not_xml"),
    (b"<FlowInstance><Header/></FlowInstance>", "oep_no_id"),
])
def test_what_is_no_flow_instance_is_refused_with_a_swedish_reason(data, code):
    with pytest.raises(FlowInstanceUnreadable) as refused:
        parse_flow_instance(data)
    assert refused.value.issue.code == code


def test_the_real_listing_gives_its_flow_instance_ids():
    assert listed_ids(LISTING.read_bytes()) == [4932, 4933, 4965, 4999]
