"""The project as a new user gets it: the wheel, installed into a fresh virtual environment.

The wheel is built once per module from a copy of what the Dockerfile builds from (a stale
``build/`` folder in the checkout would otherwise end up in it), installed with pip outside
the checkout, and used from an empty directory without the checkout on the path: the
commands, the documents and a real gunicorn must find every schema, example and template
inside the installed package.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from docx import Document
from envelopes import example_path
from gunicorn_server import ROOT, GunicornServer
from oep_instances import flow_instance_xml
from webhook_helpers import PATH, body_of, envelope_for, environment, signed_headers

pytestmark = pytest.mark.packaging

# What the Dockerfile's build stage copies: the wheel is made from these alone.
SOURCES = ("pyproject.toml", "README.md", "besoksrapport", "webhook", "docgen")


@dataclass
class Installed:
    venv: Path
    site_packages: Path
    workdir: Path  # empty, outside the checkout
    env: dict[str, str]

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(args, cwd=self.workdir, env={**self.env, **(env or {})},
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout


def _clean_environment(venv: Path) -> dict[str, str]:
    """This process's environment without the checkout's settings and with the venv first."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("BESOKSRAPPORT_")
           and key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _quiet(args: list[str | Path], **options) -> None:
    result = subprocess.run([str(arg) for arg in args], capture_output=True, text=True,
                            timeout=600, check=False, **options)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = root / "wheels"
    _quiet([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels,
            source])
    [wheel] = wheels.glob("*.whl")
    venv = root / "venv"
    _quiet([sys.executable, "-m", "venv", venv])
    env = _clean_environment(venv)
    _quiet([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], env=env)
    site_packages = subprocess.run(
        [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        env=env, capture_output=True, text=True, check=True).stdout.strip()
    workdir = root / "elsewhere"
    workdir.mkdir()
    return Installed(venv, Path(site_packages).resolve(), workdir, env)


def test_the_installed_packages_and_their_data_come_from_site_packages(installed):
    out = installed.run(installed.bin("python"), "-c", "\n".join([
        "import besoksrapport, besoksrapport.cli.commands, besoksrapport.filing, docgen, webhook",
        "from besoksrapport import paths",
        "from docgen.template import DEFAULT_TEMPLATE",
        "from webhook.app import OPENAPI_FILE",
        "for place in (besoksrapport.__file__, besoksrapport.cli.commands.__file__,",
        "              besoksrapport.filing.__file__, docgen.__file__, webhook.__file__,",
        "              paths.SCHEMAS, paths.EXAMPLES_DIR, paths.EXAMPLE_CONFIG,",
        "              DEFAULT_TEMPLATE, OPENAPI_FILE):",
        "    print(place)",
    ]))
    places = [Path(line).resolve() for line in out.splitlines()]
    assert len(places) == 10
    assert [place for place in places if not place.is_relative_to(installed.site_packages)] == []
    assert [place for place in places if not place.exists()] == []
    assert not [place for place in places if place.is_relative_to(ROOT.resolve())]


def test_check_config_validates_the_bundled_example_from_any_directory(installed):
    out = installed.run(installed.bin("besoksrapport"), "check-config")
    first = out.splitlines()[0]
    assert first.endswith("committee.toml: OK")
    assert Path(first.removesuffix(": OK")).resolve().is_relative_to(installed.site_packages)


def test_check_mapping_reads_an_open_eplatform_export_with_the_bundled_example(installed):
    export = installed.workdir / "arende.xml"
    export.write_bytes(flow_instance_xml(4711))
    out = installed.run(installed.bin("besoksrapport"), "oep", "check-mapping", export.name)
    assert out.startswith("Ärende 4711, inskickat 2026-11-20T09:14:58+01:00, av Anna Lindqvist")
    assert "Inga fel: rapporten skulle tas emot." in out


def test_render_writes_a_report_document_with_the_bundled_template(installed):
    envelope = installed.workdir / "rapport.json"
    shutil.copy(example_path("maximal"), envelope)
    out = installed.run(installed.bin("besoksrapport"), "render", envelope.name,
                        "-o", "rapport.docx")
    assert out.startswith("rapport.docx: BR-")
    document = Document(io.BytesIO((installed.workdir / "rapport.docx").read_bytes()))
    assert document.core_properties.title


def test_gunicorn_from_the_wheel_takes_a_signed_report_and_files_it(installed, tmp_path):
    data = tmp_path / "data"
    env = {**installed.env, **environment(data), "BESOKSRAPPORT_WORKERS": "1"}
    server = GunicornServer(env, python=installed.bin("python"), cwd=installed.workdir,
                            inherit=False, log_path=tmp_path / "gunicorn.log").start()
    try:
        body = body_of(envelope_for())
        answer = requests.post(server.url + PATH, data=body, headers=signed_headers(body),
                               timeout=30)
        assert answer.status_code == 201, answer.text
        meeting = (datetime.now(UTC).date() + timedelta(days=20)).isoformat()
        assert answer.json()["meeting_date"] == meeting
        index = data / "meetings" / meeting / "index.json"
        deadline = time.monotonic() + 60
        while not index.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert index.exists(), (tmp_path / "gunicorn.log").read_text(encoding="utf-8")
        # The secretary registers the meeting's reports; the installed command refiles it.
        out = installed.run(installed.bin("besoksrapport"), "diary-number", "VSN 2026/143",
                            "--meeting", meeting, env=env)
        assert out.rstrip().endswith("har diarienummer VSN 2026/143.")
        [report] = [path for path in index.parent.glob("*.docx") if " BR-" in path.name]

        def registered() -> bool:  # the server's worker may be the one that refiles it
            document = Document(io.BytesIO(report.read_bytes()))
            return "Diarienummer: VSN 2026/143" in [p.text for p in document.paragraphs]

        deadline = time.monotonic() + 60
        while not registered() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert registered()
    finally:
        server.stop()


def test_the_secretarys_page_from_the_wheel_logs_in_and_serves_its_pages_and_styles(
        installed, tmp_path):
    data = tmp_path / "data"
    page = {"BESOKSRAPPORT_SECRETARIES": "sekreterare",
            "BESOKSRAPPORT_SESSION_SECRET": "s" * 40, "BESOKSRAPPORT_WORKERS": "1"}
    env = {**installed.env, **environment(data), **page}
    made = subprocess.run([installed.bin("besoksrapport"), "user", "add", "sekreterare",
                           "--password-stdin"], cwd=installed.workdir, env=env,
                          input="ett långt lösenord för testet\n", capture_output=True,
                          text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    server = GunicornServer(env, python=installed.bin("python"), cwd=installed.workdir,
                            inherit=False, log_path=tmp_path / "gunicorn.log").start()
    try:
        browser = requests.Session()
        # requests keeps Secure cookies for https only; this server is plain http on 127.0.0.1.
        def cookie() -> dict[str, str]:
            return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in browser.cookies)}

        login = browser.get(server.url + "/sekreterare/logga-in", timeout=30)
        assert login.status_code == 200 and '<html lang="sv">' in login.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
        answer = browser.post(server.url + "/sekreterare/logga-in", headers=cookie(),
                              data={"csrf_token": token, "konto": "sekreterare",
                                    "losenord": "ett långt lösenord för testet"},
                              allow_redirects=False, timeout=30)
        assert answer.status_code == 302, answer.text
        overview = browser.get(server.url + "/sekreterare/", headers=cookie(),
                               allow_redirects=False, timeout=30)
        assert overview.status_code == 200
        assert "<h1>Kommande sammanträden</h1>" in overview.text
        styles = browser.get(server.url + "/sekreterare/static/sekreterare.css", timeout=30)
        assert styles.status_code == 200 and "--background" in styles.text
    finally:
        server.stop()


def test_the_forms_served_files_are_in_the_wheel(installed):
    out = installed.run(installed.bin("python"), "-c", "\n".join([
        "import json",
        "from besoksrapport.form.catalog import texts_pack_json",
        "from besoksrapport.paths import schema_text",
        "from webhook.form_files import SERVED",
        "for name in SERVED:",
        "    json.loads(schema_text(name))",
        "assert schema_text('visit-report.sv.json') == texts_pack_json()",
        "print(len(SERVED))",
    ]))
    assert out.strip() == "5"
