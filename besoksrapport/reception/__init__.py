"""Receiving a delivery: validate, quarantine or record with its meeting, and answer with a
receipt that says the visit's place in the politician's year."""
