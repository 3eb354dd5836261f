"""A meeting's folder when several hosts serve: the database holds it, each host a copy.

On SQLite (one host) the meeting folder in the data folder is the truth and nothing here
does anything. On a storage that keeps the filed files itself (PostgreSQL, see
``storage/postgres/filed_files.py``), the folder is this host's working copy: ``shared_meeting``
takes the meeting's lock across hosts, brings the folder in line with what the database
holds (fetching only files whose SHA-512 differs), and, after a filing, publishes what
changed back in one transaction. So a filing starts from the last one wherever it ran, one
meeting is filed by one host at a time, and every host reads and serves the same documents.
The copy can be deleted at any moment: the next reading fetches it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from besoksrapport.filing.atomic import write_atomic
from besoksrapport.filing.folder import (
    LEGACY_LOCK_NAME,
    LEGACY_MANIFEST_NAME,
    manifest_path,
    state_dir,
)

# What this copy holds (name → SHA-512), kept with the filing's manifest and lock outside the
# published folder, so that nothing of ours but the documents shows on a share.
COPY_NAME = "shared.json"
LOCAL_ONLY = {LEGACY_LOCK_NAME, LEGACY_MANIFEST_NAME}


# The filing's manifest travels with the documents under this name (never a document's:
# those never start with a dot), so a filing on another host renders only what is new.
MANIFEST_KEY = ".manifest.json"


def _copy_path(folder: Path) -> Path:
    return state_dir(folder) / COPY_NAME


def _path(folder: Path, name: str) -> Path:
    """Where a shared file lives in this host's copy: the manifest beside the lock."""
    return manifest_path(folder) if name == MANIFEST_KEY else folder / name


@runtime_checkable
class SharedFiles(Protocol):
    """What a storage shared by hosts offers for filed files (``PostgresStorage``)."""

    def filed_digests(self, day: date) -> dict[str, str]: ...
    def filed_file(self, day: date, name: str) -> bytes | None: ...
    def filed_meetings(self) -> list[date]: ...
    def publish_filed(self, day: date, put: Mapping[str, bytes],
                      remove: Iterable[str]) -> None: ...
    def advisory_lock(self, name: str, *,
                      wait: bool = True) -> AbstractContextManager[bool]: ...


def _sha512(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()


def _copy(folder: Path) -> dict[str, str]:
    try:
        held = json.loads(_copy_path(folder).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return held if isinstance(held, dict) else {}


def _local_files(folder: Path) -> dict[str, bytes]:
    """The folder's files as a filing leaves them (no lock, no half-written temporary)."""
    if not folder.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in folder.iterdir()
            if path.is_file() and path.name not in LOCAL_ONLY
            and not path.name.startswith(".tmp-")}


def _check_out(store: SharedFiles, folder: Path, day: date) -> dict[str, str]:
    """Make the folder hold what the database holds; the digests it holds now."""
    wanted = store.filed_digests(day)
    held = _copy(folder)
    for name, digest in wanted.items():
        path = _path(folder, name)
        if held.get(name) == digest and path.is_file():
            continue
        data = store.filed_file(day, name)
        if data is not None and Path(name).name == name:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
    for name in set(held) - set(wanted):
        if Path(name).name == name:
            _path(folder, name).unlink(missing_ok=True)
    if wanted or folder.is_dir():
        _copy_path(folder).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(_copy_path(folder), json.dumps(wanted, sort_keys=True).encode())
    return wanted


def _publish(store: SharedFiles, folder: Path, day: date, before: dict[str, str]) -> None:
    """Store in the database what the filing changed in the folder (and its manifest)."""
    files = _local_files(folder)
    if manifest_path(folder).is_file():
        files[MANIFEST_KEY] = manifest_path(folder).read_bytes()
    digests = {name: _sha512(data) for name, data in files.items()}
    put = {name: files[name] for name, digest in digests.items() if before.get(name) != digest}
    remove = [name for name in before if name not in files]
    if put or remove:
        store.publish_filed(day, put, remove)
    _copy_path(folder).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(_copy_path(folder), json.dumps(digests, sort_keys=True).encode())


@contextlib.contextmanager
def shared_meeting(storage: object, folder: Path, day: date, *,
                   publish: bool = False) -> Iterator[None]:
    """The meeting's folder in line with the shared store for the block (and, with
    ``publish``, what the block changed stored there). Nothing on a one-host storage."""
    if not isinstance(storage, SharedFiles):
        yield
        return
    with storage.advisory_lock(f"meeting:{day.isoformat()}"):
        folder.mkdir(parents=True, exist_ok=True)
        before = _check_out(storage, folder, day)
        yield
        if publish:
            _publish(storage, folder, day, before)


def meeting_folders(meetings_dir: Path) -> dict[date, dict[str, bytes]]:
    """The meeting folders of a one-host data folder: day → its files (as a filing left them)."""
    found: dict[date, dict[str, bytes]] = {}
    if not meetings_dir.is_dir():
        return found
    for folder in sorted(meetings_dir.iterdir()):
        try:
            day = date.fromisoformat(folder.name)
        except ValueError:
            continue
        files = _local_files(folder)
        if files:
            found[day] = files
    return found


def import_folder(store: SharedFiles, day: date, files: Mapping[str, bytes]) -> bool:
    """Store a one-host meeting folder's files in the shared store; True when every file
    is there afterwards with the same SHA-512, and nothing else is."""
    store.publish_filed(day, files, [name for name in store.filed_digests(day)
                                     if name not in files])
    return store.filed_digests(day) == {name: _sha512(data) for name, data in files.items()}


def export_meetings(store: SharedFiles, meetings_dir: Path) -> tuple[int, dict[date, bool]]:
    """Every meeting the shared store holds, written into a one-host data folder (a move
    back to one host): the number of files, and per meeting whether every file is there
    with its SHA-512."""
    files, same = 0, {}
    for day in store.filed_meetings():
        folder = meetings_dir / day.isoformat()
        wanted = _check_out(store, folder, day)
        files += len(wanted)
        same[day] = all(_path(folder, name).is_file()
                        and _sha512(_path(folder, name).read_bytes()) == digest
                        for name, digest in wanted.items())
    return files, same
