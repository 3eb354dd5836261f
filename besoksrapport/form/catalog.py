"""The Swedish texts a form renderer shows in the browser, built from the server's messages.

One source: every error text comes from ``messages.message_for``, the very function behind
the webhook's 422, so the browser says what the server would. Keys follow JSON Forms'
i18n (``<field>.error.<AJV keyword>``, list indexes left out), which RJSF's
``transformErrors`` can build from an error's ``property`` and ``name`` just as well. The
unsafe-character message names the character's position: ``{position}`` is left for the
page to fill in (1-based, counted in code points, as the server counts).
"""

from __future__ import annotations

import json
from typing import Any

from besoksrapport.form.messages import message_for
from besoksrapport.form.rules import BLANK_PATTERN
from besoksrapport.form.schemas import conditional_fields, form_fields

ANSWERS = ["data", "answers"]
POSITION = "{position}"
# The rule «at least one discussion answer» makes this question required (see the schema).
FIRST_DISCUSSION_QUESTION = "information_given"

# RJSF's own texts (its TranslatableString values) in Swedish, for its translateString.
RJSF_TEXTS = {
    "Item": "Rad", "Yes": "Ja", "No": "Nej", "Close": "Stäng", "Errors": "Fel",
    "New Value": "", "Add": "Lägg till", "Add Item": "Lägg till", "Copy": "Kopiera",
    "Move down": "Flytta ned", "Move up": "Flytta upp", "Remove": "Ta bort", "Now": "Nu",
    "Clear": "Rensa", "Select a date": "Välj ett datum", "clear input": "töm fältet",
    "No items yet. Use the button below to add some.":
        "Inga rader än. Lägg till med knappen nedanför.",
    "Option %1": "Alternativ %1", "%1 option %2": "%1, alternativ %2",
    "Unsupported field schema.": "Frågan kan inte visas.",
}
# JSON Forms' list texts (ArrayTranslationEnum), per list question: «<field>.<key>».
JSONFORMS_LIST_TEXTS = {
    "addTooltip": "Lägg till", "addAriaLabel": "Lägg till en rad",
    "removeTooltip": "Ta bort", "removeAriaLabel": "Ta bort raden",
    "upAriaLabel": "Flytta upp", "up": "Upp", "downAriaLabel": "Flytta ned", "down": "Ned",
    "noDataMessage": "Inga rader än.", "noSelection": "Inget valt",
    "deleteDialogTitle": "Ta bort raden?", "deleteDialogMessage": "Vill du ta bort raden?",
    "deleteDialogAccept": "Ja", "deleteDialogDecline": "Nej",
}
SUBMIT_TEXT = "Skicka rapporten"


def error_catalog() -> dict[str, str]:
    """``<field>.error.<AJV keyword>`` → the 422's Swedish message for that mistake there."""
    found: dict[str, str] = {}
    conditional = conditional_fields()
    for name, schema in form_fields().items():
        tokens = [*ANSWERS, name]
        code = "one_required" if name == FIRST_DISCUSSION_QUESTION else "required"
        found[f"{name}.error.required"] = message_for(code, tokens)
        if name in conditional:
            found[f"{name}.error.unevaluatedProperties"] = message_for("not_allowed", tokens)
        items = schema.get("items")
        if isinstance(items, dict):
            for keyword, text in _checks(items, [*tokens, "0"]).items():
                found.setdefault(f"{name}.error.{keyword}", text)
        for keyword, text in _checks(schema, tokens).items():
            found[f"{name}.error.{keyword}"] = text
    found["error.unevaluatedProperties"] = message_for("unknown_property", [*ANSWERS, "x"])
    return dict(sorted(found.items()))


def _checks(schema: dict[str, Any], tokens: list[str]) -> dict[str, str]:
    """Each AJV keyword this schema can fail with, and the server's message for it."""
    found: dict[str, str] = {}
    if "type" in schema:
        found["type"] = message_for("type", tokens)
    if "oneOf" in schema:
        found["oneOf"] = message_for("enum", tokens)
    if schema.get("enum") is not None:
        code = "const" if len(schema["enum"]) == 1 else "enum"
        found["enum"] = message_for(code, tokens)
    if "format" in schema:
        found["format"] = message_for("format", tokens, fmt=schema["format"])
    if "pattern" in schema:
        code = "blank" if schema["pattern"] == BLANK_PATTERN else "pattern"
        found["pattern"] = message_for(code, tokens)
    if isinstance(schema.get("not"), dict) and "pattern" in schema["not"]:
        found["not"] = message_for("unsafe_character", tokens, position=POSITION)
    for keyword, code in (("maxLength", "max_length"), ("minLength", "min_length"),
                          ("maxItems", "max_items"), ("minItems", "min_items")):
        if keyword in schema:
            found[keyword] = message_for(code, tokens, limit=schema[keyword])
    if schema.get("uniqueItems"):
        found["uniqueItems"] = message_for("unique_items", tokens)
    return found


def jsonforms_texts() -> dict[str, str]:
    """JSON Forms' own texts for each list question, in Swedish."""
    lists = [name for name, schema in form_fields().items() if schema.get("type") == "array"]
    found = {f"{name}.{key}": text for name in lists for key, text in JSONFORMS_LIST_TEXTS.items()}
    return {"enum.none": "Välj", **found}


def texts_pack() -> dict[str, Any]:
    """The served ``visit-report.sv.json``: errors, RJSF's and JSON Forms' texts, in Swedish."""
    return {
        "$comment": "Generated from besoksrapport/form/messages.py (besoksrapport.form.catalog):"
                    " the same Swedish messages as the webhook's 422. errors: keys"
                    " <field>.error.<AJV keyword>; {position} is the 1-based position of the"
                    " first character a document cannot hold. rjsf: RJSF's translateString."
                    " jsonforms: JSON Forms' i18n keys for lists. submit: the send button.",
        "errors": error_catalog(),
        "rjsf": RJSF_TEXTS,
        "jsonforms": jsonforms_texts(),
        "submit": SUBMIT_TEXT,
        "unsafe_characters": UNSAFE_CHARACTERS,
    }


# The characters a document cannot hold, as the form's ``not: {pattern}`` (a JS RegExp with
# the "u" flag reads it the same): the page finds the position to put in the message.
UNSAFE_CHARACTERS = ("[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F"
                     "\\uD800-\\uDFFF\\uFFFE\\uFFFF]")


def texts_pack_json() -> str:
    return json.dumps(texts_pack(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # regenerates the packaged file: python -m besoksrapport.form.catalog
    import sys

    sys.stdout.write(texts_pack_json())
