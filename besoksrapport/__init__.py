"""besoksrapport: a visit report, from the e-service to the committee's meeting."""

__version__ = "0.1.0"
