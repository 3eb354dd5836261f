"""The webhook the e-service platform posts submitted visit reports to.

Production: ``gunicorn --config python:webhook.gunicorn_conf "webhook:create_app()"`` (the
settings module is imported, so this works from an installed wheel in any directory).
"""

from .app import create_app

__all__ = ["create_app"]
