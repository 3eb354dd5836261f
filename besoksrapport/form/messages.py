"""Swedish messages for every validation code, per field where a generic text would be vague.

A politician sees these in the e-service when a report is refused, so they say what to do
(«Ange datum för besöket.»), never echo the library's English and never quote what was
written (the answer may hold personal data).
"""

from __future__ import annotations

import re

from besoksrapport.form.pointer import is_index
from besoksrapport.form.schemas import subschema_at
from besoksrapport.swedish import number

# Codes produced by the schema layer, the text-safety check and the rules.
SCHEMA_CODES = (
    "required", "type", "enum", "const", "format", "pattern", "max_length", "min_length",
    "unknown_property", "min_items", "max_items", "unique_items", "not_allowed",
    "one_required", "invalid",
)
TEXT_CODES = ("unsafe_character", "too_deep")
RULE_CODES = ("blank", "date_out_of_range", "date_after_submission", "end_not_after_start",
              "decision_after_visit")
CODES = SCHEMA_CODES + TEXT_CODES + RULE_CODES

# Generic texts: {field} is the field's quoted Swedish title, {limit} the schema's limit.
GENERIC = {
    "required": "Fyll i {field}.",
    "type": "Svaret i {field} kan inte tas emot.",
    "enum": "Välj ett av alternativen i {field}.",
    "const": "Svaret i {field} kan inte tas emot.",
    "format": "Svaret i {field} kan inte tas emot.",
    "pattern": "Svaret i {field} kan inte tas emot.",
    "max_length": "Texten i {field} är för lång. Den får vara högst {limit} tecken.",
    "min_length": "Texten i {field} är för kort. Den måste vara minst {limit} tecken.",
    "unknown_property": "Det här fältet finns inte i formuläret och kan inte tas emot.",
    "min_items": "Ange minst {limit} svar i {field}.",
    "max_items": "Ange högst {limit} svar i {field}.",
    "unique_items": "Samma svar står flera gånger i {field}. Ta bort dubbletterna.",
    "not_allowed": "Lämna {field} tomt för det här besöket.",
    "one_required": "Fyll i minst ett av fälten i {field}.",
    "invalid": "Svaret i {field} kan inte tas emot.",
    "unsafe_character": (
        "Texten i {field} innehåller ett tecken som inte kan sparas i rapporten "
        "(tecken nummer {position}). Ta bort tecknet och skicka rapporten igen."
    ),
    "too_deep": (
        "Rapporten är uppbyggd i fler än {limit} nivåer och kan inte läsas. Skicka den som "
        "formuläret beskriver."
    ),
    "blank": "Svaret i {field} består bara av mellanslag. Skriv ett svar.",
    "date_out_of_range": (
        "Datumet i {field} kan inte stämma: det måste ligga mellan år {limit}. "
        "Kontrollera datumet."
    ),
    "date_after_submission": (
        "Besöksdatumet ligger efter den dag rapporten skickades in. Rapportera besöket "
        "när det har ägt rum, eller rätta datumet."
    ),
    "end_not_after_start": "Besöket måste sluta senare än det började. Kontrollera tiderna.",
    "decision_after_visit": (
        "Ordförandens beslut kan inte vara fattat efter besöket. Kontrollera datumen."
    ),
}

# What the answer should look like, for a value of the wrong type or format: the message
# says what is expected, not only that something is wrong.
TYPES = {
    "boolean": "Svara ja eller nej på {field}.",
    "string": "Svaret i {field} ska vara en text.",
    "array": "Svaret i {field} ska vara en lista med svar.",
    "object": "Svaret i {field} ska vara en grupp med svar.",
    "integer": "Svaret i {field} ska vara ett heltal.",
    "number": "Svaret i {field} ska vara ett tal.",
}
FORMATS = {
    "date": "Datumet i {field} finns inte eller är fel skrivet. Skriv datumet som ÅÅÅÅ-MM-DD, "
            "till exempel 2026-03-15.",
    "date-time": "Tidpunkten i {field} ska anges enligt ISO 8601 med tidszon, till exempel "
                 "2026-11-20T09:14:58+01:00.",
    "email": "E-postadressen i {field} är inte giltig. Den ska se ut som namn@exempel.se.",
}

