"""Accessibility checks on a .docx's XML, for tests of every document builder.

Swedish law (DOS-lagen) requires public documents to be accessible; these are the checks a
screen reader user depends on and that can be decided from the file alone: a title, the
language in the style defaults (where Word and LibreOffice read it, not the core property),
real heading styles without skipped levels, table header rows that repeat, and alt text on
every image, the header's logo included.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

from .ooxml import LANGUAGE, NS, images_without_alt, style_language

REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DC = "http://purl.org/dc/elements/1.1/"
_HEADING_NAME = re.compile(r"^heading ([1-9])$", re.IGNORECASE)
_OFF = ("0", "false", "off")
_BODY_TEXT = 9  # outline level 9 means «body text»


class _Package:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name)) if name in self.names else None

    def related(self, source: str, kind: str) -> list[str]:
        """Members that ``source`` refers to with relationships of type ``…/kind``."""
        folder, base = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return []
        found = []
        for rel in rels.iterfind(f"{{{REL}}}Relationship"):
            if rel.get("Type", "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") != \
                    "External":
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(folder, target))
                found.append(path)
        return found


def _on(element) -> bool:
    return element is not None and element.get(f"{{{NS['w']}}}val", "true") not in _OFF


def _style_levels(styles) -> dict[str, int]:
    """Paragraph style id → outline level (0 = heading 1, 9 = body text), via basedOn."""
    w = f"{{{NS['w']}}}"
    own: dict[str, int | None] = {}
    based: dict[str, str] = {}
    for style in styles.iterfind("w:style[@w:type='paragraph']", NS):
        style_id = style.get(w + "styleId")
        name = style.find("w:name", NS)
        match = _HEADING_NAME.match(name.get(w + "val", "")) if name is not None else None
        outline = style.find("w:pPr/w:outlineLvl", NS)
        if outline is not None:
            own[style_id] = int(outline.get(w + "val"))
        elif match:
            own[style_id] = int(match.group(1)) - 1
        else:
            own[style_id] = None
        parent = style.find("w:basedOn", NS)
        if parent is not None:
            based[style_id] = parent.get(w + "val")

    def level(style_id: str, depth: int = 0) -> int:
        found = own.get(style_id)
        if found is not None:
            return found
        if depth > 20 or style_id not in based:
            return _BODY_TEXT
        return level(based[style_id], depth + 1)

    return {style_id: level(style_id) for style_id in own}


def _heading_problems(document, styles) -> list[str]:
    w = f"{{{NS['w']}}}"
    levels = _style_levels(styles) if styles is not None else {}
    default = styles.find("w:style[@w:type='paragraph'][@w:default='1']", NS) \
        if styles is not None else None
    default_id = default.get(w + "styleId") if default is not None else None
    headings = []
    for paragraph in document.iterfind(".//w:body//w:p", NS):
        direct = paragraph.find("w:pPr/w:outlineLvl", NS)
        style = paragraph.find("w:pPr/w:pStyle", NS)
        style_id = style.get(w + "val") if style is not None else default_id
        level = int(direct.get(w + "val")) if direct is not None else \
            levels.get(style_id, _BODY_TEXT) if style_id is not None else _BODY_TEXT
        if level < _BODY_TEXT:
            headings.append(level + 1)
    if not headings:
        return ["no heading uses a real heading style"]
    problems = []
    previous = 0
    for level in headings:
        if level > previous + 1:
            problems.append(f"heading level skipped: heading {level} follows "
                            + (f"heading {previous}" if previous else "the start"))
        previous = level
    return problems


def _table_problems(document) -> list[str]:
    problems = []
    for number, table in enumerate(document.iterfind(".//w:tbl", NS), start=1):
        first_row = table.find("w:tr", NS)
        marker = first_row.find("w:trPr/w:tblHeader", NS) if first_row is not None else None
        if not _on(marker):
            problems.append(f"table {number} has no header row marked to repeat")
    return problems


def check_docx(data: bytes) -> list[str]:
    """Every accessibility problem found in the document; an empty list means none."""
    package = _Package(data)
    problems: list[str] = []
    core_names = package.related("", "core-properties")
    core = package.xml(core_names[0]) if core_names else None
    title = core.find(f"{{{DC}}}title") if core is not None else None
    if title is None or not (title.text or "").strip():
        problems.append("no document title (core property dc:title)")

    main = (package.related("", "officeDocument") or ["word/document.xml"])[0]
    document = package.xml(main)
    style_names = package.related(main, "styles")
    styles = package.xml(style_names[0]) if style_names else None
    if styles is None or style_language(styles) != LANGUAGE:
        problems.append(f"language {LANGUAGE} missing in the style defaults "
                        "(w:docDefaults/w:rPrDefault/w:rPr/w:lang)")
    problems += _heading_problems(document, styles)
    problems += _table_problems(document)

    parts = [main]
    for kind in ("header", "footer", "footnotes", "endnotes", "comments"):
        parts += package.related(main, kind)
    for name in parts:
        root = package.xml(name)
        if root is None:
            continue
        for _ in images_without_alt(root):
            problems.append(f"image without alt text in {name}")
    return problems
