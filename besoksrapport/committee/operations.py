"""The committee's six operations, the one list the code has of them.

«Kontaktpolitiker utses för verksamheterna kost, arbetsmarknad, Komvux, turism, kultur samt
fritid.» The form schema (``operation``) and the committee schema (``operations``) list the
same codes; a test holds the three to each other.
"""

from __future__ import annotations

# Code (in the form, the configuration and the storage) → label standing alone.
LABELS = {
    "kost": "Kost",
    "arbetsmarknad": "Arbetsmarknad",
    "komvux": "Komvux",
    "turism": "Turism",
    "kultur": "Kultur",
    "fritid": "Fritid",
}
CODES = tuple(LABELS)

# Inside a sentence the operations are common nouns in lower case, as the guideline writes
# them; Komvux is a name and keeps its capital.
PROPER_NAMES = frozenset({"komvux"})


def operation_label(code: str) -> str:
    """«Kost», «Komvux»: for headings, table cells and file names; an unknown code as is."""
    return LABELS.get(code, code)


def operation_in_text(code: str) -> str:
    """The operation's name inside a sentence: «kultur», «arbetsmarknad», but «Komvux»."""
    label = LABELS.get(code)
    if label is None:
        return code
    return label if code in PROPER_NAMES else label.lower()
