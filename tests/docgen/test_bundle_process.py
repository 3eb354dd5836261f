"""A big meeting's bundle is built in a child process (issue 19), byte for byte as it is
built in the worker, and a failing child fails the build without quoting anything."""

from __future__ import annotations

import subprocess

import pytest
from meeting_reports import MEETING, make_report

from besoksrapport.filing.entries import ListedReport
from docgen import bundle_process
from docgen.renderers import DocxRenderers
from docgen.report import render_report


def listed(numbers):
    return [ListedReport(make_report(n), f"fil-{n}.docx") for n in numbers]


def test_a_bundle_built_apart_is_the_bundle_built_here(committee):
    entries = listed(range(1, 6))
    apart, here = DocxRenderers(), DocxRenderers()
    apart.bundle_apart_from, here.bundle_apart_from = 1, 10_000
    loaded: list[str] = []

    def load(entry):
        loaded.append(entry.report.report_id)
        return render_report(entry.report, committee, template=here.template)

    built_apart = apart.bundle(MEETING, committee, entries, load, diary_number="VSN 2026/1")
    assert sorted(loaded) == sorted(entry.report.report_id for entry in entries)
    assert built_apart == here.bundle(MEETING, committee, entries, load,
                                      diary_number="VSN 2026/1")


def test_only_a_big_bundle_starts_a_process(committee, monkeypatch):
    started = []
    real_run = subprocess.run

    def run(*args, **kwargs):
        started.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(bundle_process.subprocess, "run", run)
    renderers = DocxRenderers()
    renderers.bundle_apart_from = 3

    def load(entry):
        return render_report(entry.report, committee, template=renderers.template)

    renderers.bundle(MEETING, committee, listed(range(1, 3)), load)
    assert started == []
    renderers.bundle(MEETING, committee, listed(range(1, 4)), load)
    assert len(started) == 1 and started[0][1:] == ["-m", "docgen.bundle_process"]


def test_a_failing_child_fails_the_bundle_and_keeps_none_of_its_output(committee):
    renderers = DocxRenderers()
    with pytest.raises(bundle_process.BundleProcessFailed) as failure:
        bundle_process.render_bundle_apart(
            MEETING, committee, listed([1]), lambda entry: b"not a docx: Anna Lindqvist",
            template=renderers.template)
    assert str(failure.value) == ("Samlingsdokumentet kunde inte byggas: processen som bygger "
                                  "det avslutades med felkod 1.")
    assert "Anna" not in str(failure.value)
