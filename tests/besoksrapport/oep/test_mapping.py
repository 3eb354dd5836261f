"""The example committee's [oep] mapping: from a FlowInstance to the envelope, and its problems."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from envelopes import example_envelope
from oep_instances import ANNA, example_mapping, flow_instance_xml

from besoksrapport.committee.config import load_committee
from besoksrapport.errors import ConfigError
from besoksrapport.form.schemas import COMMITTEE_SCHEMA, form_fields, load_schema
from besoksrapport.form.validation import validate_envelope
from besoksrapport.oep.flowinstance import parse_flow_instance
from besoksrapport.oep.loop import check_configured
from besoksrapport.oep.mapping import map_flow_instance
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.settings import OepSettings

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _map(xml: bytes):
    return map_flow_instance(parse_flow_instance(xml), example_mapping(), NOW)


@pytest.mark.parametrize("name", ["minimal", "maximal", "chair-decision", "met-other",
                                  "joint-visit"])
def test_an_example_report_sent_through_the_e_service_maps_back_to_the_same_answers(name):
    data = example_envelope(name)["data"]
    answers = data["answers"]
    sent = datetime.fromisoformat(data["submitted_at"]).replace(tzinfo=None)
    mapped = _map(flow_instance_xml(7001, answers, encoding="UTF-8", submitted=sent))
    assert mapped.issues == []
    # XML reads every line break as \n (XML 1.0, 2.11), so a \r\n typed comes back as \n.
    assert mapped.envelope["data"]["answers"] == {
        key: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for key, value in answers.items()}
    assert validate_envelope(mapped.envelope) == []


def test_the_envelope_names_the_instance_the_poster_and_the_local_time_with_its_offset():
    winter = _map(flow_instance_xml(7002, submitted=datetime(2026, 11, 20, 9, 14, 58)))
    data = winter.envelope["data"]
    assert data["submission_id"] == "oep-7002"
    assert data["submitted_at"] == "2026-11-20T09:14:58+01:00"
    assert data["submitter"] == {"id": "anna.lindqvist", "name": "Anna Lindqvist",
                                 "email": "anna.lindqvist@exempelby.se"}
    assert winter.envelope["timestamp"] == "2026-11-20T10:00:00Z"
    summer = _map(flow_instance_xml(7003, submitted=datetime(2026, 6, 1, 9, 0, 0)))
    assert summer.envelope["data"]["submitted_at"] == "2026-06-01T09:00:00+02:00"


def test_without_a_poster_the_owner_is_the_submitter():
    xml = flow_instance_xml(7004).replace(b"<Poster>", b"<Other>").replace(b"</Poster>",
                                                                           b"</Other>")
    assert _map(xml).envelope["data"]["submitter"]["id"] == ANNA["ID"]


def test_a_missing_element_is_reported_at_that_element():
    mapped = _map(flow_instance_xml(7005, without=("visit_date", "role")))
    assert [(i.pointer, i.code) for i in mapped.every_issue()] == [
        ("/FlowInstance/Values/visitDate", "required"), ("/FlowInstance/Values/role", "required")]


def test_values_that_do_not_convert_are_each_a_swedish_issue_naming_the_question():
    mapped = _map(flow_instance_xml(7006, override={
        "visitDate": [("StartDate", "4 november")],
        "startTime": [("Klockslag", "nio")],
        "role": [("Value", "Ledamot"), ("Value", "Ersättare")]}))
    issues = {issue.pointer: issue for issue in mapped.every_issue()}
    assert issues["/FlowInstance/Values/visitDate/StartDate"].code == "oep_bad_date"
    assert "”Datum för besöket”" in issues["/FlowInstance/Values/visitDate/StartDate"].message
    assert issues["/FlowInstance/Values/startTime/Klockslag"].code == "oep_bad_time"
    assert issues["/FlowInstance/Values/role/Value"].code == "oep_several_answers"
    assert len(issues) == 3  # the form's own «required» for them is not repeated


def test_times_written_with_a_full_stop_are_read_too():
    mapped = _map(flow_instance_xml(7007, override={"startTime": [("Klockslag", "9.05")]}))
    assert mapped.envelope["data"]["answers"]["start_time"] == "09:05"


def test_without_values_the_form_s_own_option_titles_are_the_map(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace(
        'operation = { element = "operation", values = { "Kost" = "kost", "Arbetsmarknad" = '
        '"arbetsmarknad", "Komvux" = "komvux", "Turism" = "turism", "Kultur" = "kultur", '
        '"Fritid" = "fritid" } }', 'operation = { query_id = 70001 }')
    assert 'query_id = 70001' in text
    path = tmp_path / "committee.toml"
    path.write_text(text, encoding="utf-8")
    config = load_committee(path).oep
    mapped = map_flow_instance(parse_flow_instance(flow_instance_xml(7008)), config, NOW)
    assert mapped.envelope["data"]["answers"]["operation"] == "kost"


def test_a_mapping_that_leaves_out_an_answer_every_report_needs_stops_start_up(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("role = {"))
    path = tmp_path / "committee.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as stopped:
        load_committee(path)
    assert stopped.value.field == "oep.answers"
    assert "role" in str(stopped.value)


def test_an_answer_the_form_does_not_have_is_refused_by_the_schema(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8") + 'party = { element = "party" }\n'
    path = tmp_path / "committee.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as stopped:
        load_committee(path)
    assert "oep.answers" in str(stopped.value)


def test_the_committee_schema_offers_exactly_the_form_s_answers_to_map():
    committee = load_schema(COMMITTEE_SCHEMA)["properties"]["oep"]["properties"]["answers"]
    assert committee["propertyNames"]["enum"] == list(form_fields())


def test_the_platform_s_address_without_an_oep_section_stops_start_up(tmp_path):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    path = tmp_path / "committee.toml"
    path.write_text(text[:text.index("[oep]")], encoding="utf-8")
    settings = OepSettings("https://e.exempelby.se", "api", "hemligt")
    with pytest.raises(ConfigError) as stopped:
        check_configured(settings, load_committee(path).oep)
    assert stopped.value.field == "BESOKSRAPPORT_OEP_URL"
    assert "[oep]" in str(stopped.value)
