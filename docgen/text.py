"""Free text from the form, made safe for WordprocessingML without losing any of it.

Answers may hold anything JSON allows. Characters XML cannot carry (control characters, lone
surrogates) become U+FFFD, visibly, instead of crashing the render; line breaks become
paragraphs; tabs stay tabs; right-to-left paragraphs are marked as such.
"""

from __future__ import annotations

import re
import unicodedata

from docx.oxml import OxmlElement

REPLACEMENT = "\ufffd"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029\x85]")
_PPR_AFTER_BIDI = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                   "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def clean(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, cleaned; each becomes one paragraph."""
    return [line for line in _LINE_BREAK.split(clean(text)) if line.strip()]


def is_right_to_left(text: str) -> bool:
    """Whether the first strongly directional character is Hebrew, Arabic or the like."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def add_line(container, line: str, *, style_id: str | None = None, bold: bool = False):
    """One paragraph holding ``line`` (already split), marked right-to-left if it is.

    ``style_id`` is the style's id (w:styleId), not its name: looking a style up by name
    costs python-docx a scan of every style, which dominates with large templates."""
    paragraph = container.add_paragraph()
    if style_id is not None:
        paragraph._p.style = style_id
    run = paragraph.add_run(clean(line))
    if bold:
        run.bold = True
    if is_right_to_left(line):
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.insert_element_before(OxmlElement("w:bidi"), *_PPR_AFTER_BIDI)
        run.font.rtl = True
    return paragraph


def add_text(container, text: str, *, style_id: str | None = None) -> list:
    """The paragraphs of a free-text answer, one per line; tabs are kept by python-docx."""
    return [add_line(container, line, style_id=style_id) for line in lines(text)]


def add_labelled(container, label: str, value: str):
    """«Diarienummer: VSN 2026/143»: a bold label, then the value, in one paragraph."""
    paragraph = add_line(container, f"{label}: ", bold=True)
    paragraph.add_run(clean(value))
    return paragraph


