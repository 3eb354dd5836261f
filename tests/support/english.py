"""Finding English in texts a person reads: common English words, technical tokens aside.

``english_words(text)`` lists the English words of ``text`` once what is technical is taken
out: paths and addresses, option flags, identifiers and codes (``BESOKSRAPPORT_CONFIG``,
``SQLITE_BUSY``, ``HTTP``, ``ÅÅÅÅ-MM-DD``), file names, JSON keys, the configuration's field
names, quoted literals (”…”, the values a person writes or types) and command names after
``besoksrapport``. Words that
are also Swedish («in», «all», «by», «under», «status», «server») are not in the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD_LIST = """
    the and of to is not no or if it its an as so do does did done was were are has have had
    with from for this that these those there their they them which what when where who why
    will would should could can cannot must may might been being into than then only any
    each every some none other others you your we our us please yes also too very
    error errors warning usage options option arguments required invalid unknown
    unrecognized expected missing found got job jobs file files folder folders meeting
    meetings report reports document documents delivery deliveries recipient recipients
    refused connection certificate trusted login secret secrets value values number whole
    positive address listen writable lost closed answer answered send handler
    configured configuration assigned run show help exit message messages command commands
    positional choose choice allowed ambiguous least characters body header headers
    signature malformed older future matches larger limit bytes parse resource method
    internal unexpected occurred stored ready unavailable database locked denied permission
    such directory timeout timed reset broken default path name date time day days year
    still already again now new old after before between less greater
    property properties additional string integer boolean array object empty short long
    see check nothing something here wrong right out up down over on at type title detail
    code pointer kind failed failure pending retry retried retrying attempt attempts gave
    give queued processed filed filing moved move bundle outbox quarantine compensation
    render secretary committee politician roster upload uploaded delete deleted
    server's doesn't isn't can't won't
"""
WORDS = frozenset(_WORD_LIST.split())

_TECHNICAL = [
    re.compile(r"”[^”\n]*”"),  # a quoted literal: ”besoksrapport outbox”, ”each”, ”x!”
    re.compile(r"\"[^\"\n]*\"\s*:"),  # a JSON key
    re.compile(r"\S*[/\\@]\S*"),  # paths, addresses, pointers, media types
    re.compile(r"\S+\.(?:toml|json|docx|csv|xlsx|ics|sqlite3|py|txt|pdf)\b"),
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*"),  # option flags
    re.compile(r"\b(?:fältet|fälten|fält) \S+"),  # a configuration field: «fältet deadline»
    re.compile(r"\b\w+(?:\.\w+|\[\d+\])+"),  # dotted paths: deadline.days_before, a[0]
    re.compile(r"\b\w*_\w*\b"),  # identifiers and codes: msg_…, SQLITE_BUSY, journal_mode
    re.compile(r"\b(?:Content-Type|webhook-\w+|base64|v1|errno|iCalendar|make run)\b"),
]
# A word: letters (å, ä, ö included), maybe with an apostrophe («server's»).
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def strip_technical(text: str, command_names: Iterable[str] = ()) -> str:
    """``text`` without its technical tokens and the command names after «besoksrapport»."""
    names = sorted(set(command_names), key=len, reverse=True)
    if names:
        alternatives = "|".join(re.escape(name) for name in names)
        text = re.sub(rf"\bbesoksrapport(?:\s+(?:{alternatives})\b)*", " ", text)
        # The command list of the help: «  meetings    visa kommande …».
        text = re.sub(rf"(?m)^\s+(?:{alternatives})(?=\s|$)", " ", text)
        text = re.sub(r"\{[^}\s]*\}", " ", text)  # «{meetings,meeting,…}» in a usage line
    for pattern in _TECHNICAL:
        text = pattern.sub(" ", text)
    return text


def english_words(text: str, command_names: Iterable[str] = ()) -> list[str]:
    """The English words of ``text`` (lower case, in order, each once); codes in capitals
    (HTTP, EACCES, ÅÅÅÅ) are not words."""
    found: list[str] = []
    for word in _WORD.findall(strip_technical(text, command_names)):
        if word.isupper() and len(word) > 1:
            continue
        word = word.lower()
        if word in WORDS and word not in found:
            found.append(word)
    return found
