"""The same submission and template give byte-identical documents, whenever they are built."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

from documents import MAXIMAL_FILE, RECEIVED, make_report
from docx import Document
from lxml import etree

from besoksrapport.cli.main import main
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.reproducible_zip import ZIP_DATE, normalise_docx
from docgen.report import render_report
from docgen.reproducible import CP


def test_rendering_twice_gives_identical_bytes(committee):
    assert render_report(make_report(), committee) == render_report(make_report(), committee)


def test_another_process_in_another_time_zone_gives_identical_bytes(tmp_path):
    args = ["render", str(MAXIMAL_FILE), "--config", str(EXAMPLE_CONFIG), "-o"]
    here = tmp_path / "here.docx"
    assert main([*args, str(here)]) == 0
    there = tmp_path / "there.docx"
    env = {**os.environ, "TZ": "America/New_York", "PYTHONHASHSEED": "123"}
    env.pop("BESOKSRAPPORT_TEMPLATE", None)
    subprocess.run([sys.executable, "-m", "besoksrapport.cli", *args, str(there)],
                   check=True, env=env, capture_output=True)
    assert _members(here.read_bytes()) == _members(there.read_bytes())  # readable diff first
    assert here.read_bytes() == there.read_bytes()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_zip_entries_carry_a_fixed_date_and_the_content_types_come_first(committee):
    with zipfile.ZipFile(io.BytesIO(render_report(make_report(), committee))) as archive:
        infos = archive.infolist()
    assert {info.date_time for info in infos} == {ZIP_DATE}
    assert [info.filename for info in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]


def test_core_properties_come_from_the_submission_not_the_clock(committee):
    # Read with lxml, not python-docx: python-docx's reading depends on a global prefix map
    # that docxcompose rewrites when imported by another test.
    core = etree.fromstring(_members(render_report(make_report(), committee))[
        "docProps/core.xml"])
    values = {etree.QName(child).localname: child.text or "" for child in core}
    stamp = RECEIVED.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert values["created"] == values["modified"] == values["lastPrinted"] == stamp
    assert values["creator"] == values["lastModifiedBy"] == "Välfärd- och servicenämnden"
    assert values["language"] == "sv-SE"
    assert values["revision"] == "1"
    assert values["title"].startswith("Återrapportering av verksamhetsbesök: ")
    assert etree.QName(core.find("{*}revision")).namespace == CP


def test_core_properties_do_not_depend_on_docxcompose_being_imported(committee):
    before = render_report(make_report(), committee)
    import docxcompose.utils  # noqa: F401  (rewrites python-docx's «cp» prefix on import)

    assert render_report(make_report(), committee) == before


def test_normalise_docx_makes_two_plain_python_docx_saves_identical():
    def saved() -> bytes:
        buffer = io.BytesIO()
        Document().save(buffer)
        return buffer.getvalue()

    first, second = normalise_docx(saved()), normalise_docx(saved())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
    with zipfile.ZipFile(io.BytesIO(saved())) as original, \
            zipfile.ZipFile(io.BytesIO(first)) as normalised:
        assert {i.filename: original.read(i) for i in original.infolist()} == \
            {i.filename: normalised.read(i) for i in normalised.infolist()}
