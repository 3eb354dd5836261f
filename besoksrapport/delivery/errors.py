"""Why a delivery (WebDAV upload or e-mail) failed, and whether trying again can help."""

from __future__ import annotations

from besoksrapport.errors import TransportFailed


class DeliveryFailed(TransportFailed):
    """A document or message did not reach its receiver.

    A WebDAV failure names the meeting date, the verb and the HTTP status or exception
    class, not a report's file name or URL (both carry the politician's name).
    """
