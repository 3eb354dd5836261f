"""Open ePlatform: poll its REST API for submitted reports and answer over its SOAP callback.

The platform has no webhook. ``poller`` lists new flow instances (``client``), reads each
FlowInstance XML (``flowinstance``), maps it to our envelope as the committee configuration
says (``committee.oep``, ``mapping``) and hands it to ``reception.receive``, the path every
delivery takes; ``callback`` and ``jobs`` tell the platform and the politician what became
of it, from the durable outbox. The connection's settings are in ``settings``.
"""
