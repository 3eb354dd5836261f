"""A roster that breaks the guideline: check-config refuses it, the webhook warns and serves.

«Respektive verksamhet har minst en kontaktpolitiker.» The secretary fixes the roster; until
then reports must still be received, so the server starts with a warning (that names no one)
while ``besoksrapport check-config`` fails with a Swedish message.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from gunicorn_server import ROOT, GunicornServer
from webhook_helpers import committee_config, environment
from year import NAMES, sent_year

from .delivered_year import post

pytestmark = pytest.mark.e2e

# Dragan is the example's only kontaktpolitiker for fritid: give him kultur only.
WITHOUT_FRITID = {'operations = ["fritid", "kultur"]': 'operations = ["kultur"]'}
MESSAGE = ("Fel i kontaktpolitikerlistan: Verksamheten fritid har ingen kontaktpolitiker; "
           "enligt riktlinjerna har varje verksamhet minst en.")


@pytest.fixture
def config(tmp_path):
    return committee_config(tmp_path / "committee.toml", **WITHOUT_FRITID)


def test_check_config_fails_naming_the_operation_without_kontaktpolitiker(config):
    result = subprocess.run([sys.executable, "-m", "besoksrapport.cli", "check-config",
                             str(config)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0].endswith(": fel i kontaktpolitikerlistan, se nedan")
    assert MESSAGE in lines


def test_the_server_starts_warns_without_names_and_accepts_reports(config, tmp_path):
    log_path = tmp_path / "gunicorn.log"
    server = GunicornServer(environment(tmp_path / "data", BESOKSRAPPORT_CONFIG=str(config)),
                            log_path=log_path).start()
    try:
        item = sent_year()[0]
        assert post(server, item.envelope, "msg_roster_warning").status_code == 201
    finally:
        server.stop()
    lines = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()
             if line.startswith("{")]
    warnings = [line for line in lines if line["level"] == "warning"
                and "check-config" in line["msg"]]
    assert warnings, "no start-up warning about the roster"
    text = log_path.read_text(encoding="utf-8")
    for person_id, name in NAMES.items():
        assert person_id not in text and name not in text
