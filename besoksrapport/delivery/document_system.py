"""The document system a meeting folder is mirrored to: the port the outbox delivers through.

WebDAV (``webdav.WebdavClient``) is the first implementation; ``runtime`` chooses one from
the settings, so a second kind (an archive's own API, say) plugs in beside it without the
jobs changing. Failures are ``TransportFailed`` (``DeliveryFailed``), sorted into retryable
or not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from besoksrapport.filing.folder import FiledMeeting

# The log's warnings when a delivery arrived but could not tidy the remote folder (English,
# for IT; ``cli.notices`` says them to the secretary in Swedish).
CANNOT_LIST = "the document system cannot be listed; clean-up skipped"
DELETE_REFUSED = "the document system refused DELETE; stale files stay on it"


class DocumentSystem(Protocol):
    """Where a meeting's public files are kept for the committee's records."""

    def deliver_meeting(self, filed: FiledMeeting) -> list[str]:
        """Make the meeting's remote folder hold exactly the filed files; their addresses."""
        ...
