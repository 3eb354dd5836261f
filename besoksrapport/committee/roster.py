"""The roster of kontaktpolitiker measured against the guideline, for check-config and start-up.

«Kontaktpolitiker utses för verksamheterna kost, arbetsmarknad, Komvux, turism, kultur samt
fritid. Respektive verksamhet har minst en kontaktpolitiker.» and «Kontaktpolitiker utses
bland ledamöter och ersättare». Party affiliation is deliberately absent: a kontaktpolitiker
represents the committee, not the party. Messages are Swedish, for the secretary; they name
politicians by their platform id (the key in the configuration), not by name, so they can be
logged.
"""

from __future__ import annotations

from collections import Counter

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import CODES, operation_in_text
from besoksrapport.swedish import ROLES, enumeration


def roster_problems(committee: Committee) -> list[str]:
    """Every way the roster breaks the guideline, in Swedish; an empty list means none."""
    problems: list[str] = []
    counts = Counter(person.id for person in committee.politicians)
    for person_id, count in sorted(counts.items()):
        if count > 1:
            problems.append(f"Id ”{person_id}” står {count} gånger; varje kontaktpolitiker "
                            "ska stå en gång, med alla sina verksamheter.")
    known = enumeration([f"”{code}”" for code in CODES])
    for position, person in enumerate(committee.politicians, start=1):
        who = f"Kontaktpolitiker nr {position} (id ”{person.id}”)"
        if person.role not in ROLES:
            problems.append(f"{who} har rollen ”{person.role}”; en kontaktpolitiker ska vara "
                            "ledamot eller ersättare i nämnden (skriv ”ledamot” eller "
                            "”ersattare”).")
        for operation in person.operations:
            if operation not in CODES:
                problems.append(f"{who} är kontaktpolitiker för ”{operation}”, som inte är en "
                                f"av nämndens verksamheter ({known}).")
    assigned = {operation for person in committee.politicians if person.role in ROLES
                for operation in person.operations}
    for operation in CODES:
        if operation not in assigned:
            problems.append(f"Verksamheten {operation_in_text(operation)} har ingen "
                            "kontaktpolitiker; enligt riktlinjerna har varje verksamhet minst "
                            "en.")
    return problems
