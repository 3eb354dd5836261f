"""Builds the bundled default template, ``docgen/templates/default.docx``.

Run ``python -m docgen.make_default_template`` after changing it; the output is
byte-identical on every run, so the committed file can be checked against the script.
The template is A4, Swedish (sv-SE in the style defaults and styles), neutral fonts, real
heading styles, and a footer «Sida X av Y». A municipality replaces it with its own
(see docs/template.md).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .ooxml import NS, add_page_numbers, set_language, set_outline_level
from .reproducible import save_docx, set_core_properties

OUTPUT = Path(__file__).resolve().parent / "templates" / "default.docx"
FONT = "Arial"  # metric-compatible stand-ins (Liberation Sans) exist wherever Arial is missing
KEPT_TABLE_STYLES = {"Normal Table", "Table Grid"}
HEADINGS = {"Heading 1": (16, 0), "Heading 2": (13, 1), "Heading 3": (11, 2)}
STYLES_WITH_EFFECTS = ("http://schemas.microsoft.com/office/2007/relationships/"
                       "stylesWithEffects")
BUILT = datetime(2026, 1, 1, tzinfo=UTC)


def _drop_extras(doc) -> None:
    """python-docx's own template carries a thumbnail, custom XML and a second style sheet."""
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            del doc.part.rels[rid]


def _trim_styles(doc) -> None:
    """Keep the styles a report uses; forty decorative table styles only slow every render."""
    root = doc.styles.element
    for latent in root.iterfind("w:latentStyles", NS):
        root.remove(latent)
    for style in doc.styles:
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in KEPT_TABLE_STYLES:
            root.remove(style.element)


def _neutral_fonts(doc) -> None:
    """One plain font, black text: theme fonts and accent colours are dropped."""
    root = doc.styles.element
    for fonts in root.iter(qn("w:rFonts")):
        for attribute in list(fonts.attrib):
            if attribute.endswith("Theme") or attribute.endswith("theme"):
                del fonts.attrib[attribute]
    defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        defaults.set(qn(attribute), FONT)
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            style.font.name = None
            style.font.color.rgb = None
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15


def _headings(doc) -> None:
    for name, (size, level) in HEADINGS.items():
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(18 if level == 0 else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        set_outline_level(style, level)


def _header_footer_tabs(doc) -> None:
    """Centre and right tab stops matching the A4 text width (python-docx's are for Letter)."""
    width = Cm(21.0 - 2 * 2.5)
    for name in ("Header", "Footer"):
        stops = doc.styles[name].paragraph_format.tab_stops
        stops.clear_all()
        stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.25)
    add_page_numbers(section.footer)


def build() -> bytes:
    doc = Document()
    _drop_extras(doc)
    _trim_styles(doc)
    _neutral_fonts(doc)
    _headings(doc)
    _header_footer_tabs(doc)
    set_language(doc.styles.element)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "sv-SE")
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _page(doc)
    set_core_properties(doc, "Återrapportering av verksamhetsbesök", BUILT,
                        author="besoksrapport")
    return save_docx(doc)


def main() -> int:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
