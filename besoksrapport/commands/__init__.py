"""Subcommands of ``besoksrapport``; each module defines ``register(subparsers)``."""
