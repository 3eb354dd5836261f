"""The municipality's Word template, read once and stamped out for every report.

A template is any .docx (letterhead, logo, fonts, page size). Loading it parses and repairs
it once — missing styles get fallbacks, headings keep with their next paragraph, the style
defaults get the Swedish language, the
footer gets «Sida X av Y» if it shows no page number, the body is emptied — and keeps the
repaired bytes; each render then parses those bytes afresh, which is what makes documents
independent of each other (and is cheap: see bench/bench_render.py).
"""

from __future__ import annotations

import io
import logging
import os
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from besoksrapport.errors import ConfigError
from besoksrapport.failure_reasons import os_reason

from .ooxml import (
    add_page_numbers,
    has_page_field,
    images_without_alt,
    set_alt_text,
    set_language,
    set_outline_level,
)
from .reproducible import save_docx

log = logging.getLogger(__name__)

# The bundled neutral template, package data (pyproject.toml) read with importlib.resources.
DEFAULT_TEMPLATE = files(__package__) / "templates" / "default.docx"
ENV_VARIABLE = "BESOKSRAPPORT_TEMPLATE"

# Heading styles the documents use: name → (size in points, outline level).
HEADING_STYLES = {"Heading 1": (16, 0), "Heading 2": (13, 1), "Heading 3": (11, 2)}
TABLE_STYLE = "Table Grid"
USED_STYLES = (*HEADING_STYLES, TABLE_STYLE, "Footer")


def _add_heading_style(doc: DocumentObject, name: str, size: int, level: int) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    if _has_style(doc, "Normal"):
        style.base_style = doc.styles["Normal"]
        style.next_paragraph_style = doc.styles["Normal"]
    style.font.bold = True
    style.font.size = Pt(size)
    style.paragraph_format.space_before = Pt(12)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.keep_with_next = True
    set_outline_level(style, level)


def _add_table_style(doc: DocumentObject) -> None:
    """«Table Grid» as Word defines it: a single thin line around every cell."""
    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE, builtin=True)
    tbl_pr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for attribute, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"),
                                 ("w:color", "auto")):
            line.set(qn(attribute), value)
        borders.append(line)
    tbl_pr.append(borders)
    style.element.append(tbl_pr)


def _add_footer_style(doc: DocumentObject) -> None:
    style = doc.styles.add_style("Footer", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    if _has_style(doc, "Normal"):
        style.base_style = doc.styles["Normal"]
    style.paragraph_format.space_after = Pt(0)


def _has_style(doc: DocumentObject, name: str) -> bool:
    try:
        doc.styles[name]
    except KeyError:
        return False
    return True


def _header_footer_parts(doc: DocumentObject):
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            yield rel.target_part


class Template:
    """A repaired template, kept as bytes; :meth:`new_document` makes a fresh Document."""

    def __init__(self, data: bytes, *, name: str = "template") -> None:
        self.name = name
        try:
            doc = Document(io.BytesIO(data))
        except Exception as error:  # python-docx raises several kinds for a broken file
            raise ConfigError("mallen går inte att läsa som Word-dokument",
                              source=name, field=ENV_VARIABLE) from error
        self.repairs = self._repair(doc)
        # Looked up once: python-docx scans every style on each lookup by name.
        self.style_ids = {name: doc.styles[name].style_id for name in USED_STYLES}
        self._images_lacking_alt = any(images_without_alt(part.element)
                                       for part in _header_footer_parts(doc))
        self._data = save_docx(doc)

    @property
    def data(self) -> bytes:
        """The repaired template as DOCX bytes (e.g. to fingerprint what reports render from)."""
        return self._data

    @classmethod
    def load(cls, path: Path | str | None = None) -> Template:
        """The template at ``path``, or the bundled default for None."""
        resource = Path(path) if path else DEFAULT_TEMPLATE
        try:
            data = resource.read_bytes()
        except OSError as error:
            raise ConfigError(f"mallen går inte att läsa: {os_reason(error)}",
                              source=str(resource), field=ENV_VARIABLE) from error
        return cls(data, name=resource.name)

    def _repair(self, doc: DocumentObject) -> list[str]:
        """Make the template usable and accessible; return what had to be done, for the log."""
        repairs: list[str] = []
        missing = [name for name in USED_STYLES if not _has_style(doc, name)]
        for name in missing:
            if name in HEADING_STYLES:
                _add_heading_style(doc, name, *HEADING_STYLES[name])
            elif name == TABLE_STYLE:
                _add_table_style(doc)
            else:
                _add_footer_style(doc)
        if missing:
            repairs.append("missing styles given fallbacks: " + ", ".join(missing))
        loose = [name for name in HEADING_STYLES
                 if doc.styles[name].paragraph_format.keep_with_next is not True]
        for name in loose:
            # A heading must never stand last on a page, away from its text.
            doc.styles[name].paragraph_format.keep_with_next = True
        if loose:
            repairs.append("headings kept with the next paragraph: " + ", ".join(loose))
        if set_language(doc.styles.element):
            repairs.append("language of the style defaults set to sv-SE")
        body = doc.element.body
        content = [child for child in body if child.tag != qn("w:sectPr")]
        for child in content:
            body.remove(child)
        if content:
            repairs.append(f"{len(content)} body elements removed")
        section = doc.sections[-1]
        footers = [section.footer]
        if section.different_first_page_header_footer:
            footers.append(section.first_page_footer)
        for footer in footers:
            if not has_page_field(footer._element):
                add_page_numbers(footer)
                repairs.append("page numbers added to the footer")
        if repairs:
            # Once per loaded template; the template is the municipality's, not personal data.
            log.warning("template %s repaired: %s", self.name, "; ".join(repairs))
        return repairs

    def new_document(self, *, image_alt_text: str | None = None) -> DocumentObject:
        """A fresh Document from the template; logos without alt text get ``image_alt_text``."""
        doc = Document(io.BytesIO(self._data))
        if self._images_lacking_alt and image_alt_text:
            for part in _header_footer_parts(doc):
                for element in images_without_alt(part.element):
                    set_alt_text(element, image_alt_text)
        return doc


@lru_cache(maxsize=4)
def _cached(path: str) -> Template:
    return Template.load(path or None)


def configured_template() -> Template:
    """The template named by BESOKSRAPPORT_TEMPLATE (else the default), loaded once."""
    return _cached(os.environ.get(ENV_VARIABLE, ""))
