"""Swedish for what is wrong in the committee configuration, per JSON Schema keyword.

jsonschema describes a failed check in English («-1 is less than the minimum of 0»); the
secretary who edits committee.toml reads instead «värdet -1 är mindre än det minsta
tillåtna, 0». ``config_problem`` turns a jsonschema error into the field it concerns (dotted,
as in the TOML file: ``deadline.days_before``, ``politicians[2].name``) and that text.
Texts never repeat a written string (the roster holds names and addresses): numbers and
dates are shown, other values are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError

TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$"
PATTERNS = {TIME_PATTERN: "skriv tiden som TT:MM, till exempel 12:00"}
TYPES = {
    "string": "en text (inom citattecken)",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
    "array": "en lista (inom hakparenteser)",
    "object": "en tabell",
    "null": "tomt",
}
FORMATS = {
    "date": "skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-10",
    "email": "skriv en e-postadress som namn@exempelby.se",
}
# The keywords worded here; any other falls back to naming the keyword (a test holds the
# committee schema to this list).
KEYWORDS = ("required", "additionalProperties", "dependentRequired", "propertyNames", "type",
            "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties",
            "maxProperties", "pattern", "format", "oneOf", "anyOf", "not")
RANGES = {
    "minimum": "{value} är mindre än det minsta tillåtna, {limit}",
    "maximum": "{value} är större än det största tillåtna, {limit}",
    "exclusiveMinimum": "{value} måste vara större än {limit}",
    "exclusiveMaximum": "{value} måste vara mindre än {limit}",
}
# TOML's own messages end in «(at line 3, column 12)».
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def field_path(path: Iterable[Any]) -> str:
    """``deadline.days_before``, ``politicians[2].name``: a place in the TOML file."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _alternatives(values: Sequence[Any]) -> str:
    """«”each” eller ”daily”», «”a”, ”b” eller ”c”»."""
    shown = [f"”{value}”" for value in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " eller " + shown[-1]


def _shown(value: Any) -> str:
    """A value worth repeating in the message (a number, a date), else «värdet»."""
    if isinstance(value, bool):
        return f"värdet {str(value).lower()}"
    if isinstance(value, int | float):
        return f"värdet {value}"
    if isinstance(value, str) and _is_date(value):
        return f"värdet {value}"
    return "värdet"


def _is_date(text: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    for name, kind in (("number", float), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kind):
            return name
    return "null"


def _type_text(expected: Any, actual: Any) -> str:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    names = [TYPES.get(name, name) for name in wanted]
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]
    given = TYPES.get(_json_type(actual), "något annat").partition(" (")[0]
    return f"värdet ska vara {text}, inte {given}"


def _length(limit: int, longest: bool) -> str:
    if not longest and limit == 1:
        return "fältet får inte vara tomt"
    if longest:
        return f"texten är för lång; den får vara högst {limit} tecken"
    return f"texten är för kort; den måste vara minst {limit} tecken"


def _items(limit: int, most: bool) -> str:
    if not most and limit == 1:
        return "listan får inte vara tom"
    noun = "värde" if limit == 1 else "värden"
    return f"listan får ha högst {limit} {noun}" if most else \
        f"listan måste ha minst {limit} {noun}"


def _fields(limit: int, most: bool) -> str:
    if not most and limit == 1:
        return "tabellen får inte vara tom"
    return f"tabellen får ha högst {limit} fält" if most else \
        f"tabellen måste ha minst {limit} fält"


def _one_of(keyword: str, options: Any) -> str:
    """oneOf/anyOf: «ange precis ett av fälten ”element” eller ”query_id”» when each option
    only requires one field, else that the value fits none (or more than one) of them."""
    names = [option["required"][0] for option in options if isinstance(option, dict)
             and set(option) == {"required"} and len(option["required"]) == 1]
    if names and len(names) == len(options):
        how_many = "precis ett" if keyword == "oneOf" else "minst ett"
        return f"ange {how_many} av fälten {_alternatives(names)}"
    if keyword == "oneOf":
        return "värdet ska passa precis ett av de tillåtna alternativen"
    return "värdet passar inte något av de tillåtna alternativen"


def config_problem(error: ValidationError) -> tuple[str, str]:
    """The field (dotted path) a schema error concerns and what is wrong with it, in Swedish."""
    path = list(error.absolute_path)
    keyword, limit, value = error.validator, error.validator_value, error.instance
    if keyword == "required" and isinstance(value, dict):
        missing = [name for name in limit if name not in value]
        return field_path([*path, missing[0]]), "fältet saknas men måste finnas"
    if keyword == "dependentRequired" and isinstance(value, dict):
        owner, needed = next((key, [name for name in names if name not in value])
                             for key, names in limit.items()
                             if key in value and any(name not in value for name in names))
        return (field_path([*path, needed[0]]),
                f"fältet saknas men måste finnas när ”{owner}” finns")
    if "propertyNames" in error.relative_schema_path:  # the name itself is the value
        return field_path(path), f"fältet ”{value}” finns inte här; kontrollera stavningen"
    if keyword == "additionalProperties" and isinstance(value, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = sorted(str(key) for key in value if key not in known)
        if len(extra) == 1:
            return (field_path([*path, extra[0]]),
                    "fältet finns inte i konfigurationen; kontrollera stavningen")
        listed = ", ".join(f"”{name}”" for name in extra)
        return field_path(path), f"fälten {listed} finns inte här; kontrollera stavningen"
    return field_path(path), _value_problem(str(keyword), limit, value)


def _value_problem(keyword: str, limit: Any, value: Any) -> str:
    """What is wrong with the value itself (type, range, length, form)."""
    if keyword == "type":
        return _type_text(limit, value)
    if keyword == "enum":
        return f"värdet måste vara {_alternatives(limit)}"
    if keyword == "const":
        return f"värdet måste vara ”{limit}”"
    if keyword in RANGES:
        return RANGES[keyword].format(value=_shown(value), limit=limit)
    if keyword in ("minLength", "maxLength"):
        return _length(limit, longest=keyword == "maxLength")
    if keyword in ("minItems", "maxItems"):
        return _items(limit, most=keyword == "maxItems")
    if keyword in ("minProperties", "maxProperties"):
        return _fields(limit, most=keyword == "maxProperties")
    if keyword in ("oneOf", "anyOf"):
        return _one_of(keyword, limit)
    if keyword == "not":
        return "värdet är inte tillåtet här"
    if keyword == "uniqueItems":
        return "samma värde står flera gånger i listan"
    if keyword == "pattern":
        return PATTERNS.get(limit, f"värdet ska följa mönstret {limit}")
    if keyword == "format":
        expected = FORMATS.get(limit, f"värdet ska ha formatet {limit}")
        if limit == "date" and _is_date(str(value)):
            return f"datumet {value} finns inte; {expected}"
        return expected
    return f"värdet uppfyller inte villkoret ”{keyword}” i konfigurationens schema"


def toml_problem(message: str) -> str:
    """«filen är inte giltig TOML: fel på rad 3, kolumn 12» from tomllib's English."""
    place = _TOML_PLACE.search(message)
    if place is None:
        return "filen är inte giltig TOML"
    return f"filen är inte giltig TOML: fel på rad {place[1]}, kolumn {place[2]}"

