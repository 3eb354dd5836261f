"""Every word a public document holds, as anyone who opens the file could find it.

Not python-docx's view (body paragraphs and tables) but every XML part of the DOCX: body,
headers, footers, footnotes, comments, and the document properties (title, subject,
keywords), with paragraphs on lines of their own. Used to prove what must never be public
is in none of them.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

_RUN_OR_PARAGRAPH_END = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|(</w:p>)")


def docx_text(data: bytes) -> str:
    """The text of every part of a DOCX: runs joined, a line per paragraph."""
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode("utf-8")
            if name.startswith("docProps/"):
                texts.append(re.sub(r"<[^>]+>", "\n", xml))
                continue
            texts.append("".join("\n" if end else text
                                 for text, end in _RUN_OR_PARAGRAPH_END.findall(xml)))
    return html.unescape("\n".join(texts))


def folder_texts(folder: Path) -> dict[str, str]:
    """Each DOCX of a meeting folder by file name, with its ``docx_text``."""
    return {path.name: docx_text(path.read_bytes()) for path in sorted(folder.glob("*.docx"))}
