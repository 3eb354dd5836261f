"""The meeting folder: every report's DOCX, the Förteckning, the bundle and index.json.

``file_meeting`` brings a folder in line with the meeting's current reports and is
idempotent: a small manifest remembers, per report, a fingerprint of what was rendered and
the file's SHA-512, so only new or changed reports are rendered again; a file this process
has written or checked is not read or hashed again while its size and modification time
are unchanged (``_verified``), so filing the 200th report costs about what the first did.
Every file our filing could have written that belongs to no report of the meeting is
removed, whatever crashed before. The Förteckning and the expensive bundle are rebuilt
only when the set of documents changed, and only when asked (``documents=True``): the
background worker builds them once per burst of reports, a few seconds after the last one
(``documents_stale``, see ``outbox.jobs.queue_bundle``). Every write is atomic; identical
bytes are not rewritten.
``read_filed`` tells what the last filing left, from its index.json, for the delivery and
the mail: they never file again to learn the file names.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from besoksrapport.committee.model import Committee
from besoksrapport.filing import pretty_json
from besoksrapport.filing.atomic import write_atomic
from besoksrapport.filing.entries import ListedReport, generated_at, listing_order
from besoksrapport.filing.index import INDEX_NAME, FiledFile, build_index, read_index, write_index
from besoksrapport.filing.names import (
    fixed_file_name,
    report_file_name,
    unique_name,
    written_by_filing,
)
from besoksrapport.filing.pdf import PDF, PDF_MIME, PdfConverter, pdf_kind, pdf_name
from besoksrapport.filing.titles import BUNDLE_TITLE, LISTING_FILE_TITLE, LISTING_TITLE
from besoksrapport.report import Report, Submitter

if TYPE_CHECKING:
    from besoksrapport.filing.renderers import Renderers

# The service's own bookkeeping of a meeting folder lives outside it, so that a published
# folder (an SMB share, the document system) holds only the documents and index.json:
# <data>/.filing/<date>/ beside <data>/meetings/<date>/ (``state_dir``). Folders filed by an
# earlier version had these two files inside; the next filing moves the manifest out.
STATE_DIR = ".filing"
MANIFEST_NAME = "manifest.json"
LOCK_NAME = "lock"
LEGACY_MANIFEST_NAME = ".besoksrapport-manifest.json"
LEGACY_LOCK_NAME = ".besoksrapport.lock"
MANIFEST_VERSION = 1
MEETINGS = "meetings"  # the data folder's folder of meeting folders (Settings.meetings_dir)
# Files this process wrote or hashed: path → (size, mtime in ns, SHA-512). Kept out of the
# manifest, which must stay byte-identical for the same reports. Bounded; a miss only costs
# one read and hash.
_verified: dict[str, tuple[int, int, str]] = {}
_VERIFIED_MAX = 20_000


@dataclass(frozen=True)
class FiledMeeting:
    """What the folder holds after filing, and what this run changed."""

    meeting_dir: Path
    meeting_date: date
    files: list[FiledFile]  # reports in listing order, then the Förteckning, then the bundle
    written: list[str] = field(default_factory=list)  # file names (re)written this run
    removed: list[str] = field(default_factory=list)  # file names removed this run
    documents_stale: bool = False  # the Förteckning or bundle is behind the reports
    # PDFs are on but some document's PDF was left to a filing that converts (the outbox's).
    pdf_pending: bool = False

    @property
    def index_path(self) -> Path:
        return self.meeting_dir / INDEX_NAME

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)

    def file(self, kind: str) -> FiledFile:
        return next(item for item in self.files if item.kind == kind)


def _sha512(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()


# What ``fingerprint`` encodes, as ``json.dumps(..., sort_keys=True, default=str,
# ensure_ascii=False)`` would; one encoder for every report.
_encode = json.JSONEncoder(sort_keys=True, default=str, ensure_ascii=False).encode
_STATE_FIELDS = tuple(item.name for item in dataclasses.fields(Report) if item.name != "flags")
_SUBMITTER_FIELDS = tuple(item.name for item in dataclasses.fields(Submitter))


def fingerprint(report: Report, render_key: str, committee: Committee) -> str:
    """A digest of everything a render could depend on; a changed report changes it.

    That is the report (its diarienummer too), and of the committee what the report shows:
    its names, the guideline it cites and the politician's roster entry (the operations in
    the sender block). The secretary's flags are left out: no public document shows them,
    so a change of flags alone must not re-render the report or rebuild the bundle.
    """
    return Fingerprints(render_key, committee)(report)


class Fingerprints:
    """``fingerprint`` for the reports of one filing, what the committee adds encoded once.

    The digest is of ``json.dumps([render_key, state, shown], sort_keys=True, default=str,
    ensure_ascii=False)`` where ``state`` is the report's fields but the flags and
    ``shown`` is ``[municipality, name, guideline, roster entry]``; the text is put
    together from its parts as that call would write it (a list's items joined by «, »),
    so the committee's part and each politician's entry are encoded once per filing, not
    once per report: filing the 200th report of a meeting fingerprints all 200.
    """

    def __init__(self, render_key: str, committee: Committee):
        self._committee = committee
        self._head = "[" + _encode(render_key) + ", "
        shown = (committee.municipality, committee.name, dataclasses.asdict(committee.guideline))
        self._shown = ", [" + "".join(_encode(item) + ", " for item in shown)
        self._people: dict[str, str] = {}

    def _person(self, platform_id: str) -> str:
        person = self._people.get(platform_id)
        if person is None:
            person = self._people[platform_id] = _encode(self._committee.politician(platform_id))
        return person

    def __call__(self, report: Report) -> str:
        state = {name: getattr(report, name) for name in _STATE_FIELDS}
        submitter = report.submitter
        state["submitter"] = {name: getattr(submitter, name) for name in _SUBMITTER_FIELDS}
        canonical = (self._head + _encode(state) + self._shown
                     + self._person(submitter.id) + "]]")
        return hashlib.sha256(canonical.encode()).hexdigest()


def state_dir(meeting_dir: Path) -> Path:
    """Where the filing keeps a meeting folder's manifest and lock: ``<data>/.filing/<date>``
    for ``<data>/meetings/<date>``; beside any other folder, ``<parent>/.filing/<name>``."""
    parent = meeting_dir.parent
    base = parent.parent if parent.name == MEETINGS else parent
    return base / STATE_DIR / meeting_dir.name


def manifest_path(meeting_dir: Path) -> Path:
    return state_dir(meeting_dir) / MANIFEST_NAME


def _migrate(meeting_dir: Path) -> None:
    """Move an earlier version's manifest out of the meeting folder and drop its lock file
    (under the new lock: a filing of the old version still running is not expected)."""
    legacy = meeting_dir / LEGACY_MANIFEST_NAME
    if legacy.is_file():
        if manifest_path(meeting_dir).exists():
            legacy.unlink()
        else:
            legacy.replace(manifest_path(meeting_dir))
    (meeting_dir / LEGACY_LOCK_NAME).unlink(missing_ok=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One filing of a meeting at a time (web workers, the outbox and the CLI may overlap)."""
    state = state_dir(folder)
    state.mkdir(parents=True, exist_ok=True)
    with open(state / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads(manifest_path(folder).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {"version": MANIFEST_VERSION, "reports": {}, "documents": {}}
    if manifest.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "reports": {}, "documents": {}}
    return manifest


def _stat(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_size, status.st_mtime_ns


def _current(folder: Path, entry: dict | None, name: str, key: str) -> FiledFile | None:
    """The file recorded in ``entry`` if it is still on disk, unchanged, under ``name``.

    A file this process saw with the same size and modification time is not read again;
    any other is read and hashed. (Paths as strings: this runs for every file of the
    meeting at every filing.)
    """
    if not entry or entry.get("fileName") != name or entry.get("key") != key:
        return None
    path = os.path.join(folder, name)
    stat = _stat(path)
    if stat is None:
        return None
    known = _verified.get(path)
    if known is None or known[:2] != stat:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return None
        known = _remember(path, _sha512(data))
        if known is None:
            return None
    if known[2] != entry.get("sha512"):
        return None
    return FiledFile(name="", file_name=name, size=known[0], sha512=known[2], kind="")


def _remember(path: str, sha512: str) -> tuple[int, int, str] | None:
    """Note the file's digest with its size and mtime now (after writing or hashing it)."""
    stat = _stat(path)
    if stat is None:
        _verified.pop(path, None)
        return None
    if len(_verified) >= _VERIFIED_MAX:
        _verified.clear()
    _verified[path] = (*stat, sha512)
    return _verified[path]


def _heal(folder: Path, meeting_date: date, in_use: set[str]) -> list[str]:
    """Remove every file our filing could have written that no report of the meeting owns.

    Found by listing the folder, not from the last manifest: a filing that crashed before
    writing its manifest (a report moved away meanwhile) leaves nothing stale behind. A
    file the secretary put there by hand (``written_by_filing`` is False) is never touched.
    """
    removed = []
    for found in sorted(os.listdir(folder)):  # names, not Paths: every filing lists them all
        if found in in_use or unicodedata.normalize("NFC", found) in in_use:
            continue
        path = folder / found
        if (written_by_filing(found, meeting_date) and path.is_file()
                and not path.is_symlink()):
            path.unlink(missing_ok=True)
            removed.append(found)
    return removed


def _check(meeting_date: date, reports: Sequence[Report]) -> None:
    ids = [report.report_id for report in reports]
    if len(set(ids)) != len(ids):
        raise ValueError("the same report id appears twice in one meeting")
    for report in reports:
        if report.meeting_date != meeting_date:
            raise ValueError(f"report {report.report_id} belongs to {report.meeting_date}, "
                             f"not to {meeting_date}")


def _report_title(report: Report) -> str:
    return f"Återrapport {report.report_id}"


def file_meeting(meeting_dir: Path, meeting_date: date, committee: Committee,
                 reports: Sequence[Report], renderers: Renderers, *,
                 on_render: Callable[[], None] | None = None,
                 diary_number: str | None = None, documents: bool = True,
                 pdf: PdfConverter | None = None, convert_pdf: bool = True) -> FiledMeeting:
    """Bring ``meeting_dir`` in line with ``reports`` (all of this meeting) and return it.

    A report is rendered only when it is new, changed (by ``fingerprint``, which includes
    ``renderers.key``: a new template or layout re-renders all) or its file went missing or
    was altered; ``on_render`` is called after each such render (e.g. to show progress).
    ``diary_number`` is the meeting's diarienummer: the Förteckning shows it, and so does
    every report that has none of its own. With ``documents=False`` a Förteckning or bundle
    that no longer matches is left as it is (index.json lists it as it is) and
    ``documents_stale`` says so: each report's file and index.json follow at once, the
    meeting's two documents when they are built.
    With ``pdf`` (PDFs on), every document also gets its PDF/A (``filing.pdf``);
    ``convert_pdf=False`` keeps the current PDFs but converts none (the web request path),
    and says so in ``pdf_pending``.
    """
    _check(meeting_date, reports)
    if diary_number:
        reports = [report if report.diary_number
                   else dataclasses.replace(report, diary_number=diary_number)
                   for report in reports]
    meeting_dir.mkdir(parents=True, exist_ok=True)
    with _locked(meeting_dir):
        return _file(meeting_dir, meeting_date, committee, reports, renderers, on_render,
                     diary_number, documents, pdf, convert_pdf)


def read_filed(meeting_dir: Path, meeting_date: date) -> FiledMeeting | None:
    """What the last filing of the meeting left in its folder; None if it was never filed.

    Read from index.json under the filing lock, so a filing running at the same moment is
    seen before or after, never halfway. Nothing is rendered or hashed again.
    """
    if not meeting_dir.is_dir():
        return None
    with _locked(meeting_dir):
        files = read_index(meeting_dir)
    return None if files is None else FiledMeeting(meeting_dir, meeting_date, files)


def _file(folder: Path, meeting_date: date, committee: Committee, reports: Sequence[Report],
          renderers: Renderers, on_render: Callable[[], None] | None,
          diary_number: str | None, build_documents: bool,
          pdf: PdfConverter | None = None, convert_pdf: bool = True) -> FiledMeeting:
    for leftover in os.listdir(folder):  # from a write interrupted by a crash
        if leftover.startswith(".tmp-") and leftover.endswith(".part"):
            (folder / leftover).unlink(missing_ok=True)
    _migrate(folder)
    render_key = renderers.key
    manifest = _load_manifest(folder)
    old_reports: dict[str, dict] = manifest["reports"]
    listing_name = fixed_file_name(meeting_date, LISTING_FILE_TITLE)
    bundle_name = fixed_file_name(meeting_date, BUNDLE_TITLE)
    taken = [listing_name, bundle_name, INDEX_NAME, LEGACY_MANIFEST_NAME, LEGACY_LOCK_NAME]
    written: list[str] = []
    removed: list[str] = []
    new_reports: dict[str, dict] = {}
    filed: list[FiledFile] = []
    entries: list[ListedReport] = []

    used = {name.casefold() for name in taken}  # as unique_name compares
    fingerprints = Fingerprints(render_key, committee)
    ordered = listing_order([ListedReport(report, "") for report in reports])
    for report in (entry.report for entry in ordered):
        visit_date = report.visit_date
        name = report_file_name(visit_date, report.operation, report.submitter.name,
                                report.report_id)
        if name.casefold() in used:  # rare (ids are unique): only then look for a free one
            name = unique_name(name, taken)
        taken.append(name)
        used.add(name.casefold())
        key = fingerprints(report)
        current = _current(folder, old_reports.get(report.report_id), name, key)
        if current is None:
            data = renderers.report(report, committee)
            if on_render is not None:
                on_render()
            if write_atomic(folder / name, data):
                written.append(name)
            current = FiledFile(name="", file_name=name, size=len(data), sha512=_sha512(data),
                                kind="")
            _remember(os.path.join(folder, name), current.sha512)
        new_reports[report.report_id] = {"fileName": name, "sha512": current.sha512, "key": key}
        filed.append(FiledFile(name=_report_title(report), file_name=name, size=current.size,
                               sha512=current.sha512, kind="report",
                               report_id=report.report_id, date=visit_date))
        entries.append(ListedReport(report, name))

    in_use = {unicodedata.normalize("NFC", name)
              for name in {entry["fileName"] for entry in new_reports.values()} | set(taken)}
    in_use |= {pdf_name(name) for name in in_use}  # a document's PDF/A is the document's
    for entry in old_reports.values():
        stale = entry.get("fileName")
        # The manifest is ours, but a name read back from disk is checked before deleting.
        if (stale and stale not in in_use and Path(stale).name == stale
                and (folder / stale).is_file()):
            (folder / stale).unlink()
            removed.append(stale)
    removed.extend(_heal(folder, meeting_date, in_use))

    documents = manifest.get("documents", {})
    inputs = json.dumps([render_key, meeting_date.isoformat(), committee.name,
                         committee.municipality, committee.proposals.listing, diary_number,
                         [item.file_name for item in filed],
                         [item.sha512 for item in filed], list(new_reports.items())])
    inputs_key = hashlib.sha256(inputs.encode()).hexdigest()
    new_documents: dict[str, dict] = {}
    stale = False
    builders: dict[str, tuple[str, str, Callable[[], bytes]]] = {
        "listing": (listing_name, f"{LISTING_TITLE}, {meeting_date.isoformat()}",
                    lambda: renderers.listing(meeting_date, committee, entries,
                                              diary_number=diary_number)),
        "bundle": (bundle_name, f"{BUNDLE_TITLE}, {meeting_date.isoformat()}",
                   lambda: renderers.bundle(meeting_date, committee, entries,
                                            lambda e: (folder / e.file_name).read_bytes(),
                                            diary_number=diary_number)),
    }
    for kind, (name, title, build) in builders.items():
        current = _current(folder, documents.get(kind), name, inputs_key)
        if current is None and not build_documents:
            stale = True
            old = documents.get(kind)
            current = _current(folder, old, name, old.get("key", "")) if old else None
            if current is None:  # never built yet: nothing to list until it is
                continue
            new_documents[kind] = old
            filed.append(dataclasses.replace(current, name=title, kind=kind))
            continue
        if current is None:
            data = build()
            if write_atomic(folder / name, data):
                written.append(name)
            current = FiledFile(name="", file_name=name, size=len(data), sha512=_sha512(data),
                                kind="")
            _remember(os.path.join(folder, name), current.sha512)
        new_documents[kind] = {"fileName": name, "sha512": current.sha512, "key": inputs_key}
        filed.append(dataclasses.replace(current, name=title, kind=kind))

    pdfs, new_pdfs, pdf_pending = _file_pdfs(folder, filed, manifest.get("pdfs", {}), pdf,
                                             convert_pdf, written, removed)
    filed += pdfs
    index = build_index(meeting_date=meeting_date, committee=committee.name,
                        municipality=committee.municipality, files=filed,
                        generated_at=generated_at(meeting_date, reports))
    if write_index(folder, index):
        written.append(INDEX_NAME)
    write_atomic(manifest_path(folder), (pretty_json.dumps(
        {"version": MANIFEST_VERSION, "reports": new_reports, "documents": new_documents,
         "pdfs": new_pdfs}, indent=1) + "\n").encode())
    return FiledMeeting(folder, meeting_date, filed, written, removed,
                        documents_stale=stale, pdf_pending=pdf_pending)


def _file_pdfs(folder: Path, documents: Sequence[FiledFile], old: dict[str, dict],
               converter: PdfConverter | None, convert: bool, written: list[str],
               removed: list[str]) -> tuple[list[FiledFile], dict[str, dict], bool]:
    """Each document's PDF/A: kept when made from the same DOCX, else converted (all in one
    run) when ``convert``; a PDF no document needs any more is removed. Returns the PDFs,
    the manifest's new entries (by DOCX name) and whether a PDF was left to convert."""
    new: dict[str, dict] = {}
    kept: dict[str, FiledFile] = {}
    todo: list[FiledFile] = []
    for item in documents if converter is not None else ():
        entry = old.get(item.file_name)
        current = _current(folder, entry, pdf_name(item.file_name), item.sha512)
        if current is not None and entry is not None:
            kept[item.file_name], new[item.file_name] = current, entry
        elif convert:
            todo.append(item)
    if todo and converter is not None:
        with tempfile.TemporaryDirectory(prefix="besoksrapport-pdf-") as work:
            made = converter.to_pdfa([folder / item.file_name for item in todo], Path(work))
            for item, path in zip(todo, made, strict=True):
                data, name = path.read_bytes(), pdf_name(item.file_name)
                if write_atomic(folder / name, data):
                    written.append(name)
                kept[item.file_name] = FiledFile(name="", file_name=name, size=len(data),
                                                 sha512=_sha512(data), kind="")
                new[item.file_name] = {"fileName": name, "sha512": kept[item.file_name].sha512,
                                       "key": item.sha512}
    in_use = {entry["fileName"] for entry in new.values()}
    for entry in old.values():
        stale = entry.get("fileName")
        if (stale and stale not in in_use and Path(stale).name == stale
                and stale.endswith(PDF) and (folder / stale).is_file()):
            (folder / stale).unlink()
            removed.append(stale)
    pdfs = [dataclasses.replace(kept[item.file_name], name=f"{item.name} (PDF/A)",
                                kind=pdf_kind(item.kind), mime_type=PDF_MIME,
                                report_id=item.report_id, date=item.date)
            for item in documents if item.file_name in kept]
    pending = converter is not None and len(pdfs) < len(documents)
    return pdfs, new, pending
