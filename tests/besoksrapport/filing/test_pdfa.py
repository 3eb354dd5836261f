"""The PDF/A copies: every filed document also as tagged PDF/A-2b, listed in index.json,
made again only when its DOCX changed, and never converted in the web request path.

LibreOffice converts for real; the checks are those tests/support/pdfa.py can make.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess

import pytest
from docx import Document
from libreoffice import require_office
from meeting_reports import MEETING, make_report
from pdfa import pdfa_problems

from besoksrapport.delivery.webdav import content_type
from besoksrapport.filing.folder import file_meeting
from besoksrapport.filing.index import INDEX_NAME
from besoksrapport.filing.names import written_by_filing
from besoksrapport.filing.pdf import PDF_MIME, pdf_name
from docgen.renderers import DocxRenderers

pytestmark = pytest.mark.libreoffice


class CountingConversions(DocxRenderers):
    """The real renderers and LibreOffice; counts the documents handed to the conversion."""

    def __init__(self) -> None:
        super().__init__()
        self.converted: list[str] = []

    def to_pdfa(self, docx_files, out_dir):
        self.converted += [path.name for path in docx_files]
        return super().to_pdfa(docx_files, out_dir)


@pytest.fixture(scope="module")
def filed(tmp_path_factory):
    require_office()
    from meeting_reports import committee as committee_fixture

    committee = committee_fixture.__wrapped__()
    folder = tmp_path_factory.mktemp("pdfa") / MEETING.isoformat()
    renderers = CountingConversions()
    reports = [make_report(n) for n in (1, 2)]
    first = file_meeting(folder, MEETING, committee, reports, renderers, pdf=renderers)
    return folder, committee, reports, renderers, first


def test_every_document_gets_its_pdfa_listed_in_the_index(filed):
    folder, _, _, _, first = filed
    index = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))["auxiliaryFile"]
    docx = [item for item in index if item["fileName"].endswith(".docx")]
    pdfs = {item["fileName"]: item for item in index if item["mimeType"] == PDF_MIME}
    assert len(docx) == 4 and sorted(pdfs) == sorted(pdf_name(i["fileName"]) for i in docx)
    for name, item in pdfs.items():
        data = (folder / name).read_bytes()
        assert item["sha512Checksum"] == hashlib.sha512(data).hexdigest()
        assert item["besoksrapport:kind"].endswith("-pdf")
        assert content_type(name) == PDF_MIME
        if item["besoksrapport:kind"] != "report-pdf":  # the test reports' ids are short
            assert written_by_filing(name, MEETING)
    assert not first.pdf_pending


def test_the_pdfs_are_tagged_pdfa_2b_with_the_documents_title_and_language(filed):
    folder, *_ = filed
    for docx in sorted(folder.glob("*.docx")):
        title = Document(io.BytesIO(docx.read_bytes())).core_properties.title
        assert pdfa_problems(folder / pdf_name(docx.name), title=title) == []


def test_the_report_pdf_holds_the_reports_text(filed):
    folder, _, reports, _, first = filed
    report = first.file("report")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8",
                           str(folder / pdf_name(report.file_name)), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert reports[0].report_id in text or reports[1].report_id in text
    assert "Återrapportering av verksamhetsbesök" in text


def test_refiling_converts_only_what_changed_and_the_web_path_converts_nothing(filed):
    folder, committee, reports, renderers, _ = filed
    before = list(renderers.converted)
    again = file_meeting(folder, MEETING, committee, reports, renderers, pdf=renderers)
    assert renderers.converted == before and not again.pdf_pending
    third = make_report(3)
    web = file_meeting(folder, MEETING, committee, [*reports, third], renderers,
                       pdf=renderers, convert_pdf=False)
    assert renderers.converted == before
    assert web.pdf_pending
    listed = {item.file_name for item in web.files}
    new_docx = next(i.file_name for i in web.files if i.report_id == third.report_id)
    assert pdf_name(new_docx) not in listed  # left to the outbox
    kept = next(i.file_name for i in web.files if i.report_id == reports[0].report_id)
    assert pdf_name(kept) in listed  # unchanged: still current
    outbox = file_meeting(folder, MEETING, committee, [*reports, third], renderers,
                          pdf=renderers)
    # The new report, and the Förteckning and bundle that list it.
    assert sorted(renderers.converted[len(before):]) == sorted(
        [new_docx, outbox.file("listing").file_name, outbox.file("bundle").file_name])
    assert not outbox.pdf_pending


def test_the_document_system_gets_the_pdfs_with_the_docx(filed, tmp_path):
    from davserver import DavServer

    from besoksrapport.delivery.webdav import WebdavClient
    from besoksrapport.filing.folder import read_filed
    from besoksrapport.settings import WebdavSettings

    folder, *_ = filed
    meeting = read_filed(folder, MEETING)
    assert meeting is not None
    root = tmp_path / "dav"
    root.mkdir()
    with DavServer(root) as server:
        WebdavClient(WebdavSettings(url=server.url)).deliver_meeting(meeting)
    remote = root / MEETING.isoformat()
    pdfs = [item for item in meeting.files if item.mime_type == PDF_MIME]
    assert pdfs and all((remote / item.file_name).read_bytes()
                        == (folder / item.file_name).read_bytes() for item in pdfs)
    assert {path.name for path in remote.iterdir()} == {
        item.file_name for item in meeting.files} | {INDEX_NAME}