# Per field (the property name; array items use their list's name) and code.
FIELDS: dict[str, dict[str, str]] = {
    "operation": {"required": "Välj vilken verksamhet du besökte.",
                  "enum": "Välj en av de sex verksamheterna i listan."},
    "unit": {"required": "Ange vilken enhet eller plats du besökte."},
    "visit_date": {"required": "Ange datum för besöket.",
                   "format": "Datumet för besöket finns inte eller är fel skrivet. Skriv "
                             "datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15."},
    "start_time": {"required": "Ange när besöket började.",
                   "pattern": "Skriv när besöket började som TT.MM, till exempel 09.30."},
    "end_time": {"required": "Ange när besöket slutade.",
                 "pattern": "Skriv när besöket slutade som TT.MM, till exempel 11.00."},
    "invited_by_operation": {"required": "Svara på om verksamheten bjöd in dig till besöket."},
    "visit_kind": {"required": "Välj vilket slags besök det var."},
    "chair_decision_date": {
        "required": "Ange datum för ordförandens beslut.",
        "format": "Datumet för ordförandens beslut finns inte eller är fel skrivet. Skriv "
                  "datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15.",
        "not_allowed": "Ange bara datum för ordförandens beslut om besöket gjordes efter "
                       "beslut av ordföranden.",
    },
    "role": {"required": "Välj om du är ledamot eller ersättare i nämnden."},
    "joint_visit": {"required": "Svara på om andra kontaktpolitiker deltog i besöket."},
    "other_participants": {
        "required": "Skriv namnen på de andra kontaktpolitiker som deltog i besöket.",
        "min_items": "Skriv namnet på minst en kontaktpolitiker som deltog i besöket.",
        "unique_items": "Samma kontaktpolitiker står flera gånger. Ta bort dubbletterna.",
        "not_allowed": "Skriv bara namn på övriga kontaktpolitiker om andra kontaktpolitiker "
                       "deltog i besöket.",
    },
    "met": {"required": "Välj vilka du träffade under besöket.",
            "min_items": "Välj minst en grupp som du träffade under besöket.",
            "enum": "Välj bland grupperna i listan."},
    "met_other": {
        "required": "Skriv vilka andra du träffade, som roll eller grupp (aldrig namn).",
        "not_allowed": "Skriv bara vilka andra du träffade om du har valt ”Andra”.",
    },
    "information_given": {
        "one_required": "Besvara minst en av frågorna om vad som togs upp under besöket.",
    },
    "oral_summary": {"required": "Svara på om du vill göra en muntlig sammanfattning av "
                                 "besöket vid nämndens sammanträde."},
    "employed_in_operation": {"required": "Svara på om du är anställd i den verksamhet du "
                                          "besökte."},
    "relative_employed_in_operation": {"required": "Svara på om du har en närstående som är "
                                                   "anställd i den verksamhet du besökte."},
    "claims_meeting_fee": {"required": "Svara på om du begär sammanträdesarvode för besöket."},
    "public_record_acknowledged": {
        "required": "Bekräfta att du vet att rapporten blir en allmän handling när du skickar "
                    "in den.",
        "const": "Du måste bekräfta att rapporten blir en allmän handling när du skickar in "
                 "den och att den inte pekar ut brukare eller personal.",
    },
    "answers": {
        "one_required": "Besvara minst en av frågorna om vad som togs upp under besöket.",
        "type": "Formulärets svar saknas eller kan inte läsas.",
    },
    "type": {"const": "Meddelandet är inte en inskickad besöksrapport och kan inte tas emot.",
             "required": "Meddelandet saknar typ och kan inte tas emot."},
    "submitter": {"required": "E-tjänsten har inte skickat med vem som skickade rapporten. "
                              "Logga in och skicka rapporten igen."},
    "submission_id": {"pattern": "E-tjänstens ärendenummer får bara innehålla bokstäverna "
                                 "A–Z, siffror och tecknen . _ : - och ska börja med en "
                                 "bokstav eller siffra."},
}

ROOT_MESSAGE = "Meddelandet är inte en besöksrapport och kan inte tas emot."


def field_name(tokens: list[str]) -> str | None:
    """The property a pointer concerns: the last non-index token («met» for /met/2)."""
    for token in reversed(tokens):
        if not is_index(token):
            return token
    return None


def title_of(tokens: list[str]) -> str | None:
    """The field's Swedish title from the schema, or None where the schema has none."""
    if tokens and is_index(tokens[-1]):
        tokens = tokens[:-1]  # an item of a list: the list's title says more than «Namn»
    node = subschema_at(list(tokens))
    title = node.get("title") if node else None
    return title if isinstance(title, str) else None


def message_for(code: str, tokens: list[str], *, limit: object = None,
                fmt: str | None = None, position: int | str | None = None) -> str:
    """The Swedish message for ``code`` at the place given by unescaped pointer tokens."""
    if not tokens and code in ("type", "invalid"):
        return ROOT_MESSAGE
    name = field_name(tokens)
    special = FIELDS.get(name or "", {}).get(code)
    if special is not None:
        return special
    template = GENERIC.get(code, GENERIC["invalid"])
    if code == "format" and fmt in FORMATS:
        template = FORMATS[fmt]
    if code == "min_length" and limit == 1:
        template = GENERIC["required"]
    if code == "type":
        expected = (subschema_at(list(tokens)) or {}).get("type")
        template = TYPES.get(expected, template) if isinstance(expected, str) else template
    title = title_of(tokens)
    field = f"”{title}”" if title else "det här fältet"
    shown = number(limit) if isinstance(limit, int) else limit
    text = template.format(field=field, limit=shown, position=position)
    return _FULL_STOP_AFTER_QUOTE.sub(r"\1”", text)


# «Fyll i ”Vilken enhet besökte du?”.»: no full stop after a quotation ending in ? or !.
_FULL_STOP_AFTER_QUOTE = re.compile(r"([?!.])”\.")
