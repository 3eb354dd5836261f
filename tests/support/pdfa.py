"""What the tests can check of PDF/A-2b here, with pikepdf (qpdf) and nothing pretended.

No full PDF/A validator is installable from PyPI or Debian (veraPDF is a Java program in
neither), so this checks the PDF/A-2b and tagging requirements that can be read from the
file's objects: qpdf finds no structural damage; no encryption; the XMP metadata stream
says part 2, conformance B and is not compressed (ISO 19005-2, 6.6.2.1), with a dc:title
that the document information's /Title agrees with; an output intent GTS_PDFA1 with its
ICC profile; every font embedded; no JavaScript or actions run on opening; the catalog
marked as tagged (/MarkInfo /Marked, /StructTreeRoot) with a document language (/Lang).
It does not check the content streams (colour spaces used, transparency) the way a
validator does.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def _fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            yield font
            yield from font.get("/DescendantFonts", [])


def pdfa_problems(path: Path, *, title: str | None = None,
                  language: str = "sv-SE") -> list[str]:
    """What keeps the PDF at ``path`` from being tagged PDF/A-2b by the checks above."""
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        problems += [f"qpdf: {problem}" for problem in pdf.check_pdf_syntax()]
        if pdf.is_encrypted:
            problems.append("encrypted")
        root = pdf.Root
        metadata = root.get("/Metadata")
        if metadata is None:
            problems.append("no XMP metadata")
        elif "/Filter" in metadata:
            problems.append("XMP metadata stream is compressed")
        xmp = pdf.open_metadata()
        if (xmp.get(PDFAID + "part"), xmp.get(PDFAID + "conformance")) != ("2", "B"):
            problems.append(f"claims {xmp.pdfa_status or 'no PDF/A'}, not 2B")
        xmp_title = xmp.get(DC_TITLE)
        if not xmp_title:
            problems.append("no dc:title")
        if title is not None and xmp_title != title:
            problems.append(f"dc:title is {xmp_title!r}")
        if str(pdf.docinfo.get("/Title", "")) != (xmp_title or ""):
            problems.append("/Title and dc:title differ")
        intents = root.get("/OutputIntents", [])
        if not any(intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent
                   for intent in intents):
            problems.append("no GTS_PDFA1 output intent with an ICC profile")
        for font in _fonts(pdf):
            if font.get("/Subtype") in ("/Type0", "/Type3"):
                continue  # a composite font's glyphs are in its descendant; Type3 draws them
            descriptor = font.get("/FontDescriptor", {})
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {font.get('/BaseFont')} not embedded")
        names = root.get("/Names", {})
        if "/JavaScript" in names or "/AA" in root:
            problems.append("JavaScript or actions on opening")
        if not root.get("/MarkInfo", {}).get("/Marked", False) or "/StructTreeRoot" not in root:
            problems.append("not tagged")
        if str(root.get("/Lang", "")) != language:
            problems.append(f"language {root.get('/Lang')!r}, not {language}")
    return problems
