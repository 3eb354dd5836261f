"""RFC 6901 JSON Pointers: how every validation issue says *where*."""

from __future__ import annotations

from collections.abc import Iterable


def escape(token: str | int) -> str:
    """One reference token: "~" becomes "~0" and "/" becomes "~1" (in that order)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def is_index(token: str) -> bool:
    """A token that is a list index: ASCII digits only («²» is a digit to ``str.isdigit``
    and a valid JSON key, but no index, and ``int`` refuses it)."""
    return token.isascii() and token.isdigit()


def to_pointer(tokens: Iterable[str | int]) -> str:
    """``["data", "answers", "met", 0]`` -> ``/data/answers/met/0``; no tokens -> ``""``."""
    return "".join("/" + escape(token) for token in tokens)


def to_tokens(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer ("" is the whole document)."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON Pointer: {pointer!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]
