"""The delivery tests use a meeting's reports (tests/support/meeting_reports.py)."""

from meeting_reports import reports

__all__ = ["reports"]  # a fixture
