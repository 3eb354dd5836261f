"""Table column widths from the text the columns hold, so no word has to break inside a cell.

Word and LibreOffice break a word that is wider than its cell between two letters
(«Centralkö/ket»). A column is therefore given at least the width of its longest word (a
header's words may break at their soft hyphens), and what is left of the text width goes to
the columns in proportion to how much text they hold. Widths are estimated with Arial's
advance widths (the bundled template's font; Liberation Sans has the same metrics), with a
margin for a municipality's template in a somewhat wider font.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.shared import Cm, Emu, Length, Pt

# Arial's advance widths in 1/1000 em, regular and bold; a character not listed counts as
# the widest lower-case letter of its weight (a safe over-estimate).
_NARROW = {"i": 222, "j": 222, "l": 222, "f": 278, "t": 278, "r": 333, "I": 278, " ": 278,
           ".": 278, ",": 278, ":": 278, ";": 278, "/": 278, "-": 333, "(": 333, ")": 333,
           "'": 191, "!": 278, "\u00a0": 278}
_WIDE = {"m": 833, "w": 722, "M": 833, "W": 944, "Å": 667, "Ä": 667, "Ö": 778, "O": 778,
         "Q": 778, "G": 778, "C": 722, "D": 722, "H": 722, "N": 722, "R": 722, "U": 722,
         "–": 556}
_LOWER, _UPPER, _DIGIT = 556, 722, 556
BOLD_FACTOR = 1.1  # bold Arial is up to a tenth wider
SAFETY = 1.08  # a template's font may be a little wider than Arial
CELL_MARGINS = Cm(0.19 * 2 + 0.1)  # Word's default left and right cell margins, and slack
SOFT_HYPHEN = "\u00ad"
DEFAULT_SIZE = Pt(9)


def _char(character: str) -> int:
    if character in _NARROW:
        return _NARROW[character]
    if character in _WIDE:
        return _WIDE[character]
    if character.isdigit():
        return _DIGIT
    return _UPPER if character.isupper() else _LOWER


def text_width(text: str, size: Length, *, bold: bool = False) -> int:
    """The width of ``text`` on one line in EMU (an estimate on the safe side)."""
    em = sum(_char(character) for character in text) / 1000
    return int(em * size * (BOLD_FACTOR if bold else 1.0) * SAFETY)


def _words(text: str) -> list[str]:
    """The pieces a line may break between: words, and a header word's soft-hyphen parts
    (each but the last with the hyphen shown at the break)."""
    pieces: list[str] = []
    for word in text.split():
        parts = word.split(SOFT_HYPHEN)
        pieces += [part + "-" for part in parts[:-1]] + [parts[-1]]
    return pieces


def _longest_word(column: Sequence[str], size: Length) -> int:
    """The widest unbreakable piece of a column; the first cell is the bold header."""
    return max((text_width(word, size, bold=index == 0)
                for index, cell in enumerate(column) for word in _words(cell)), default=0)


def usable_width(doc) -> int:
    """The text width of the document's last section (EMU)."""
    section = doc.sections[-1]
    return int(section.page_width - section.left_margin - section.right_margin)


def content_widths(header: Sequence[str], rows: Sequence[Sequence[str]], usable: int, *,
                   size: Length = DEFAULT_SIZE) -> list[Emu]:
    """Column widths (EMU) summing to ``usable``: each at least its longest word, the rest
    shared by the amount of text. When even the longest words do not fit side by side, the
    widths are their minimums scaled down (a word may then break, as before)."""
    columns = list(zip(header, *rows, strict=True))
    minimum = [_longest_word(column, size) + CELL_MARGINS for column in columns]
    total = sum(minimum)
    if total >= usable:
        return [Emu(int(usable * width / total)) for width in minimum]
    amount = [sum(text_width(cell, size) for cell in column[1:]) / max(len(column) - 1, 1)
              + 1 for column in columns]
    spare = usable - total
    share = sum(amount)
    widths = [int(width + spare * part / share) for width, part in zip(minimum, amount,
                                                                        strict=True)]
    widths[-1] += usable - sum(widths)
    return [Emu(width) for width in widths]
