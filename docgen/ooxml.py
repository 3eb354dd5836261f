"""Small WordprocessingML operations python-docx has no API for.

Shared by the template loader, the default-template script and the accessibility check, so
that what we write and what we check are the same XML.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
A14 = "http://schemas.microsoft.com/office/drawing/2010/main"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
NS = {"w": W, "wp": WP, "v": V, "a14": A14, "adec": ADEC}

LANGUAGE = "sv-SE"


def _child(parent, tag: str, *, first: bool = False):
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def set_language(styles_root, language: str = LANGUAGE) -> bool:
    """Make ``language`` the language of the style defaults and of every style that names one.

    Word and LibreOffice take the proofing and reading language from the style defaults
    (w:docDefaults/w:rPrDefault), not from the core property. Returns whether anything changed.
    """
    changed = False
    defaults = _child(styles_root, "w:docDefaults", first=True)
    rpr_default = _child(defaults, "w:rPrDefault", first=True)
    rpr = _child(rpr_default, "w:rPr")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    normal = styles_root.find("w:style[@w:type='paragraph'][@w:default='1']", NS)
    if normal is not None and normal.find("w:rPr/w:lang", NS) is None:
        normal_rpr = normal.get_or_add_rPr()
        normal_rpr.insert_element_before(OxmlElement("w:lang"), "w:eastAsianLayout",
                                         "w:specVanish", "w:oMath")
    for element in [lang, *styles_root.iterfind("w:style//w:lang", NS)]:
        if element.get(qn("w:val")) != language:
            changed = True
            element.set(qn("w:val"), language)
    return changed


def style_language(styles_root) -> str | None:
    """The language of the style defaults, or None when they name none."""
    lang = styles_root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    return None if lang is None else lang.get(qn("w:val"))


def has_page_field(root) -> bool:
    """Whether the part shows a PAGE field (simple or complex)."""
    instructions = [e.get(qn("w:instr"), "") for e in root.iterfind(".//w:fldSimple", NS)]
    instructions += [e.text or "" for e in root.iterfind(".//w:instrText", NS)]
    return any(text.split()[:1] == ["PAGE"] for text in instructions)


def field_runs(paragraph, instruction: str, shown: str) -> None:
    """A complex field: Word and LibreOffice update it on every page when laying out."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("shown", shown), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
            run._r.append(element)
        elif kind == "shown":
            run.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)


def add_page_numbers(footer, *, style: str | None = "Footer") -> None:
    """Append «Sida X av Y» to a header/footer: X and Y are PAGE and NUMPAGES fields."""
    last = footer.paragraphs[-1] if footer.paragraphs else None
    paragraph = last if last is not None and not last.text and len(last._p) <= 1 \
        else footer.add_paragraph()
    if style is not None:
        paragraph.style = style
    paragraph.alignment = 1  # centred
    paragraph.add_run("Sida ")
    field_runs(paragraph, "PAGE", "1")
    paragraph.add_run(" av ")
    field_runs(paragraph, "NUMPAGES", "1")


def is_decorative(doc_pr) -> bool:
    """Word 365 marks purely decorative images instead of giving them alt text."""
    marker = doc_pr.find(".//adec:decorative", NS)
    return marker is not None and marker.get("val") in ("1", "true")


def images_without_alt(root) -> list:
    """Drawing properties (wp:docPr) and VML shapes that show an image but carry no alt text."""
    missing = [doc_pr for doc_pr in root.iterfind(".//wp:docPr", NS)
               if not (doc_pr.get("descr") or "").strip() and not is_decorative(doc_pr)]
    for image in root.iterfind(".//v:imagedata", NS):
        shape = image.getparent()
        if not (shape.get("alt") or "").strip():
            missing.append(shape)
    return missing


def set_alt_text(element, text: str) -> None:
    """Give a docPr (attribute descr) or a VML shape (attribute alt) its alt text."""
    if etree.QName(element).namespace == V:
        element.set("alt", text)
    else:
        element.set("descr", text)


def mark_header_row(row) -> None:
    """Mark a table row as a header row that repeats on every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    header = tr_pr.find(qn("w:tblHeader"))
    if header is None:
        header = OxmlElement("w:tblHeader")
        tr_pr.append(header)
    header.set(qn("w:val"), "true")
    keep_row_on_one_page(row)


def keep_row_on_one_page(row) -> None:
    """A row that never splits across two pages (w:cantSplit): it moves whole to the next."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def set_table_caption(table, caption: str) -> None:
    """The table's title (w:tblCaption), read out by screen readers before the table."""
    tbl_pr = table._tbl.tblPr
    element = tbl_pr.find(qn("w:tblCaption"))
    if element is None:
        element = OxmlElement("w:tblCaption")
        # CT_TblPr sequence: tblCaption comes after tblLook; python-docx rarely writes later ones.
        tbl_pr.append(element)
    element.set(qn("w:val"), caption)


def set_outline_level(style, level: int) -> None:
    """Give a paragraph style an outline level (0 = heading 1): what makes it a heading."""
    p_pr = style.element.get_or_add_pPr()
    outline = p_pr.find(qn("w:outlineLvl"))
    if outline is None:
        outline = OxmlElement("w:outlineLvl")
        p_pr.insert_element_before(outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                                   "w:pPrChange")
    outline.set(qn("w:val"), str(level))


def set_column_widths(doc, table, weights) -> None:
    """Fixed column widths in proportion to ``weights`` across the page's text width.

    Word reads the width of every cell, LibreOffice that of the columns: both are set.
    """
    from docx.shared import Emu

    section = doc.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    widths = [Emu(int(usable * weight / sum(weights))) for weight in weights]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
