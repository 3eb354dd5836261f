"""A big meeting's bundle, built in a child process so that the worker never holds it.

A bundle holds every report's XML at once: tens of MB of python-docx and lxml objects for
a busy meeting. Freed in the worker, much of it stays with the process (malloc's and
Python's own arenas keep fragments), so a long-lived worker grew by several MiB with every
round of bundles. Built in a child, all of it goes back to the system when the child
exits; the worker holds one report's DOCX at a time and the finished bytes.

The parent writes the inputs to a temporary file (a pickle of the meeting, the committee,
the ordered entries, the template's bytes and the diarienummer, then each report's DOCX
in order, one pickle each); the child (``python -m docgen.bundle_process``) reads them from
its stdin and writes the bundle's bytes to its stdout. Both ends are this program: the
pickles never cross a trust boundary.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date

from besoksrapport.committee.model import Committee
from besoksrapport.errors import BesoksrapportError
from besoksrapport.filing.entries import ListedReport, listing_order

from .template import Template


class BundleProcessFailed(BesoksrapportError):
    """The child building a bundle failed (its output is not kept: it may quote reports).

    The text is Swedish: the outbox shows it to the secretary, a command prints it."""


def _failure(status: int) -> BundleProcessFailed:
    how = (f"avbröts av signal {-status}" if status < 0
           else f"avslutades med felkod {status}")
    return BundleProcessFailed(f"Samlingsdokumentet kunde inte byggas: processen som bygger "
                               f"det {how}.")


def render_bundle_apart(meeting_date: date, committee: Committee,
                        entries: Sequence[ListedReport],
                        load: Callable[[ListedReport], bytes], *, template: Template,
                        diary_number: str | None = None) -> bytes:
    """``bundle.render_bundle``'s bytes, built by a child process."""
    ordered = listing_order(entries)
    with tempfile.TemporaryFile() as source, tempfile.TemporaryFile() as result:
        pickle.dump((meeting_date, committee, ordered, template.data, template.name,
                     diary_number), source, protocol=pickle.HIGHEST_PROTOCOL)
        for entry in ordered:  # one report in memory at a time
            pickle.dump(load(entry), source, protocol=pickle.HIGHEST_PROTOCOL)
        source.seek(0)
        status = subprocess.run([sys.executable, "-m", "docgen.bundle_process"],
                                stdin=source, stdout=result, stderr=subprocess.DEVNULL,
                                check=False).returncode
        if status != 0:
            raise _failure(status)
        result.seek(0)
        return result.read()


def main() -> None:
    from .bundle import render_bundle

    stream = sys.stdin.buffer
    # Pickles our own parent wrote (render_bundle_apart), never anyone else's.
    inputs = pickle.load(stream)  # noqa: S301
    meeting_date, committee, ordered, template_data, name, diary_number = inputs

    def load(_entry: ListedReport) -> bytes:
        return pickle.load(stream)  # noqa: S301 (the next report, in the order written)

    data = render_bundle(meeting_date, committee, ordered, load,
                         template=Template(template_data, name=name),
                         diary_number=diary_number)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
