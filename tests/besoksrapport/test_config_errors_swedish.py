"""Every configuration error is one Swedish line naming the setting, or the file and field.

Settings, the committee file (each JSON Schema keyword it uses, TOML that does not parse, a
missing iCalendar file), the template and the start-up checks, each made to fail for real.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from english import english_words
from jsonschema import Draft202012Validator
from webhook_helpers import SECRET, committee_config

from besoksrapport.committee.config import load_committee
from besoksrapport.committee.config_messages import KEYWORDS, config_problem
from besoksrapport.errors import ConfigError
from besoksrapport.filing.renderers import load_renderers
from besoksrapport.form.schemas import COMMITTEE_SCHEMA, load_schema
from besoksrapport.settings import load_settings
from webhook.startup import check_addresses_free, check_data_dir

STRUCTURE = {"$schema", "$id", "title", "description", "properties", "items"}


def keywords(node) -> set[str]:
    """The validation keywords a schema uses, at any depth."""
    if isinstance(node, list):
        return set().union(*(keywords(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = set(node) - STRUCTURE
    for key in ("properties",):
        found |= set().union(*(keywords(child) for child in node.get(key, {}).values()))
    for value in node.values():
        if isinstance(value, dict | list):
            found |= keywords(value)
    return found - {name for name in node.get("properties", {})}


def test_every_keyword_of_the_committee_schema_is_worded_in_swedish():
    used = keywords(load_schema(COMMITTEE_SCHEMA))
    assert used and sorted(used - set(KEYWORDS)) == []


def settings_error(tmp_path: Path, **env: str) -> str:
    config = committee_config(tmp_path / "committee.toml")
    base = {"BESOKSRAPPORT_CONFIG": str(config), "BESOKSRAPPORT_WEBHOOK_SECRETS": SECRET,
            "BESOKSRAPPORT_DATA_DIR": str(tmp_path / "data")}
    with pytest.raises(ConfigError) as caught:
        load_settings({**base, **env})
    return str(caught.value)


SETTINGS = {
    "no config": {"BESOKSRAPPORT_CONFIG": ""},
    "config gone": {"BESOKSRAPPORT_CONFIG": "/finns/inte.toml"},
    "template gone": {"BESOKSRAPPORT_TEMPLATE": "/finns/inte.docx"},
    "no secrets": {"BESOKSRAPPORT_WEBHOOK_SECRETS": " "},
    "secret without prefix": {"BESOKSRAPPORT_WEBHOOK_SECRETS": "hemligt"},
    "secret not base64": {"BESOKSRAPPORT_WEBHOOK_SECRETS": "whsec_!!!"},
    "secret too short": {"BESOKSRAPPORT_WEBHOOK_SECRETS": "whsec_YWJj"},
    "size not a number": {"BESOKSRAPPORT_MAX_BODY_BYTES": "två"},
    "size zero": {"BESOKSRAPPORT_MAX_BODY_BYTES": "0"},
    "worker neither true nor false": {"BESOKSRAPPORT_RUN_WORKER": "kanske"},
    "nice below zero": {"BESOKSRAPPORT_WORKER_NICE": "-5"},
    "webdav not http": {"BESOKSRAPPORT_WEBDAV_URL": "ftp://dms.exempelby.se/"},
    "smtp port not a number": {"BESOKSRAPPORT_SMTP_HOST": "smtp.exempelby.se",
                               "BESOKSRAPPORT_SMTP_PORT": "smtp"},
}


def test_a_nice_of_zero_keeps_the_background_processes_at_full_priority(tmp_path):
    config = committee_config(tmp_path / "committee.toml")
    settings = load_settings({"BESOKSRAPPORT_CONFIG": str(config),
                              "BESOKSRAPPORT_WEBHOOK_SECRETS": SECRET,
                              "BESOKSRAPPORT_DATA_DIR": str(tmp_path / "data"),
                              "BESOKSRAPPORT_WORKER_NICE": "0"})
    assert settings.worker_nice == 0


def test_every_bad_setting_is_named_in_swedish(tmp_path):
    texts = {case: settings_error(tmp_path, **env) for case, env in SETTINGS.items()}
    assert all(text.startswith("Konfigurationsfel i inställningen BESOKSRAPPORT_")
               for text in texts.values()), texts
    assert {case: english_words(text) for case, text in texts.items()
            if english_words(text)} == {}


MINIMAL = """municipality = "Exempelby kommun"
committee = "Välfärd- och servicenämnden"
[meetings]
dates = ["2027-01-28"]
[deadline]
days_before = 7
[secretary]
emails = ["sekreterare@exempelby.se"]
"""
COMMITTEE = {
    "unknown key": ('committee = "Välfärd- och servicenämnden"', 'kommittee = "x"'),
    "missing key": ('municipality = "Exempelby kommun"\n', ""),
    "wrong type": ("days_before = 7", 'days_before = "sju"'),
    "below minimum": ("days_before = 7", "days_before = -1"),
    "above maximum": ("days_before = 7", "days_before = 61"),
    "empty text": ('municipality = "Exempelby kommun"', 'municipality = ""'),
    "too long": ('municipality = "Exempelby kommun"', f'municipality = "{"x" * 101}"'),
    "no address": ('emails = ["sekreterare@exempelby.se"]', "emails = []"),
    "bad address": ('"sekreterare@exempelby.se"', '"sekreterare"'),
    "address twice": ('emails = ["sekreterare@exempelby.se"]',
                      'emails = ["a@exempelby.se", "a@exempelby.se"]'),
    "impossible date": ('"2027-01-28"', '"2027-02-30"'),
    "bad time": ("days_before = 7", 'days_before = 7\ntime = "kl 12"'),
    "unknown choice": ('emails = ["sekreterare@exempelby.se"]',
                       'emails = ["sekreterare@exempelby.se"]\nnotify = "weekly"'),
    "unknown role": ("", '[[politicians]]\nid = "a"\nname = "A"\nrole = "chef"\n'
                         'operations = ["kost"]\n'),
    "mandate backwards": ("", '[mandate_period]\nstart = "2026-12-31"\nend = "2023-01-01"\n'),
    "missing calendar": ("[deadline]", 'ics = "finns-inte.ics"\n[deadline]'),
    "broken calendar": ("[deadline]", 'ics = "trasig.ics"\n[deadline]'),
    "not toml": ("days_before = 7", "days_before = = 7"),
}


def test_every_mistake_in_the_committee_file_is_named_in_swedish(tmp_path):
    (tmp_path / "trasig.ics").write_text("detta är ingen kalender", encoding="utf-8")
    texts = {}
    for case, (old, new) in COMMITTEE.items():
        path = tmp_path / "committee.toml"
        path.write_text(MINIMAL.replace(old, new, 1) if old else MINIMAL + new,
                        encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_committee(path)
        texts[case] = str(caught.value)
    assert all(text.startswith(f"Konfigurationsfel i {tmp_path / 'committee.toml'}")
               for text in texts.values()), texts
    assert {case: english_words(text) for case, text in texts.items()
            if english_words(text)} == {}


def test_a_template_and_the_start_up_checks_fail_in_swedish(tmp_path):
    broken = tmp_path / "mall.docx"
    broken.write_bytes(b"ingen docx")
    texts = []
    for attempt in (lambda: load_renderers(broken), lambda: load_renderers(tmp_path),
                    lambda: check_data_dir(_settings_with_data_dir(tmp_path))):
        with pytest.raises(ConfigError) as caught:
            attempt()
        texts.append(str(caught.value))
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with pytest.raises(ConfigError) as caught:
            check_addresses_free([listener.getsockname()])
        texts.append(str(caught.value))
    assert [text for text in texts if not text.startswith("Konfigurationsfel i ")] == []
    assert [english_words(text) for text in texts] == [[]] * len(texts)


def _settings_with_data_dir(tmp_path: Path):
    """Settings whose data folder is a file: it can be neither made nor written."""
    (tmp_path / "fil").write_text("en fil, ingen mapp")
    config = committee_config(tmp_path / "committee.toml")
    return load_settings({"BESOKSRAPPORT_CONFIG": str(config),
                          "BESOKSRAPPORT_DATA_DIR": str(tmp_path / "fil")},
                         require_secrets=False)


@pytest.mark.parametrize(("schema", "value", "field", "text"), [
    ({"type": "object", "properties": {"a": {"type": "object", "minProperties": 1}}},
     {"a": {}}, "a", "tabellen får inte vara tom"),
    ({"type": "object", "maxProperties": 1}, {"a": 1, "b": 2}, "", "tabellen får ha högst 1 fält"),
    ({"type": "object", "propertyNames": {"enum": ["unit", "visit_date"]}}, {"enhet": 1}, "",
     "fältet ”enhet” finns inte här; kontrollera stavningen"),
    ({"oneOf": [{"required": ["element"]}, {"required": ["query_id"]}]},
     {"element": "a", "query_id": 1}, "", "ange precis ett av fälten ”element” eller ”query_id”"),
    ({"anyOf": [{"required": ["dates"]}, {"required": ["ics"]}]}, {}, "",
     "ange minst ett av fälten ”dates” eller ”ics”"),
    ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, 1.5, "",
     "värdet ska passa precis ett av de tillåtna alternativen"),
    ({"not": {"required": ["ics"]}}, {"ics": "a.ics"}, "", "värdet är inte tillåtet här"),
    ({"dependentRequired": {"start": ["end"]}}, {"start": "2023-01-01"}, "end",
     "fältet saknas men måste finnas när ”start” finns"),
])
def test_the_other_keywords_a_committee_schema_may_use_are_worded_in_swedish(schema, value,
                                                                             field, text):
    [error] = Draft202012Validator(schema).iter_errors(value)
    assert config_problem(error) == (field, text)
    assert english_words(text) == []


def texts_of(node, path: str = "") -> dict[str, str]:
    """Every ``title`` and ``description`` of a schema, by where it is."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description") and isinstance(value, str):
                found[f"{path}/{key}"] = value
            else:
                found |= texts_of(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found |= texts_of(item, f"{path}/{index}")
    return found


def test_the_committee_schema_describes_every_setting_in_swedish():
    """Whoever edits committee.toml reads these beside the errors: one language, one quote."""
    texts = texts_of(load_schema(COMMITTEE_SCHEMA))
    assert len(texts) > 30
    assert {where: text for where, text in texts.items()
            if english_words(text) or "«" in text} == {}
