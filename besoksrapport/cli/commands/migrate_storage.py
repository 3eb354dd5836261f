"""``besoksrapport migrate-storage``: move an installation to another database, losing nothing.

Every table is copied in one transaction and then counted and summed on both sides
(``storage.transfer``); the meeting folders of the data folder go into the shared store
when the target keeps the filed files (PostgreSQL), each file checked by its SHA-512. The
target must be empty. The service is stopped while this runs, so nothing arrives halfway.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import unquote

from besoksrapport.errors import ConfigError
from besoksrapport.filing.shared import SharedFiles, export_meetings, import_folder, meeting_folders
from besoksrapport.storage import SQLITE, open_storage
from besoksrapport.storage.transfer import compare, copy_all, is_empty
from besoksrapport.swedish import quantity

# What each table holds, as the secretary and IT call it; a table not named here is shown
# by its name.
TABLE_NAMES = {
    "reports": "rapporter", "deliveries": "leveranser", "quarantine": "avvisade inskick",
    "jobs": "uppgifter i kön", "notifications": "aviseringar",
    "oep_instances": "ärenden från Open ePlatform", "oep_cursor": "hämtningslägen",
    "accounts": "konton", "meeting_diary_numbers": "sammanträdenas diarienummer",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "migrate-storage",
        help="flytta installationens databas, till exempel från SQLite till PostgreSQL",
        description="Kopierar varje tabell till en tom databas och jämför sedan antal rader "
                    "och en kontrollsumma per tabell på båda sidor. Sammanträdenas mappar i "
                    "datamappen följer med när målet är PostgreSQL och hämtas tillbaka till "
                    "datamappen när källan är det, och varje fil jämförs med sin SHA-512. "
                    "Stoppa tjänsten medan flytten pågår.",
    )
    parser.add_argument("--from", dest="source", required=True, metavar="ADRESS",
                        help="databasen som flyttas, till exempel "
                             "sqlite:////var/lib/besoksrapport/besoksrapport.sqlite3")
    parser.add_argument("--to", dest="target", required=True, metavar="ADRESS",
                        help="den tomma databasen det flyttas till, till exempel "
                             "postgresql://besoksrapport@db.example.se/besoksrapport")
    parser.add_argument("--data-dir", dest="data_dir", metavar="MAPP", type=Path,
                        default=None,
                        help="datamappen med sammanträdenas mappar (standard: "
                             "BESOKSRAPPORT_DATA_DIR eller ./var)")
    parser.set_defaults(func=run)


def _label(name: str) -> str:
    return TABLE_NAMES.get(name, f"tabellen {name}")


def run(args: argparse.Namespace) -> int:
    if args.source.startswith(SQLITE) and not Path(unquote(args.source[len(SQLITE):])).is_file():
        raise ConfigError("databasfilen finns inte", source=args.source)
    data_dir = args.data_dir or Path(os.environ.get("BESOKSRAPPORT_DATA_DIR") or "./var")
    source, target = open_storage(args.source), open_storage(args.target)
    try:
        if not is_empty(target):
            print("Måldatabasen innehåller redan data. Flytten görs bara till en tom databas; "
                  "inget har ändrats.")
            return 1
        print("Kopierar tabellerna …")
        for table, rows in copy_all(source, target):
            print(f"  {_label(table.name)}: "
                  f"{quantity(rows, 'rad kopierad', 'rader kopierade')}")
        print("Jämför antal och kontrollsummor:")
        ok = True
        for check in compare(source, target):
            verdict = "lika" if check.equal else "OLIKA"
            ok = ok and check.equal
            print(f"  {_label(check.name)}: {check.source_rows} → "
                  f"{quantity(check.target_rows, 'rad', 'rader')}, kontrollsumma {verdict}")
        ok = _move_meetings(source, target, data_dir) and ok
    finally:
        source.close()
        target.close()
    if not ok:
        print("Flytten stämmer inte: något skiljer sig (se OLIKA ovan). Fortsätt använda den "
              "gamla databasen.")
        return 1
    print("Klart: allt är flyttat, och varje antal och kontrollsumma stämmer. Sätt "
          "BESOKSRAPPORT_DATABASE_URL till den nya adressen och starta tjänsten igen.")
    return 0


def _move_meetings(source: object, target: object, data_dir: Path) -> bool:
    """The meeting folders follow the move; True when every file arrived with its SHA-512.

    To a shared store (PostgreSQL) from the data folder; from one back into the data folder;
    between one-host storages they stay where they are.
    """
    meetings = data_dir / "meetings"
    if isinstance(target, SharedFiles):
        folders = meeting_folders(meetings)
        ok, files = True, 0
        for day, contents in folders.items():
            same = import_folder(target, day, contents)
            files += len(contents)
            if not same:
                ok = False
                print(f"  Sammanträdet den {day.isoformat()}: filerna är OLIKA i målet")
        meeting_count = len(folders)
        where = ""
    elif isinstance(source, SharedFiles):
        files, results = export_meetings(source, meetings)
        for day, same in results.items():
            if not same:
                print(f"  Sammanträdet den {day.isoformat()}: filerna är OLIKA i datamappen")
        ok, meeting_count = all(results.values()), len(results)
        where = f" hämtade till {meetings}"
    else:
        print("Sammanträdenas mappar stannar i datamappen.")
        return True
    verdict = "lika" if ok else "OLIKA"
    print(f"Sammanträdenas filer: {quantity(files, 'fil', 'filer')} i "
          f"{quantity(meeting_count, 'sammanträde', 'sammanträden')}{where}, "
          f"kontrollsummor {verdict}")
    return ok
