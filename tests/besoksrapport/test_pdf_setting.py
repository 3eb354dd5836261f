"""BESOKSRAPPORT_PDF: the outbox's filing writes the PDF/A copies, the secretary's bundle
download (the web request path) converts nothing and leaves them to the outbox."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from libreoffice import require_office
from webhook_helpers import body_of, envelope_for, environment

from besoksrapport import runtime
from besoksrapport.errors import ConfigError
from besoksrapport.outbox.jobs import FILE_MEETING, jobs_for_new_report
from besoksrapport.outbox.worker import run_pending
from besoksrapport.runtime import build_context
from besoksrapport.secretary.meeting_files import bundle_now, filed_files
from besoksrapport.settings import load_settings

MEETING = (datetime.now(UTC) + timedelta(days=20)).date()  # as webhook_helpers.environment


def _context(tmp_path, **extra):
    env = environment(tmp_path / "data") | {"BESOKSRAPPORT_PDF": "true", **extra}
    return build_context(load_settings(env))


def _receive(ctx, submission_id):
    envelope = envelope_for(submission_id)
    ctx.storage.record_report(f"msg_{submission_id}", body_of(envelope), envelope,
                              datetime.now(UTC), MEETING, jobs=jobs_for_new_report())


def test_pdf_on_without_libreoffice_is_a_swedish_configuration_error(tmp_path, monkeypatch):
    # LibreOffice is installed here; its absence is what this test needs, so `which` is
    # made to find nothing.
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ConfigError) as raised:
        _context(tmp_path)
    assert "LibreOffice" in str(raised.value) and "BESOKSRAPPORT_PDF" in str(raised.value)


def test_pdf_setting_must_be_true_or_false(tmp_path):
    with pytest.raises(ConfigError, match="ange true eller false"):
        _context(tmp_path, BESOKSRAPPORT_PDF="kanske")


def test_pdf_off_by_default_converts_nothing(tmp_path):
    ctx = build_context(load_settings(environment(tmp_path / "data")))
    assert ctx.pdf is None and runtime.pdf_converter(ctx.settings, ctx.renderers) is None
    ctx.storage.close()


@pytest.mark.libreoffice
def test_the_outbox_writes_the_pdfs_and_the_page_leaves_them_to_it(tmp_path):
    require_office()
    ctx = _context(tmp_path)
    try:
        _receive(ctx, "oep-1")
        run_pending(ctx)
        kinds = sorted(item.kind for item in filed_files(ctx, MEETING))
        assert kinds == ["bundle", "bundle-pdf", "listing", "listing-pdf", "report",
                         "report-pdf"]
        _receive(ctx, "oep-2")
        bundle_now(ctx, MEETING)  # the secretary downloads the bundle: filed, not converted
        kinds = [item.kind for item in filed_files(ctx, MEETING)]
        assert kinds.count("report") == 2 and kinds.count("report-pdf") == 1
        assert "bundle-pdf" not in kinds
        assert any(job.kind == FILE_MEETING for job in ctx.storage.pending_jobs())
        run_pending(ctx)
        kinds = [item.kind for item in filed_files(ctx, MEETING)]
        assert kinds.count("report-pdf") == 2 and "bundle-pdf" in kinds
    finally:
        ctx.storage.close()
